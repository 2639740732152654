import type { Rng } from '../../math/rng.js';
import type { Solver } from '../../solvers/solver.js';
import {
  antennaStep,
  balancePenalties,
  createAdmmState,
  epigraphBlockStep,
  initialSplit,
  multiplierStep,
  positionStep,
  rememberIterate,
  scaledResiduals,
  type AdmmResiduals,
} from './admm-steps.js';
import { AdmmSubproblem } from './admm-subproblem.js';
import type { PlacementProblem, PlacementTraceEntry } from './types.js';

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
 * The steps are named functions of admm-steps.ts; this function only sequences them.
 */
export function admm(
  p: PlacementProblem,
  z0: Float64Array,
  o: AdmmOptions,
  solver: Solver,
  rng: Rng,
): AdmmResult {
  const obj = p.objective;
  const s = createAdmmState(p, z0, o.rho0, o.multiplierScale, rng);
  const { z, h, rho, box } = s;
  const sub = new AdmmSubproblem(obj, s.nom, s.a, s.b, s.varpi, s.lam, s.chi, s.gam, rho);
  const subRng = rng.fork('p2.4');

  if (!obj.evaluate(z, h)) return { z, iterations: 0, stopReason: 'singular', trace: [], subIterations: 0 };
  initialSplit(s);

  const trace: AdmmTraceEntry[] = [];
  let subIterations = 0;
  for (let k = 1; k <= o.maxIterations; k++) {
    rememberIterate(s);
    const used: [number, number, number] = [rho[0], rho[1], rho[2]];
    positionStep(s); // Step 1 (P2.1)
    antennaStep(s); // Step 2 (P2.2)
    const epi = epigraphBlockStep(s); // Step 3 (P2.3), h = h(z^k)
    // Step 4 (P2.4)
    const res = solver.minimize({ objective: sub, box, rng: subRng, x0: z });
    subIterations += res.iterations;
    if (Number.isFinite(res.value)) z.set(res.x);
    if (!obj.evaluate(z, h)) return { z, iterations: k, stopReason: 'singular', trace, subIterations };
    // Step 5 (30) and residuals
    const r = multiplierStep(s, used);
    trace.push({
      iteration: k,
      objective: r.worst,
      primal: r.primal,
      dual: r.dual,
      rho: used,
      epigraph: epi,
      subIterations: res.iterations,
    });
    if (converged(r, o.tolerance)) return { z, iterations: k, stopReason: 'converged', trace, subIterations };
    if (o.adaptive && (k <= o.balanceIterations || (o.balanceEvery > 0 && k % o.balanceEvery === 0))) {
      const [pr, du] = o.balance === 'paper' ? [r.primal, r.dual] : scaledResiduals(s);
      balancePenalties(rho, pr, du, o);
    }
  }
  return { z, iterations: o.maxIterations, stopReason: 'max-iterations', trace, subIterations };
}

/** Every relative residual at or below its block's tolerance. */
function converged(r: AdmmResiduals, tol: readonly [number, number, number]): boolean {
  const [zp, pp, vp] = r.primal;
  const [zd, pd, vd] = r.dual;
  const [t1, t2, t3] = tol;
  return zp <= t1 && zd <= t1 && pp <= t2 && pd <= t2 && vp <= t3 && vd <= t3;
}
