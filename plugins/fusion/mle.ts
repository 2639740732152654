import { z } from 'zod';
import { definePlugin, optionError, type PluginDeps } from '../../src/plugin.js';
import {
  boxCorners,
  boxCoverageProblem,
  locationBox,
  speedLimit,
  velocityBox,
  velocityWls,
  weightedMeasurements,
  WlsLocationObjective,
  wlsStarts,
  type FusionEstimate,
  type FusionProblem,
  type FusionScheme,
} from '../../src/isac/fusion/index.js';
import type { Scenario, Vec2 } from '../../src/isac/scenario-types.js';
import { clipToBox } from '../../src/solvers/box.js';
import type { Solver } from '../../src/solvers/solver.js';
import { createSolverOption, searchBoxParams } from './fusion-params.js';

export const mleParams = z
  .object({
    weights: z
      .enum(['crb', 'equal'])
      .default('crb')
      .describe(
        "'crb' = each AP's range, sin θ and Doppler weighted by the inverse of its single-tone CRB at the AP's estimated SNR |α̂|²/σ̂²; 'equal' = the same with SNR = 1 at every AP",
      ),
    solver: z
      .string()
      .min(1)
      .default('bfgs')
      .describe('bounded local solver of the location least squares (run from every start point)'),
    solverParams: z.record(z.string(), z.unknown()).default({}).describe("the solver's params"),
    ...searchBoxParams,
  })
  .strict();

export type MleParams = z.infer<typeof mleParams>;

/**
 * Data-level fusion baseline (the MLE of [7]): each AP's own range, sin θ and Doppler estimates
 * (eqs. 37-39) combined by weighted nonlinear least squares into the location — bounded to the
 * search box (unbounded it diverges; model notes), solved from the association's fit and the 2L
 * single-AP points — then the velocity by the bounded linear least squares of the Dopplers.
 */
class DataLevelMle implements FusionScheme {
  readonly name = 'mle';
  constructor(
    private readonly p: MleParams,
    private readonly solver: Solver,
  ) {}

  check(scenario: Scenario): void {
    const msg = boxCoverageProblem(this.p.box, scenario);
    if (msg) throw optionError('mle', 'box', msg);
  }

  fuse(problem: FusionProblem): FusionEstimate {
    const { observation: obs, aps, scenario, rng } = problem;
    const sys = scenario.system;
    const meas = weightedMeasurements(obs, aps, sys, this.p.weights);
    const objective = new WlsLocationObjective(meas);
    const box = locationBox(this.p.box, scenario, obs.fit.position, this.p.marginM);
    const starts = wlsStarts(meas, obs.fit.position);
    if (starts.length === 0)
      starts.push([0.5 * (box.lower[0]! + box.upper[0]!), 0.5 * (box.lower[1]! + box.upper[1]!)]);
    let best: { x: Float64Array; value: number; iterations: number; stop: string } = {
      x: new Float64Array(2),
      value: Infinity,
      iterations: 0,
      stop: 'none',
    };
    let evaluations = 0;
    starts.forEach((s, k) => {
      const x0 = Float64Array.from(s);
      clipToBox(x0, box);
      const r = this.solver.minimize({ objective, box, rng: rng.fork('start', k), x0 });
      evaluations += r.evaluations;
      if (r.value < best.value || k === 0)
        best = { x: r.x, value: r.value, iterations: r.iterations, stop: r.stopReason };
    });
    const position: Vec2 = [best.x[0]!, best.x[1]!];
    const vmax = speedLimit(this.p.speedMax, scenario);
    const v = velocityWls(meas, position, sys, vmax);
    return {
      position,
      velocity: { speed: Math.hypot(v.vx, v.vy), heading: Math.atan2(v.vy, v.vx) },
      diagnostics: {
        location: {
          objective: best.value,
          evaluations,
          iterations: best.iterations,
          stop: best.stop,
          box: boxCorners(box),
        },
        velocity: {
          objective: v.cost,
          evaluations: 1,
          iterations: 0,
          stop: v.limited ? 'speed-limit' : 'closed-form',
          box: boxCorners(velocityBox(vmax)),
        },
      },
    };
  }
}

/**
 * The MLE baseline as the fusion scheme (`record.estimates.fusion`):
 * @example
 * ```yaml
 * isacflow: 1
 * name: mle
 * stages:
 *   - { id: echoes, uses: echo-generator }
 *   - { id: cp, uses: cp-decomposer }
 *   - { id: assoc, uses: music-associator }
 *   - { id: fusion, uses: fusion-solver, params: { scheme: mle } }
 * ```
 */
export const mle = definePlugin<MleParams, FusionScheme>('fusion', {
  releasesFrameData: true,
  name: 'mle',
  summary:
    'Data-level MLE baseline [7]: weighted least squares of per-AP range, sin θ and Doppler estimates, bounded to the search box',
  params: mleParams,
  create: (p: MleParams, deps: PluginDeps) =>
    new DataLevelMle(
      p,
      createSolverOption(deps.registry, 'mle', 'solver', p.solver, p.solverParams, 'solverParams'),
    ),
});
