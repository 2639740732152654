import { definePlugin } from '../../src/plugin.js';
import type { Rng } from '../../src/math/rng.js';
import type { Solver } from '../../src/solvers/solver.js';
import {
  epigraphParams,
  epigraphRunner,
  initialLayout,
  integerFinish,
  towardTargetsPositions,
  type EpigraphParams,
  type EpigraphRun,
  type PlacementOutcome,
  type PlacementProblem,
  type PlacementStrategy,
} from '../../src/isac/placement/index.js';

/**
 * The honest baseline of the model notes: every AP moves ε straight toward the design targets'
 * centroid, then only the antennas are optimised (epigraph method with the positions fixed) and
 * rounded to integers.
 */
class TowardTargetsPlacement implements PlacementStrategy {
  readonly name = 'toward-targets';
  constructor(private readonly run: EpigraphRun) {}

  place(problem: PlacementProblem, rng: Rng): PlacementOutcome {
    const e0 = problem.objective.evaluations;
    const z0 = initialLayout(problem);
    towardTargetsPositions(problem, z0);
    const r = this.run(problem, z0, { positions: true, antennas: false }, rng.fork('antennas'));
    const fin = integerFinish(problem, r.z);
    return {
      continuous: r.z,
      final: fin.z,
      iterations: r.subIterations,
      evaluations: problem.objective.evaluations - e0,
      stopReason: r.stopReason,
      trace: r.trace,
    };
  }
}

/**
 * Each AP moved toward the design targets:
 * @example
 * ```yaml
 * isacflow: 1
 * name: toward
 * stages:
 *   - { id: placement, uses: placement-optimizer, params: { strategy: toward-targets, radiusM: 10 } }
 *   - { id: crb, uses: crb-evaluator }
 * ```
 */
export const towardTargetsPlacement = definePlugin('placement', {
  name: 'toward-targets',
  summary:
    "Baseline: move every AP ε toward the design targets' centroid, then optimise only the antennas (integer)",
  params: epigraphParams,
  create: (p: EpigraphParams, deps): PlacementStrategy =>
    new TowardTargetsPlacement(
      epigraphRunner(
        p,
        (name, sp, where) => deps.registry.create<Solver>('solver', name, sp, where),
        'toward-targets',
      ),
    ),
});
