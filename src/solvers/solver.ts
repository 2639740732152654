import type { Rng } from '../math/rng.js';
import { definePlugin, type PluginDeps, type PluginManifest } from '../core/plugin.js';
import type { z } from 'zod';

/** Search box: lower[i] <= x[i] <= upper[i]. */
export interface Box {
  lower: Float64Array;
  upper: Float64Array;
}

/** An objective to minimise over R^dim. */
export interface Objective {
  dim: number;
  /** f(x), x of length dim. Must not keep x. */
  value(x: Float64Array): number;
  /** Optional: f at n points stored row-major in xs (n*dim) into out[0..n). */
  values?(xs: Float64Array, n: number, out: Float64Array): void;
  /** Optional analytic gradient: writes ∇f(x) into g and returns f(x). */
  gradient?(x: Float64Array, g: Float64Array): number;
  /**
   * Optional cheaper stand-in for f with a bounded error (e.g. (P3)/(P4) from phase tables): the
   * global stage of a hybrid solver searches on it, its candidates are then re-evaluated and
   * polished on f. Built on the first call (a few FFTs); later calls return the same object.
   */
  surrogate?(): Objective;
}

export interface SolveRequest {
  objective: Objective;
  box: Box;
  /** the trial's generator (solvers draw every random number from it) */
  rng: Rng;
  /** start point (local solvers); global solvers may seed their population with it */
  x0?: Float64Array;
  /** hard cap on objective evaluations (gradient evaluations count as one each) */
  maxEvaluations?: number;
}

export interface TraceEntry {
  /** iteration / epoch / generation index, from 1 */
  iteration: number;
  /** evaluations used so far */
  evaluations: number;
  /** best value so far */
  best: number;
}

export type StopReason =
  | 'converged'
  | 'max-iterations'
  | 'max-evaluations'
  | 'gradient-tolerance'
  | 'line-search-failed'
  | 'no-progress';

export interface SolveResult {
  x: Float64Array;
  value: number;
  evaluations: number;
  iterations: number;
  stopReason: StopReason;
  trace: TraceEntry[];
  /** a few best distinct points found (global solvers), best first; hybrids polish these */
  candidates?: Array<{ x: Float64Array; value: number }>;
}

export interface Solver {
  readonly name: string;
  minimize(req: SolveRequest): SolveResult;
}

/**
 * Declares a solver plugin: minimise `objective.value(x)` over `box`, every random number from
 * `rng`, within `maxEvaluations`; return the best point, its value, the evaluations, a stop reason
 * and a trace.
 *
 * @example
 * ```ts
 * import { defineSolver, z } from 'isacflow';
 *
 * export const randomSearch = defineSolver({
 *   name: 'random-search',
 *   summary: 'Pure random search: best of N uniform draws in the box',
 *   params: z.object({ samples: z.number().int().min(1).default(2000).describe('uniform draws') }).strict(),
 *   create: (p) => ({
 *     name: 'random-search',
 *     minimize({ objective, box, rng, maxEvaluations }) {
 *       const n = Math.min(p.samples, maxEvaluations ?? Infinity);
 *       const x = new Float64Array(objective.dim);
 *       let best = new Float64Array(objective.dim);
 *       let bestValue = Infinity;
 *       for (let k = 0; k < n; k++) {
 *         for (let i = 0; i < objective.dim; i++) x[i] = rng.uniformIn(box.lower[i]!, box.upper[i]!);
 *         const v = objective.value(x);
 *         if (v < bestValue) {
 *           bestValue = v;
 *           best = Float64Array.from(x);
 *         }
 *       }
 *       return { x: best, value: bestValue, evaluations: n, iterations: n, stopReason: 'max-iterations', trace: [] };
 *     },
 *   }),
 * });
 * ```
 */
export function defineSolver<P>(m: {
  name: string;
  summary: string;
  params: z.ZodType<P>;
  create: (params: P, deps: PluginDeps) => Solver;
}): PluginManifest<P, Solver> {
  return definePlugin<P, Solver>('solver', m);
}
