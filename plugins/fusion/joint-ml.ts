import { z } from 'zod';
import { definePlugin, optionError } from '../../src/plugin.js';
import {
  boxCoverageProblem,
  normaliseCorners,
  speedLimit,
  targetArea,
  wrapHeading,
  type FrameFusionProblem,
  type FusionEstimate,
  type FusionProblem,
  type FusionScheme,
} from '../../src/isac/fusion/index.js';
import { jointMl, type JointStart } from '../../src/isac/joint/joint-ml.js';
import { isRandomTargets, type Scenario, type Vec2 } from '../../src/isac/scenario-types.js';
import { searchBoxParams } from './fusion-params.js';

const count = (def: number, doc: string) => z.number().int().min(0).default(def).describe(doc);

export const jointMlParams = z
  .object({
    order: z
      .enum(['known', 'glrt'])
      .default('known')
      .describe(
        "number of targets: 'known' = as many as the associator's observations (the CP rank); 'glrt' = from the data: " +
          'a target is kept when its GLRT statistic (the σ-normalised energy it explains beyond the others) exceeds the ' +
          "threshold for 'falseAlarmRate' per frame (Gamma(L, 1) tail, Bonferroni over x-y grid points × Doppler cells)",
      ),
    falseAlarmRate: z
      .number()
      .gt(0)
      .lt(1)
      .default(1e-3)
      .describe("order: 'glrt': probability of a false target per frame"),
    gridM: z
      .number()
      .positive()
      .default(2)
      .describe('x-y grid step of the multi-AP location map (detection and initialisation)')
      .meta({ unit: 'm' }),
    cyclicSweeps: count(
      1,
      'cyclic (RELAX/SAGE-style) sweeps: each target in turn refined with the others fixed',
    ),
    cyclicSteps: count(3, 'Levenberg-Marquardt steps per target per cyclic sweep'),
    polishSteps: count(6, 'joint Gauss-Newton (Levenberg-Marquardt) polish steps on all targets at once'),
    mapRounds: count(
      4,
      'successive-cancellation rounds on the residual location map after the SL-MDTS start (a found peak is added, or swapped in for the weakest target when the likelihood grows)',
    ),
    misfitZ: z
      .number()
      .positive()
      .default(6)
      .describe(
        'goodness-of-fit check: when the residual energy exceeds its noise-only mean by more than this many standard deviations, velocity swaps of close pairs and the location map are tried',
      ),
    swapDistanceM: z
      .number()
      .positive()
      .default(30)
      .describe(
        'groups of targets closer than this get their Doppler lines re-associated (the lines seen at their cell at every AP, best assignments by least squares) when the fit is poor',
      )
      .meta({ unit: 'm' }),
    ...searchBoxParams,
  })
  .strict();

export type JointMlParams = z.infer<typeof jointMlParams>;

/**
 * Joint multi-AP, multi-target maximum likelihood (issue 14; model notes "The joint (multi-target)
 * CRB"): all targets' (x, y, v, θ_u) from the raw echoes of all APs with one complex amplitude per
 * (AP, target) concentrated out; initialised from the SL-MDTS candidates (the associator's fits)
 * and the multi-AP location map with successive cancellation; cyclic per-target refinement, then a
 * joint Gauss-Newton polish. A frame-level scheme: it reads frame.data.echoes beside the observations.
 */
class JointMlFusion implements FusionScheme {
  readonly name = 'joint-ml';
  constructor(private readonly p: JointMlParams) {}

  check(scenario: Scenario): void {
    const msg = boxCoverageProblem(this.p.box, scenario);
    if (msg) throw optionError('joint-ml', 'box', msg);
  }

  fuse(_problem: FusionProblem): FusionEstimate {
    throw optionError(
      'joint-ml',
      'scheme',
      'joint-ml fuses whole frames (fuseFrame); use it through the fusion-solver stage',
    );
  }

