import { z } from 'zod';
import { definePlugin } from '../../src/plugin.js';
import type { Rng } from '../../src/math/rng.js';
import type { Solver } from '../../src/solvers/solver.js';
import {
  epigraphParamsShape,
  epigraphRunner,
  initialLayout,
  integerFinish,
  randomLayout,
  towardTargetsPositions,
  type EpigraphRun,
  type PlacementOutcome,
  type PlacementProblem,
  type PlacementStrategy,
  type PlacementTraceEntry,
} from '../../src/isac/placement/index.js';

const params = z
  .object({
    ...epigraphParamsShape,
    starts: z
      .number()
      .int('must be an integer >= 1')
      .min(1, 'must be an integer >= 1')
      .default(4)
      .describe(
        'local starts: the Initial layout, the toward-targets layout, then random feasible layouts from the stage rng',
      ),
    reoptimise: z
      .boolean()
      .default(true)
      .describe('after rounding the antennas to integers, re-optimise the positions with the antennas fixed'),
  })
  .strict();

export type DirectPlacementParams = z.infer<typeof params>;

/**
 * (P0) in epigraph form by the augmented-Lagrangian method around a box-constrained local solver,
 * from several starts; the best continuous solution is rounded to integer antennas.
 */
class DirectPlacement implements PlacementStrategy {
  readonly name = 'direct';
  constructor(
    private readonly p: DirectPlacementParams,
    private readonly run: EpigraphRun,
  ) {}

  place(problem: PlacementProblem, rng: Rng): PlacementOutcome {
    const e0 = problem.objective.evaluations;
    const trace: PlacementTraceEntry[] = [];
    let best: Float64Array | undefined;
    let bestValue = Infinity;
    let iterations = 0;
    let stopReason = 'singular';
    for (let k = 0; k < this.p.starts; k++) {
      const z0 = initialLayout(problem);
      let start = 'initial';
      if (k === 1) {
        towardTargetsPositions(problem, z0);
        start = 'toward-targets';
      } else if (k > 1) {
        z0.set(randomLayout(problem, rng.fork('start', k)));
        start = 'random';
      }
      const r = this.run(problem, z0, { positions: false, antennas: false }, rng.fork('direct', k));
      iterations += r.subIterations;
      trace.push({
        iteration: k + 1,
        objective: r.value,
        start,
        outer: r.outer,
        subIterations: r.subIterations,
        stopReason: r.stopReason,
      });
      if (r.value < bestValue || best === undefined) {
        best = r.z;
        bestValue = r.value;
        stopReason = r.stopReason;
      }
    }
    const continuous = best as Float64Array;
    const fin = integerFinish(
      problem,
      continuous,
      this.p.reoptimise
        ? (z) => this.run(problem, z, { positions: false, antennas: true }, rng.fork('polish')).z
        : undefined,
      initialLayout(problem),
    );
    return {
      continuous,
      final: fin.z,
      iterations,
      evaluations: problem.objective.evaluations - e0,
      stopReason,
      trace,
    };
  }
}

/**
 * The direct epigraph solution with 4 starts:
 * @example
 * ```yaml
 * isacflow: 1
 * name: direct
 * stages:
 *   - { id: placement, uses: placement-optimizer, params: { strategy: direct, radiusM: 10, strategyParams: { starts: 4 } } }
 *   - { id: crb, uses: crb-evaluator }
 * ```
 */
export const directPlacement = definePlugin('placement', {
  name: 'direct',
  summary:
    'Epigraph form min t s.t. h_u(z) <= t, discs, Σ N <= N_max, N >= minAntennas (stage option, default 1), by an augmented Lagrangian around bfgs (multi-start); then integer antennas',
  params,
  create: (p: DirectPlacementParams, deps): PlacementStrategy =>
    new DirectPlacement(
      p,
      epigraphRunner(
        p,
        (name, sp, where) => deps.registry.create<Solver>('solver', name, sp, where),
        'direct',
      ),
    ),
});
