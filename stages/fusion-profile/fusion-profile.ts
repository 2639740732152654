import { inject, injectable } from 'inversify';
import { z } from 'zod';
import {
  defineStage,
  type Frame,
  type FrameRecord,
  Observations,
  Records,
  type Stage,
  type StageContext,
  TOKENS,
} from '../../src/plugin.js';
import type { TargetObservation } from '../../src/isac/association/types.js';
import { cartesianVelocity } from '../../src/isac/geometry.js';
import {
  axisValues,
  combineNormalised,
  fusionWeights,
  FUSION_WEIGHTS,
  gridAxis,
  gridValues,
  labelPeaks,
  localMaxima,
  LocationObjective,
  normaliseCorners,
  periodicAxis,
  speedLimit,
  targetArea,
  VelocityObjective,
  type GridAxis,
} from '../../src/isac/fusion/index.js';
import {
  isRandomTargets,
  type Ap,
  type Scenario,
  type Target,
  type Vec2,
} from '../../src/isac/scenario-types.js';

const finite = z.number().finite();
const vec2 = z.tuple([finite, finite]);
const positive = (def: number, doc: string, unit: string) =>
  z.number().positive('must be a number > 0').finite().default(def).describe(doc).meta({ unit });

export const fusionProfileParams = z
  .object({
    area: z
      .union([z.literal('auto'), z.tuple([vec2, vec2])])
      .default('auto')
      .describe(
        "location grid corners [[x0, y0], [x1, y1]]; 'auto' = the random targets' area, else the association fits' bounding box ± 25 m",
      )
      .meta({ unit: 'm' }),
    stepM: positive(1, 'location grid step', 'm'),
    speedRange: z
      .union([z.literal('auto'), z.tuple([finite.min(0), finite.min(0)])])
      .default('auto')
      .describe(
        "speed axis of the velocity profile; 'auto' = [0, 1.25 × the random targets' top speed] (fixed targets: [0, 150])",
      )
      .meta({ unit: 'm/s' }),
    speedStepMps: positive(1, 'velocity profile: speed step', 'm/s'),
    headingStepRad: positive(0.02, 'velocity profile: heading step over [−π, π)', 'rad'),
    threshold: z
      .number()
      .gt(0)
      .max(1)
      .default(0.7)
      .describe("detection threshold on the normalised profiles (the paper's Fig. 8: 0.7)"),
    detectionRadiusM: positive(
      5,
      'a location peak within this distance of a true target detects it; farther peaks above the threshold are ghosts',
      'm',
    ),
    detectionRadiusMps: positive(5, 'the same for velocity peaks (Cartesian velocity distance)', 'm/s'),
    weights: z.enum(FUSION_WEIGHTS).default('observation').describe('eq. (42) weights (as the sfo scheme)'),
    balance: z
      .enum(['printed', 'normalised'])
      .default('printed')
      .describe('(P3) delay vs angle terms (as the sfo scheme)'),
    markAps: z
      .boolean()
      .default(true)
      .describe(
        'store the AP layout beside the location grid (a heatmap marks them; the axes then extend to the APs)',
      ),
  })
  .strict();

export type FusionProfileParams = z.infer<typeof fusionProfileParams>;

interface LocationPeak {
  position: Vec2;
  value: number;
  /** index of the true target it detects, or null (a ghost) */
  target: number | null;
}

interface VelocityPeak {
  speed: number;
  heading: number;
  value: number;
  target: number | null;
}

/** `record.profile[resultKey]`. */
export interface ProfileRecord {
  location: {
    xs: number[];
    ys: number[];
    /** rows over ys: max over targets of each target's tr(·) of (P3) divided by its own peak */
    values: number[][];
    /** `values` where >= threshold, 0 elsewhere (a heatmap of the detection regions) */
    above: number[][];
    aps?: Ap[];
    threshold: number;
    peaks: LocationPeak[];
    detected: number;
    ghosts: number;
    /** per target: the grid point of its own peak (used for the AoAs of its velocity profile) */
    targetPeaks: Vec2[];
  };
  velocity: {
    /** headings, rad */
    xs: number[];
    /** speeds, m/s */
    ys: number[];
    values: number[][];
    above: number[][];
    threshold: number;
    peaks: VelocityPeak[];
    detected: number;
    ghosts: number;
  };
  targets: number;
}

