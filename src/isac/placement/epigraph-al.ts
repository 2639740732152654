import type { Rng } from '../../math/rng.js';
import type { Box, Solver } from '../../solvers/solver.js';
import { EpigraphLagrangian } from './epigraph-lagrangian.js';
import { projectFeasible } from './layouts.js';
import { minAntennasOf, type PlacementProblem, type PlacementTraceEntry } from './types.js';

export interface EpigraphOptions {
  /** outer (multiplier) iterations */
  maxOuter: number;
  /** stop when the complementarity-violation measure V and the change of t are <= tolerance */
  tolerance: number;
  /** initial penalty ρ */
  rho0: number;
  /** ρ ← growth·ρ when V did not fall below a quarter of its previous value */
  growth: number;
  rhoMax: number;
}

export interface EpigraphTraceEntry extends PlacementTraceEntry {
  /** max_i |max(g_i, −μ_i/ρ)| */
  violation: number;
  rho: number;
  subIterations: number;
}

export interface EpigraphResult {
  /** the solution projected onto the feasible set */
  z: Float64Array;
  /** worst-case objective at z */
  value: number;
  /** outer iterations */
  outer: number;
  /** iterations of the inner solver, summed */
  subIterations: number;
  stopReason: 'converged' | 'max-iterations' | 'singular';
  trace: EpigraphTraceEntry[];
}

/**
 * The direct method: (P0) in epigraph form,
 *   min_{z, t} t  s.t.  h_u(z) − t <= 0 ∀u,  (||c_l − ĉ_l||² − ε²)/ε² <= 0 ∀l,
 *                       (Σ_l N_l − N_max)/N_max <= 0,  N_l >= b_min (`p.minAntennas`, default 1),
 * solved by the augmented Lagrangian method for inequalities (Powell-Hestenes-Rockafellar;
 * Nocedal & Wright §17.4 / Birgin & Martínez): the inner problem
 *   min Φ_ρ(x) = t + 1/(2ρ) Σ_i [max(0, μ_i + ρ g_i(x))² − μ_i²]
 * (C¹, analytic gradient) is solved by the given box-constrained local solver (bfgs or tn) with
 * N ∈ [b_min, N_max] and positions in the discs' bounding squares as bounds; then
 * μ_i ← max(0, μ_i + ρ g_i) and ρ grows tenfold when V = max_i |max(g_i, −μ_i/ρ)| did not fall
 * by 4x. Multipliers of the h-constraints start at 1/U (they sum to 1 at a KKT point).
 * `fixPositions` / `fixAntennas` hold those coordinates at z0 (used to optimise antennas only,
 * or positions for given integer antennas). The result is projected onto the feasible set.
 */
export function solveEpigraph(
  p: PlacementProblem,
  z0: Float64Array,
  fix: { positions: boolean; antennas: boolean },
  o: EpigraphOptions,
  solver: Solver,
  rng: Rng,
): EpigraphResult {
  const obj = p.objective;
  const L = obj.L;
  const U = obj.U;
  const n = obj.dim;
  const nom = p.nominal;
  const eps = p.radius;
  const bmin = minAntennasOf(p);
  const inner = new EpigraphLagrangian(p, !fix.positions && eps > 0, !fix.antennas);
  const { mu, g, h, m } = inner;
  for (let u = 0; u < U; u++) mu[u] = 1 / U;
  inner.rho = o.rho0;

  const box: Box = { lower: new Float64Array(n + 1), upper: new Float64Array(n + 1) };
  for (let i = 0; i < 2 * L; i++) {
    box.lower[i] = fix.positions ? (z0[i] as number) : (nom[i] as number) - eps;
    box.upper[i] = fix.positions ? (z0[i] as number) : (nom[i] as number) + eps;
  }
  for (let l = 0; l < L; l++) {
    box.lower[2 * L + l] = fix.antennas ? (z0[2 * L + l] as number) : bmin;
    box.upper[2 * L + l] = fix.antennas ? (z0[2 * L + l] as number) : p.maxAntennas;
  }
  box.lower[n] = -Infinity;
  box.upper[n] = Infinity;

  const trace: EpigraphTraceEntry[] = [];
  let subIterations = 0;
  const x = new Float64Array(n + 1);
  x.set(z0);
  for (let i = 0; i < n; i++)
    x[i] = Math.min(Math.max(x[i] as number, box.lower[i] as number), box.upper[i] as number);
  if (!obj.evaluate(x, h)) return finish('singular', 0);
  let t0 = -Infinity;
  for (let u = 0; u < U; u++) t0 = Math.max(t0, h[u] as number);
  x[n] = t0;

  let vPrev = Infinity;
  let tPrev = t0;
  const innerRng = rng.fork('epigraph-inner');
  for (let k = 1; k <= o.maxOuter; k++) {
    const r = solver.minimize({ objective: inner, box, rng: innerRng, x0: x });
    subIterations += r.iterations;
    if (Number.isFinite(r.value)) x.set(r.x);
    if (!inner.constraints(x)) return finish('singular', k);
    let V = 0;
    for (let i = 0; i < m; i++) {
      const gi = g[i] as number;
      V = Math.max(V, Math.abs(Math.max(gi, -(mu[i] as number) / inner.rho)));
      mu[i] = Math.max(0, (mu[i] as number) + inner.rho * gi);
    }
    const t = x[n] as number;
    let worst = -Infinity;
    for (let u = 0; u < U; u++) worst = Math.max(worst, h[u] as number);
    trace.push({ iteration: k, objective: worst, violation: V, rho: inner.rho, subIterations: r.iterations });
    if (V <= o.tolerance && Math.abs(t - tPrev) <= o.tolerance * Math.max(1, Math.abs(t)))
      return finish('converged', k);
    tPrev = t;
    if (V > 0.25 * vPrev) inner.rho = Math.min(o.rhoMax, inner.rho * o.growth);
    vPrev = V;
  }
  return finish('max-iterations', o.maxOuter);

  function finish(stopReason: EpigraphResult['stopReason'], outer: number): EpigraphResult {
    const z = Float64Array.from(x.subarray(0, n));
    projectFeasible(p, z);
    return { z, value: obj.worst(z), outer, subIterations, stopReason, trace };
  }
}
