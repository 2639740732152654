import type { Rng } from '../../math/rng.js';
import type { Box } from '../../solvers/solver.js';
import { projectAntennas } from './antenna-projection.js';
import { projectDisc } from './disc-projection.js';
import { epigraphStep } from './epigraph-step.js';
import { minAntennasOf, type PlacementProblem } from './types.js';

/** Penalties {ρ₁, ρ₂, ρ₃}, changed in place by residual balancing. */
export type Penalties = [number, number, number];

/**
 * The variables of Algorithm 2 between steps (model notes' notation): layout z, AP offsets a_l,
 * antennas b_l, epigraph values ϖ_u, multipliers λ_l, χ_l, γ_u, the objective h(z) at the current
 * z, and the previous iterate's values used by the residuals. Allocated once per run.
 */
export interface AdmmState {
  readonly L: number;
  readonly U: number;
  readonly n: number;
  readonly eps: number;
  readonly nom: Float64Array;
  readonly bmin: number;
  readonly maxAntennas: number;
  readonly z: Float64Array;
  readonly a: Float64Array;
  readonly aOld: Float64Array;
  readonly b: Float64Array;
  readonly bOld: Float64Array;
  readonly v: Float64Array;
  readonly varpi: Float64Array;
  readonly varpiOld: Float64Array;
  readonly w: Float64Array;
  readonly order: Float64Array;
  /** h(z) at the current z */
  readonly h: Float64Array;
  readonly zPrev: Float64Array;
  readonly hPrev: Float64Array;
  readonly lam: Float64Array;
  readonly chi: Float64Array;
  readonly gam: Float64Array;
  readonly rho: Penalties;
  /** positions boxed to the discs' bounding squares, N to [b_min, N_max] (P2.4) */
  readonly box: Box;
}

/** Residuals of one iteration: relative primal [ζ_p, φ_p, v_p], dual [ζ_d, φ_d, v_d], and max_u h_u. */
export interface AdmmResiduals {
  primal: [number, number, number];
  dual: [number, number, number];
  worst: number;
}

/**
 * The state at z⁰ (clamped to the box), multipliers uniform in [0, multiplierScale) from
 * `rng.fork('multipliers')` in the order λ, χ, γ.
 */
export function createAdmmState(
  p: PlacementProblem,
  z0: Float64Array,
  rho0: readonly [number, number, number],
  multiplierScale: number,
  rng: Rng,
): AdmmState {
  const { L, U, dim: n } = p.objective;
  const eps = p.radius;
  const nom = p.nominal;
  const bmin = minAntennasOf(p);
  const mr = rng.fork('multipliers');
  const lam = Float64Array.from({ length: 2 * L }, () => multiplierScale * mr.uniform());
  const chi = Float64Array.from({ length: L }, () => multiplierScale * mr.uniform());
  const gam = Float64Array.from({ length: U }, () => multiplierScale * mr.uniform());
  const box: Box = { lower: new Float64Array(n), upper: new Float64Array(n) };
  for (let i = 0; i < 2 * L; i++) {
    box.lower[i] = (nom[i] as number) - eps;
    box.upper[i] = (nom[i] as number) + eps;
  }
  for (let l = 0; l < L; l++) {
    box.lower[2 * L + l] = bmin;
    box.upper[2 * L + l] = p.maxAntennas;
  }
  const z = Float64Array.from(z0);
  for (let i = 0; i < n; i++)
    z[i] = Math.min(Math.max(z[i] as number, box.lower[i] as number), box.upper[i] as number);
  return {
    L,
    U,
    n,
    eps,
    nom,
    bmin,
    maxAntennas: p.maxAntennas,
    z,
    a: new Float64Array(2 * L),
    aOld: new Float64Array(2 * L),
    b: new Float64Array(L),
    bOld: new Float64Array(L),
    v: new Float64Array(L),
    varpi: new Float64Array(U),
    varpiOld: new Float64Array(U),
    w: new Float64Array(U),
    order: new Float64Array(U),
    h: new Float64Array(U),
    zPrev: new Float64Array(n),
    hPrev: new Float64Array(U),
    lam,
    chi,
    gam,
    rho: [rho0[0], rho0[1], rho0[2]],
    box,
  };
}

/** k = 0, with h = h(z⁰) already in s.h: a⁰ = c(z⁰) − ĉ, b⁰ = N(z⁰), ϖ⁰ = h(z⁰). */
export function initialSplit(s: AdmmState): void {
  const { L, z, nom, a, b } = s;
  for (let i = 0; i < 2 * L; i++) a[i] = (z[i] as number) - (nom[i] as number);
  for (let l = 0; l < L; l++) b[l] = z[2 * L + l] as number;
  s.varpi.set(s.h);
}