const round4 = (v: number) => Math.round(v * 1e4) / 1e4;

function rows(values: Float64Array, ax: GridAxis, ay: GridAxis): number[][] {
  return Array.from({ length: ay.count }, (_, j) =>
    Array.from(values.subarray(j * ax.count, (j + 1) * ax.count), round4),
  );
}

function aboveRows(values: number[][], threshold: number): number[][] {
  return values.map((r) => r.map((v) => (v >= threshold ? v : 0)));
}

function argmax(values: Float64Array): number {
  let k = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[k]!) k = i;
  return k;
}

/**
 * Estimation profiles of the paper's Fig. 8: over a location grid, each associated target's (P3)
 * objective tr(|S̃F_d| + |K̃F_a|) normalised to its own peak, combined by the maximum over targets;
 * over a (heading, speed) grid the same for (P4), each target's AoAs taken from its own location
 * peak. Peaks (local maxima) at or above the threshold (0.7) are detections when they lie near a true
 * target (each target once) and ghosts otherwise. Reads frame.data.observations; writes
 * record.profile[resultKey]: grids for `source: record`
 * heatmaps (x = xs, y = ys, value = values; the APs stored beside the location grid become markers).
 */
@injectable()
export class FusionProfileStage implements Stage {
  constructor(@inject(TOKENS.StageParams) private readonly p: FusionProfileParams) {}

  process(frame: Frame, ctx: StageContext): void {
    const obs = ctx.read(frame, Observations);
    ctx.record(Records.profile, this.profile(obs, frame.aps, frame.scenario, frame.truth));
  }

  profile(
    obs: readonly TargetObservation[],
    aps: readonly Ap[],
    scenario: Scenario,
    truth: readonly Target[],
  ): ProfileRecord {
    const p = this.p;
    const sys = scenario.system;
    const [lo, hi] = this.area(obs, scenario);
    const ax = gridAxis(lo[0], hi[0], p.stepM);
    const ay = gridAxis(lo[1], hi[1], p.stepM);
    const size = ax.count * ay.count;
    const weights = obs.map((o) => fusionWeights(o, p.weights));
    const locSurfaces = obs.map((o, u) => {
      const f = new LocationObjective(o, aps, sys, weights[u]!, p.balance);
      return gridValues((x, y) => f.trace(x, y), ax, ay);
    });
    const targetPeaks: Vec2[] = locSurfaces.map((s) => {
      const k = argmax(s);
      return [ax.start + (k % ax.count) * ax.step, ay.start + Math.floor(k / ax.count) * ay.step];
    });
    const loc = combineNormalised(locSurfaces, size);
    const lpk = localMaxima(loc, ax.count, ay.count, p.threshold);
    const lpos = lpk.map((k): Vec2 => [ax.start + k.i * ax.step, ay.start + k.j * ay.step]);
    const llab = labelPeaks(lpos, truth, p.detectionRadiusM, (a, t) =>
      Math.hypot(a[0] - t.position[0], a[1] - t.position[1]),
    );

    const [s0, s1] =
      p.speedRange === 'auto'
        ? [0, isRandomTargets(scenario.targets) ? speedLimit('auto', scenario) : 150]
        : [Math.min(...p.speedRange), Math.max(...p.speedRange)];
    const hx = periodicAxis(-Math.PI, 2 * Math.PI, p.headingStepRad);
    const sy = gridAxis(s0, s1, p.speedStepMps);
    const velSurfaces = obs.map((o, u) => {
      const f = new VelocityObjective(o, aps, sys, weights[u]!, targetPeaks[u]!);
      return gridValues((h, v) => f.trace(v, h), hx, sy);
    });
    const vel = combineNormalised(velSurfaces, hx.count * sy.count);
    const vpk = localMaxima(vel, hx.count, sy.count, p.threshold, true);
    const vpts = vpk.map((k) => ({ heading: hx.start + k.i * hx.step, speed: sy.start + k.j * sy.step }));
    const vlab = labelPeaks(vpts, truth, p.detectionRadiusMps, (a, t) => {
      const e = cartesianVelocity(a);
      const g = cartesianVelocity(t.velocity);
      return Math.hypot(e[0] - g[0], e[1] - g[1]);
    });

    const locRows = rows(loc, ax, ay);
    const velRows = rows(vel, hx, sy);
    return {
      location: {
        xs: axisValues(ax),
        ys: axisValues(ay),
        values: locRows,
        above: aboveRows(locRows, p.threshold),
        ...(p.markAps
          ? {
              aps: aps.map((a) => ({
                position: [a.position[0], a.position[1]] as Vec2,
                antennas: a.antennas,
              })),
            }
          : {}),
        threshold: p.threshold,
        peaks: lpk.map((k, n) => ({ position: lpos[n]!, value: round4(k.value), target: llab[n]! })),
        detected: llab.filter((t) => t !== null).length,
        ghosts: llab.filter((t) => t === null).length,
        targetPeaks,
      },
      velocity: {
        xs: axisValues(hx).map(round4),
        ys: axisValues(sy),
        values: velRows,
        above: aboveRows(velRows, p.threshold),
        threshold: p.threshold,
        peaks: vpk.map((k, n) => ({
          speed: vpts[n]!.speed,
          heading: round4(vpts[n]!.heading),
          value: round4(k.value),
          target: vlab[n]!,
        })),
        detected: vlab.filter((t) => t !== null).length,
        ghosts: vlab.filter((t) => t === null).length,
      },
      targets: truth.length,
    };
  }

