import type { Rng } from '../../math/rng.js';
import type { Box, Solver } from '../../solvers/solver.js';
import { AdmmSubproblem } from './admm-subproblem.js';
import { projectAntennas } from './antenna-projection.js';
import { projectDisc } from './disc-projection.js';
import { epigraphStep } from './epigraph-step.js';
import { minAntennasOf, type PlacementProblem, type PlacementTraceEntry } from './types.js';

/** Options of Algorithm 2 (defaults of Section V.A in the `admm` plugin). */
export interface AdmmOptions {
  /** initial penalties {ρ₁, ρ₂, ρ₃} */
  rho0: readonly [number, number, number];
  /** tolerances {ε̂_ζ, ε̂_φ, ε̂_v} on the relative primal and dual residuals of each block */
  tolerance: readonly [number, number, number];
  maxIterations: number;
  /** residual balancing (Boyd et al. [25], §3.4.1): ρ ← τρ when primal > μ·dual, ρ/τ when dual > μ·primal */
  adaptive: boolean;
  /**
   * which residuals are balanced: 'scaled' = Boyd's relative residuals per block (Wohlberg 2017),
   * r = ||x − B(z)|| / max(||x||, ||B(z)||), s = ρ||B(z⁺) − B(z)|| / ||y||; 'paper' = the stopping
   * residuals of Section III.B
   */
  balance: 'scaled' | 'paper';
  balanceMu: number;
  /** balancing is applied in every iteration k <= balanceIterations ... */
  balanceIterations: number;
  /** ... and after that only every balanceEvery-th iteration (0: never; ρ then stays fixed) */
  balanceEvery: number;
  balanceTau: number;
  /** penalties are kept in [rhoMin, rhoMax] */
  rhoMin: number;
  rhoMax: number;
  /** λ, χ, γ start uniform in [0, multiplierScale) from the rng */
  multiplierScale: number;
}

export interface AdmmTraceEntry extends PlacementTraceEntry {
  /** relative primal residuals [ζ_p, φ_p, v_p] */
  primal: [number, number, number];
  /** relative dual residuals [ζ_d, φ_d, v_d] */
  dual: [number, number, number];
  /** penalties used in this iteration */
  rho: [number, number, number];
  /** epigraph variable 𝒰 of Step 3 */
  epigraph: number;
  /** iterations of the P2.4 solver */
  subIterations: number;
}

export interface AdmmResult {
  /** z^{k+1} of the last iteration (not projected; feasible up to the primal residual) */
  z: Float64Array;
  iterations: number;
  stopReason: 'converged' | 'max-iterations' | 'singular';
  trace: AdmmTraceEntry[];
  /** total iterations of the P2.4 solver */
  subIterations: number;
}

/**
 * ADMM for (P1) — Algorithm 2 with the model notes' corrections. Variables: z (layout), a_l (AP
 * offset, ||a_l|| <= ε), b_l (antennas, Σ b <= N_max, b >= b_min = `p.minAntennas`, default 1),
 * ϖ_u <= 𝒰 (epigraph), multipliers
 * λ_l (2-vectors), χ_l, γ_u of a_l = c_l − ĉ_l (18a), b_l = N_l (18b), ϖ_u = h_u(z) (18c).
 * Iteration k:
 *  1. a_l = Proj_disc(c_l − ĉ_l − λ_l/ρ₁)                              (P2.1, eq. 24)
 *  2. b = Proj_{Σ<=N_max, >=b_min}(N − χ/ρ₂), bisection on the multiplier (P2.2)
 *  3. (𝒰, ϖ) exact minimiser with w_u = h_u(z^k) − γ_u/ρ₃               (P2.3, model notes)
 *  4. z = argmin (29) by the given solver (truncated Newton), warm-started at z^k; the
 *     positions are boxed to the discs' bounding squares and N to [b_min, N_max], which keeps the
 *     CRB defined and does not move the fixed points (they lie in the discs)  (P2.4)
 *  5. λ += ρ₁(a − c + ĉ), χ += ρ₂(b − N), γ += ρ₃(ϖ − h(z))              (30), sign corrected
 * Residuals (Section III.B, relative, per block the max over APs / targets):
 *   ζ_p = ||a_l − c_l + ĉ_l|| / D_a, φ_p = |b_l − N_l| / |b_l|, v_p = |ϖ_u − h_u| / D_ϖ,
 *   ζ_d = ||a_l − a_l^old|| / D_a, φ_d = |b_l − b_l^old| / |b_l|, v_d = |ϖ_u − ϖ_u^old| / D_ϖ,
 * with guarded denominators D_a = max(||a_l||, ε, 1 m) (||a_l|| is 0 at a nominal position) and
 * D_ϖ = max(|ϖ_u|, |h_u|) (1 if both are 0). Stops when every residual is <= its tolerance and
 * returns z^{k+1}. Otherwise each ρ_i is balanced on its own (primal, dual) pair (Boyd et al. [25]
 * §3.4.1: ×τ when primal > μ·dual, ÷τ when dual > μ·primal) in the first `balanceIterations`
 * iterations and every `balanceEvery`-th after that: balancing in every iteration let ρ₁ drift to
 * ~1e-5 and the iterates oscillate (z pinned at the corners of its box) on this non-convex problem,
 * never balancing left a slow linear tail; this schedule converged in most draws (see README).
 * Since the multipliers are unscaled, changing ρ needs no rescaling.
 */