/** Keeps a, b, ϖ, z and h(z) of the iterate before this one (for the residuals and balancing). */
export function rememberIterate(s: AdmmState): void {
  s.aOld.set(s.a);
  s.bOld.set(s.b);
  s.varpiOld.set(s.varpi);
  s.zPrev.set(s.z);
  s.hPrev.set(s.h);
}

/** Step 1 (P2.1), eq. (24): a_l = Proj_disc(c_l − ĉ_l − λ_l/ρ₁). */
export function positionStep(s: AdmmState): void {
  const { L, z, nom, lam, eps, a } = s;
  const r1 = s.rho[0];
  for (let l = 0; l < L; l++) {
    const vx = (z[2 * l] as number) - (nom[2 * l] as number) - (lam[2 * l] as number) / r1;
    const vy = (z[2 * l + 1] as number) - (nom[2 * l + 1] as number) - (lam[2 * l + 1] as number) / r1;
    projectDisc(vx, vy, eps, a, 2 * l);
  }
}

/** Step 2 (P2.2): b = Proj_{Σ <= N_max, >= b_min}(N − χ/ρ₂), bisection on the multiplier. */
export function antennaStep(s: AdmmState): void {
  const { L, z, chi, v } = s;
  const r2 = s.rho[1];
  for (let l = 0; l < L; l++) v[l] = (z[2 * L + l] as number) - (chi[l] as number) / r2;
  projectAntennas(v, s.maxAntennas, s.b, s.bmin);
}

/** Step 3 (P2.3, model notes): exact minimiser (𝒰, ϖ) with w_u = h_u(z^k) − γ_u/ρ₃. Returns 𝒰. */
export function epigraphBlockStep(s: AdmmState): number {
  const { U, h, gam, w } = s;
  const r3 = s.rho[2];
  for (let u = 0; u < U; u++) w[u] = (h[u] as number) - (gam[u] as number) / r3;
  return epigraphStep(w, r3, s.varpi, s.order);
}

/**
 * Step 5, eq. (30) with the sign corrected: λ += ρ₁(a − c + ĉ), χ += ρ₂(b − N), γ += ρ₃(ϖ − h(z)),
 * with the penalties `rho` of this iteration; and the relative residuals of Section III.B with the
 * guarded denominators D_a = max(||a_l||, ε, 1 m), D_ϖ = max(|ϖ_u|, |h_u|) (1 if both are 0).
 */
export function multiplierStep(s: AdmmState, rho: readonly [number, number, number]): AdmmResiduals {
  const { L, U, z, nom, a, aOld, b, bOld, lam, chi, gam, varpi, varpiOld, h, eps } = s;
  const [r1, r2, r3] = rho;
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
  return { primal: [zp, pp, vp], dual: [zd, pd, vd], worst };
}

/**
 * Residual balancing (Boyd et al. [25] §3.4.1), each ρ_i on its own (primal, dual) pair:
 * ×τ when primal > μ·dual, ÷τ when dual > μ·primal, kept in [rhoMin, rhoMax].
 */
export function balancePenalties(
  rho: Penalties,
  primal: readonly number[],
  dual: readonly number[],
  o: { balanceMu: number; balanceTau: number; rhoMin: number; rhoMax: number },
): void {
  for (let i = 0; i < 3; i++) {
    const ri = primal[i] as number;
    const si = dual[i] as number;
    if (ri > o.balanceMu * si) rho[i] = Math.min(o.rhoMax, (rho[i] as number) * o.balanceTau);
    else if (si > o.balanceMu * ri) rho[i] = Math.max(o.rhoMin, (rho[i] as number) / o.balanceTau);
  }
}

/**
 * Boyd's relative primal and dual residuals per block (Wohlberg 2017), for balancing only:
 * r = ||x − B(z)|| / max(||x||, ||B(z)||), s = ρ||B(z) − B(z_prev)|| / ||y||.
 */
export function scaledResiduals(s: AdmmState): [number[], number[]] {
  const { L, U, z, zPrev, nom, a, b, lam, chi, gam, varpi, h, hPrev, rho } = s;
  const blocks = [
    {
      x: a,
      img: (i: number, zz: Float64Array) => (zz[i] as number) - (nom[i] as number),
      len: 2 * L,
      y: lam,
      r: rho[0],
    },
    { x: b, img: (i: number, zz: Float64Array) => zz[2 * L + i] as number, len: L, y: chi, r: rho[1] },
  ];
  const pr: number[] = [];
  const du: number[] = [];
  for (const bl of blocks) {
    let rr = 0,
      xx = 0,
      bb = 0,
      dd = 0,
      yy = 0;
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
  let rr = 0,
    xx = 0,
    bb = 0,
    dd = 0,
    yy = 0;
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