  private area(obs: readonly TargetObservation[], scenario: Scenario): [Vec2, Vec2] {
    if (this.p.area !== 'auto') return normaliseCorners(this.p.area);
    const a = targetArea(scenario);
    if (a) return a;
    const fits = obs.map((o) => o.fit.position).filter((q) => Number.isFinite(q[0]) && Number.isFinite(q[1]));
    if (fits.length === 0)
      return [
        [0, 0],
        [1, 1],
      ];
    const m = 25;
    return [
      [Math.min(...fits.map((q) => q[0])) - m, Math.min(...fits.map((q) => q[1])) - m],
      [Math.max(...fits.map((q) => q[0])) + m, Math.max(...fits.map((q) => q[1])) + m],
    ];
  }
}

function profilesOf(r: FrameRecord): ProfileRecord[] {
  const p = r.profile as ProfileRecord | Record<string, ProfileRecord> | undefined;
  if (!p) return [];
  if ('location' in p && 'velocity' in p) return [p as ProfileRecord];
  return Object.values(p as Record<string, ProfileRecord>);
}

/** Plain-text summary: detections and ghosts at the threshold, over all frames. */
export function summarizeProfiles(records: readonly FrameRecord[]): string {
  let frames = 0;
  let targets = 0;
  const sum = { ld: 0, lg: 0, vd: 0, vg: 0 };
  let threshold = 0.7;
  for (const r of records) {
    for (const p of profilesOf(r)) {
      frames++;
      targets += p.targets;
      sum.ld += p.location.detected;
      sum.lg += p.location.ghosts;
      sum.vd += p.velocity.detected;
      sum.vg += p.velocity.ghosts;
      threshold = p.location.threshold;
    }
  }
  if (frames === 0) return 'fusion-profile: no profiles';
  return (
    `fusion-profile over ${frames} frame(s), ${targets} target(s), threshold ${threshold}: ` +
    `location ${sum.ld}/${targets} detected, ${sum.lg} ghost(s); velocity ${sum.vd}/${targets} detected, ${sum.vg} ghost(s)`
  );
}

/**
 * The Fig. 8 profiles (`record.profile.profile.location.values` is a heatmap grid):
 * @example
 * ```yaml
 * isacflow: 1
 * name: profiles
 * stages:
 *   - { id: echoes, uses: echo-generator }
 *   - { id: cp, uses: cp-decomposer }
 *   - { id: assoc, uses: music-associator }
 *   - { id: profile, uses: fusion-profile, params: { threshold: 0.7, stepM: 2 } }
 * ```
 */
export const fusionProfile = defineStage({
  name: 'fusion-profile',
  summary:
    'Estimation profiles (Fig. 8): normalised (P3) location and (P4) velocity surfaces over grids, peaks above the 0.7 threshold, detections and ghosts',
  params: fusionProfileParams,
  reads: [Observations],
  adds: [],
  records: [Records.profile],
  releasesFrameData: true,
  stage: FusionProfileStage,
  summarize: summarizeProfiles,
});