  fuseFrame(problem: FrameFusionProblem): FusionEstimate[] {
    const { observations, echoes, aps, scenario } = problem;
    const starts: JointStart[] = observations.map((o) => ({
      position: o.fit.position,
      velocity: o.fit.velocity,
    }));
    const box = this.searchBox(scenario, starts);
    const speedMax = speedLimit(this.p.speedMax, scenario);
    const want =
      observations.length > 0
        ? observations.length
        : isRandomTargets(scenario.targets)
          ? scenario.targets.random.count
          : scenario.targets.length;
    const r = jointMl(echoes, aps, scenario.system, starts, {
      order: this.p.order,
      count: want,
      pfa: this.p.falseAlarmRate,
      box,
      speedMax,
      gridM: this.p.gridM,
      cyclicSweeps: this.p.cyclicSweeps,
      cyclicSteps: this.p.cyclicSteps,
      polishSteps: this.p.polishSteps,
      mapRounds: this.p.mapRounds,
      marginM: this.p.marginM,
      misfitZ: this.p.misfitZ,
      swapDistanceM: this.p.swapDistanceM,
    });
    const corners: [Vec2, Vec2] = [box.lower, box.upper];
    const vbox: [Vec2, Vec2] = [
      [0, -Math.PI],
      [speedMax, Math.PI],
    ];
    return r.targets.map((t) => ({
      position: t.position,
      velocity: { speed: t.speed, heading: wrapHeading(t.heading) },
      diagnostics: {
        location: {
          objective: t.statistic,
          evaluations: r.passes,
          iterations: r.steps,
          stop: `joint-ml (map rounds ${r.mapRoundsUsed}, swaps ${r.swaps}, misfit z ${r.misfitZ.toFixed(1)})`,
          box: corners,
        },
        velocity: {
          objective: r.energy,
          evaluations: r.passes,
          iterations: r.steps,
          stop: `glrt threshold ${r.threshold.toFixed(1)}`,
          box: vbox,
        },
      },
    }));
  }

  /** The location map's box: the explicit one, the random targets' area, or the starts' hull ± marginM. */
  private searchBox(scenario: Scenario, starts: readonly JointStart[]): { lower: Vec2; upper: Vec2 } {
    if (this.p.box !== 'auto') {
      const c = normaliseCorners(this.p.box);
      return { lower: c[0], upper: c[1] };
    }
    const area = targetArea(scenario);
    if (area) return { lower: area[0], upper: area[1] };
    const pts = starts.length > 0 ? starts.map((s) => s.position) : [[175, 175] as Vec2];
    const m = this.p.marginM;
    return {
      lower: [Math.min(...pts.map((q) => q[0])) - m, Math.min(...pts.map((q) => q[1])) - m],
      upper: [Math.max(...pts.map((q) => q[0])) + m, Math.max(...pts.map((q) => q[1])) + m],
    };
  }
}

/**
 * Joint ML beside SFO on the same frames, with the multi-target bound it attains
 * (`record.estimates.sfo`, `record.estimates.joint`, `record.crb.crb.joint`):
 * @example
 * ```yaml
 * isacflow: 1
 * name: joint-ml
 * stages:
 *   - { id: echoes, uses: echo-generator }
 *   - { id: cp, uses: cp-decomposer }
 *   - { id: assoc, uses: music-associator }
 *   - { id: crb, uses: crb-evaluator, params: { modes: [exact, joint] } }
 *   - id: fusion
 *     uses: fusion-solver
 *     variants:
 *       sfo: { scheme: sfo }
 *       joint: { scheme: joint-ml, order: glrt }
 * ```
 */
export const jointMlFusion = definePlugin<JointMlParams, FusionScheme>('fusion', {
  releasesFrameData: true,
  name: 'joint-ml',
  summary:
    'Joint multi-AP, multi-target ML on the raw echoes (amplitudes concentrated; location-map + SL-MDTS start, cyclic then joint Gauss-Newton); reads frame.data.echoes',
  params: jointMlParams,
  create: (p: JointMlParams) => new JointMlFusion(p),
});