export function admm(p: PlacementProblem, z0: Float64Array, o: AdmmOptions, solver: Solver, rng: Rng): AdmmResult {
  const obj = p.objective;
  const L = obj.L;
  const U = obj.U;
  const n = obj.dim;
  const eps = p.radius;
  const nom = p.nominal;
  const bmin = minAntennasOf(p);
  const z = Float64Array.from(z0);
  const a = new Float64Array(2 * L);
  const aOld = new Float64Array(2 * L);
  const b = new Float64Array(L);
  const bOld = new Float64Array(L);
  const v = new Float64Array(L);
  const varpi = new Float64Array(U);
  const varpiOld = new Float64Array(U);
  const w = new Float64Array(U);
  const order = new Float64Array(U);
  const h = new Float64Array(U);
  const rho: [number, number, number] = [o.rho0[0], o.rho0[1], o.rho0[2]];
  const zPrev = new Float64Array(n);
  const hPrev = new Float64Array(U);

  const mr = rng.fork('multipliers');
  const lam = Float64Array.from({ length: 2 * L }, () => o.multiplierScale * mr.uniform());
  const chi = Float64Array.from({ length: L }, () => o.multiplierScale * mr.uniform());
  const gam = Float64Array.from({ length: U }, () => o.multiplierScale * mr.uniform());

  const box: Box = { lower: new Float64Array(n), upper: new Float64Array(n) };
  for (let i = 0; i < 2 * L; i++) {
    box.lower[i] = (nom[i] as number) - eps;
    box.upper[i] = (nom[i] as number) + eps;
  }
  for (let l = 0; l < L; l++) {
    box.lower[2 * L + l] = bmin;
    box.upper[2 * L + l] = p.maxAntennas;
  }
  for (let i = 0; i < n; i++) z[i] = Math.min(Math.max(z[i] as number, box.lower[i] as number), box.upper[i] as number);

  const sub = new AdmmSubproblem(obj, nom, a, b, varpi, lam, chi, gam, rho);
  const subRng = rng.fork('p2.4');

  // k = 0: a⁰ = c(z⁰) − ĉ, b⁰ = N(z⁰), ϖ⁰ = h(z⁰)
  if (!obj.evaluate(z, h)) return { z, iterations: 0, stopReason: 'singular', trace: [], subIterations: 0 };
  for (let i = 0; i < 2 * L; i++) a[i] = (z[i] as number) - (nom[i] as number);
  for (let l = 0; l < L; l++) b[l] = z[2 * L + l] as number;
  varpi.set(h);

  const trace: AdmmTraceEntry[] = [];
  let subIterations = 0;
  for (let k = 1; k <= o.maxIterations; k++) {
    aOld.set(a);
    bOld.set(b);
    varpiOld.set(varpi);
    const [r1, r2, r3] = rho;
    // Step 1 (P2.1)
    for (let l = 0; l < L; l++) {
      const vx = (z[2 * l] as number) - (nom[2 * l] as number) - (lam[2 * l] as number) / r1;
      const vy = (z[2 * l + 1] as number) - (nom[2 * l + 1] as number) - (lam[2 * l + 1] as number) / r1;
      projectDisc(vx, vy, eps, a, 2 * l);
    }
    // Step 2 (P2.2)
    for (let l = 0; l < L; l++) v[l] = (z[2 * L + l] as number) - (chi[l] as number) / r2;
    projectAntennas(v, p.maxAntennas, b, bmin);
    // Step 3 (P2.3), h = h(z^k)
    for (let u = 0; u < U; u++) w[u] = (h[u] as number) - (gam[u] as number) / r3;
    const epi = epigraphStep(w, r3, varpi, order);
    // Step 4 (P2.4)
    zPrev.set(z);
    hPrev.set(h);
    const res = solver.minimize({ objective: sub, box, rng: subRng, x0: z });
    subIterations += res.iterations;
    if (Number.isFinite(res.value)) z.set(res.x);
    if (!obj.evaluate(z, h)) return { z, iterations: k, stopReason: 'singular', trace, subIterations };
    // Step 5 (30) and residuals
    let zp = 0;
    let zd = 0;
    let pp = 0;
    let pd = 0;
    let vp = 0;
    let vd = 0;
    for (let l = 0; l < L; l++) {
      const ax = a[2 * l] as number;
      const ay = a[2 * l + 1] as number;
      const rx = ax - ((z[2 * l] as number) - (nom[2 * l] as number));
      const ry = ay - ((z[2 * l + 1] as number) - (nom[2 * l + 1] as number));
      lam[2 * l] = (lam[2 * l] as number) + r1 * rx;
      lam[2 * l + 1] = (lam[2 * l + 1] as number) + r1 * ry;
      const da = Math.max(Math.hypot(ax, ay), eps, 1);
      zp = Math.max(zp, Math.hypot(rx, ry) / da);
      zd = Math.max(zd, Math.hypot(ax - (aOld[2 * l] as number), ay - (aOld[2 * l + 1] as number)) / da);
      const bl = b[l] as number;
      const rb = bl - (z[2 * L + l] as number);
      chi[l] = (chi[l] as number) + r2 * rb;
      pp = Math.max(pp, Math.abs(rb) / Math.abs(bl));
      pd = Math.max(pd, Math.abs(bl - (bOld[l] as number)) / Math.abs(bl));
    }
    let worst = -Infinity;
    for (let u = 0; u < U; u++) {
      const vu = varpi[u] as number;
      const hu = h[u] as number;
      const rv = vu - hu;
      gam[u] = (gam[u] as number) + r3 * rv;
      const dv = Math.max(Math.abs(vu), Math.abs(hu)) || 1;
      vp = Math.max(vp, Math.abs(rv) / dv);
      vd = Math.max(vd, Math.abs(vu - (varpiOld[u] as number)) / dv);
      worst = Math.max(worst, hu);
    }
    trace.push({
      iteration: k,
      objective: worst,
      primal: [zp, pp, vp],
      dual: [zd, pd, vd],
      rho: [r1, r2, r3],
      epigraph: epi,
      subIterations: res.iterations,
    });
    const [t1, t2, t3] = o.tolerance;
    if (zp <= t1 && zd <= t1 && pp <= t2 && pd <= t2 && vp <= t3 && vd <= t3) {
      return { z, iterations: k, stopReason: 'converged', trace, subIterations };
    }
    if (o.adaptive && (k <= o.balanceIterations || (o.balanceEvery > 0 && k % o.balanceEvery === 0))) {
      const [pr, du] = o.balance === 'paper' ? [[zp, pp, vp], [zd, pd, vd]] : scaledResiduals();
      for (let i = 0; i < 3; i++) {
        const ri = pr[i] as number;
        const si = du[i] as number;
        if (ri > o.balanceMu * si) rho[i] = Math.min(o.rhoMax, (rho[i] as number) * o.balanceTau);
        else if (si > o.balanceMu * ri) rho[i] = Math.max(o.rhoMin, (rho[i] as number) / o.balanceTau);
      }
    }
  }
  return { z, iterations: o.maxIterations, stopReason: 'max-iterations', trace, subIterations };

  /** Boyd's relative primal and dual residuals per block (for balancing only). */
  function scaledResiduals(): [number[], number[]] {
    const blocks = [
      { x: a, img: (i: number, zz: Float64Array) => (zz[i] as number) - (nom[i] as number), len: 2 * L, y: lam, r: rho[0] },
      { x: b, img: (i: number, zz: Float64Array) => zz[2 * L + i] as number, len: L, y: chi, r: rho[1] },
    ];
    const pr: number[] = [];
    const du: number[] = [];
    for (const bl of blocks) {
      let rr = 0, xx = 0, bb = 0, dd = 0, yy = 0;
      for (let i = 0; i < bl.len; i++) {
        const xi = bl.x[i] as number;
        const bi = bl.img(i, z);
        const d = bi - bl.img(i, zPrev);
        rr += (xi - bi) * (xi - bi);
        xx += xi * xi;
        bb += bi * bi;
        dd += d * d;
        yy += (bl.y[i] as number) ** 2;
      }
      pr.push(Math.sqrt(rr) / (Math.sqrt(Math.max(xx, bb)) || 1));
      du.push((bl.r * Math.sqrt(dd)) / (Math.sqrt(yy) || 1));
    }
    let rr = 0, xx = 0, bb = 0, dd = 0, yy = 0;
    for (let u = 0; u < U; u++) {
      const xi = varpi[u] as number;
      const bi = h[u] as number;
      const d = bi - (hPrev[u] as number);
      rr += (xi - bi) * (xi - bi);
      xx += xi * xi;
      bb += bi * bi;
      dd += d * d;
      yy += (gam[u] as number) ** 2;
    }
    pr.push(Math.sqrt(rr) / (Math.sqrt(Math.max(xx, bb)) || 1));
    du.push((rho[2] * Math.sqrt(dd)) / (Math.sqrt(yy) || 1));
    return [pr, du];
  }
}
