import { z } from 'zod';
import { definePlugin, optionError } from '../../src/plugin.js';
import {
  boxCorners,
  boxCoverageProblem,
  fusionWeights,
  gridArgmaxSeparable,
  gridAxis,
  latticeAxis,
  LocationObjective,
  locationBox,
  MAX_GRID_POINTS,
  periodicAxis,
  speedLimit,
  velocityBox,
  VelocityObjective,
  wrapHeading,
  type FusionEstimate,
  type FusionProblem,
  type FusionScheme,
} from '../../src/isac/fusion/index.js';
import type { Scenario, Vec2 } from '../../src/isac/scenario-types.js';
import { balanceParam, searchBoxParams, weightsParam } from './fusion-params.js';

const step = (def: number, doc: string, unit: string) =>
  z
    .number()
    .positive('must be a number > 0 (the grid step)')
    .finite()
    .default(def)
    .describe(doc)
    .meta({ unit });

export const latticeParams = z
  .object({
    gridM: step(
      1,
      "location grid step in x and y: the lattice {k·gridM} inside the search box (the paper's area: 125, 126, ..., 225 m)",
      'm',
    ),
    speedStepMps: step(1, 'velocity grid: speed step over [0, speedMax]', 'm/s'),
    headingStepRad: step(
      0.01,
      'velocity grid: heading step over [−π, π) (0.01 rad ≈ 0.57°; ≈ 1 m/s across the track at 100 m/s)',
      'rad',
    ),
    ...searchBoxParams,
    weights: weightsParam,
    balance: balanceParam,
  })
  .strict();

export type LatticeParams = z.infer<typeof latticeParams>;

/**
 * The lattice baseline [5]: the same symbol-level objectives as SFO, (P3) and (P4), maximised over
 * grids instead of by a continuous search: the best location grid point, then the best (speed,
 * heading) grid point with the AoAs from that location. Its error floors at about the grid step
 * (RMS gridM/√6 for a location uniformly off-grid). The grids are evaluated separably (phase tables,
 * one lookup per AP and term) and the points within the tables' error bound of the best are
 * re-evaluated exactly, so the chosen point is the one a point-by-point scan would choose.
 */
class LatticeFusion implements FusionScheme {
  readonly name = 'lattice';
  constructor(private readonly p: LatticeParams) {}

  check(scenario: Scenario): void {
    const msg = boxCoverageProblem(this.p.box, scenario);
    if (msg) throw optionError('lattice', 'box', msg);
    const vmax = speedLimit(this.p.speedMax, scenario);
    const nv = Math.floor(vmax / this.p.speedStepMps) + 1;
    const nh = Math.ceil((2 * Math.PI) / this.p.headingStepRad);
    if (nv * nh > MAX_GRID_POINTS)
      throw optionError(
        'lattice',
        'speedStepMps',
        `the velocity grid would have ${nv} x ${nh} = ${nv * nh} points (limit ${MAX_GRID_POINTS}); use larger speedStepMps / headingStepRad`,
      );
    if (this.p.box !== 'auto') {
      const [a, b] = this.p.box;
      const n =
        (Math.floor(Math.abs(b[0] - a[0]) / this.p.gridM) + 1) *
        (Math.floor(Math.abs(b[1] - a[1]) / this.p.gridM) + 1);
      if (n > MAX_GRID_POINTS)
        throw optionError(
          'lattice',
          'gridM',
          `the location grid would have ${n} points (limit ${MAX_GRID_POINTS}); use a larger gridM`,
        );
    }
  }

  fuse(problem: FusionProblem): FusionEstimate {
    const { observation: obs, aps, scenario } = problem;
    const p = this.p;
    const sys = scenario.system;
    const w = fusionWeights(obs, p.weights);
    const loc = new LocationObjective(obs, aps, sys, w, p.balance);
    const box = locationBox(p.box, scenario, obs.fit.position, p.marginM);
    let gl;
    const la = loc.approximation();
    try {
      gl = gridArgmaxSeparable(
        (x, y) => loc.trace(x, y),
        la,
        latticeAxis(box.lower[0]!, box.upper[0]!, p.gridM),
        latticeAxis(box.lower[1]!, box.upper[1]!, p.gridM),
      );
    } catch (e) {
      throw optionError('lattice', 'gridM', (e as Error).message);
    }
    la.release?.(); // its tables serve the next objectives
    const position: Vec2 = [gl.x, gl.y];
    const vel = new VelocityObjective(obs, aps, sys, w, position);
    const vmax = speedLimit(p.speedMax, scenario);
    const vbox = velocityBox(vmax);
    const va = vel.approximation();
    const gv = gridArgmaxSeparable(
      (v, h) => vel.trace(v, h),
      va,
      gridAxis(0, vmax, p.speedStepMps),
      periodicAxis(-Math.PI, 2 * Math.PI, p.headingStepRad),
    );
    va.release?.();
    const diag = (value: number, evaluations: number, b: typeof box) => ({
      objective: value > 0 ? 1 / value : Infinity,
      evaluations,
      iterations: 0,
      stop: 'grid',
      box: boxCorners(b),
    });
    return {
      position,
      velocity: { speed: gv.x, heading: wrapHeading(gv.y) },
      diagnostics: {
        location: diag(gl.value, gl.evaluations, box),
        velocity: diag(gv.value, gv.evaluations, vbox),
      },
    };
  }
}

/**
 * The lattice baseline (grid search of P3 and P4) on a 2 m grid (`record.estimates.fusion`):
 * @example
 * ```yaml
 * isacflow: 1
 * name: lattice
 * stages:
 *   - { id: echoes, uses: echo-generator }
 *   - { id: cp, uses: cp-decomposer }
 *   - { id: assoc, uses: music-associator }
 *   - { id: fusion, uses: fusion-solver, params: { scheme: lattice, gridM: 2 } }
 * ```
 */
export const lattice = definePlugin<LatticeParams, FusionScheme>('fusion', {
  releasesFrameData: true,
  name: 'lattice',
  summary:
    'Lattice baseline [5]: the symbol-level objectives (P3), (P4) maximised over a location grid and a (speed, heading) grid',
  params: latticeParams,
  create: (p: LatticeParams) => new LatticeFusion(p),
});
