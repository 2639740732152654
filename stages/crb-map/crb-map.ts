import { inject, injectable } from 'inversify';
import { z } from 'zod';
import {
  defineStage,
  type Frame,
  optionError,
  Records,
  type Stage,
  type StageContext,
  TOKENS,
} from '../../src/plugin.js';
import { CRB_MODES, crbTargets, isSingular } from '../../src/isac/crb/index.js';
import type { Ap } from '../../src/isac/scenario-types.js';

const point = z.tuple([z.number(), z.number()]);

export const crbMapParams = z
  .object({
    area: z
      .tuple([point, point])
      .default([
        [-25, -25],
        [375, 375],
      ])
      .describe('grid corners [[xmin, ymin], [xmax, ymax]]')
      .meta({ unit: 'm' }),
    stepM: z.number().positive().default(5).describe('grid step').meta({ unit: 'm' }),
    speed: z
      .number()
      .min(0)
      .default(100)
      .describe('target speed for the velocity bound')
      .meta({ unit: 'm/s' }),
    heading: z.number().default(0.6).describe('target heading θ_u').meta({ unit: 'rad' }),
    mode: z.enum(CRB_MODES).default('exact').describe('CRB mode (see crb-evaluator)'),
  })
  .strict();

type Params = z.infer<typeof crbMapParams>;

/** `record.crbMap[resultKey]`: the bounds on a grid; null where the bound is singular (e.g. on an AP). */
export interface CrbMapRecord {
  mode: string;
  xs: number[];
  ys: number[];
  /** √tr CRB_p [m], rows over ys, columns over xs */
  sqrtTrP: Array<Array<number | null>>;
  /** √tr of the bound on the Cartesian velocity [m/s] */
  sqrtTrVelXY: Array<Array<number | null>>;
  /** the AP layout of the map (heatmap markers) */
  aps: Ap[];
  speed: number;
  heading: number;
}

/**
 * CRB map: √tr CRB_p and the Cartesian velocity bound of a target with the given velocity at every
 * point of a grid, for the frame's AP layout (so it follows a placement stage). A researcher sees
 * at a glance where a layout is weak.
 */
@injectable()
export class CrbMapStage implements Stage {
  private readonly xs: number[];
  private readonly ys: number[];

  constructor(@inject(TOKENS.StageParams) private readonly p: Params) {
    const [[x0, y0], [x1, y1]] = p.area;
    if (x0 >= x1 || y0 >= y1)
      throw optionError(
        'crb-map',
        'area',
        `min corner [${x0}, ${y0}] must be below and left of max corner [${x1}, ${y1}]`,
      );
    const nx = Math.floor((x1 - x0) / p.stepM + 1e-9) + 1;
    const ny = Math.floor((y1 - y0) / p.stepM + 1e-9) + 1;
    if (nx * ny > 1_000_000)
      throw optionError(
        'crb-map',
        'stepM',
        `grid of ${nx} x ${ny} points is too large (at most 1e6): use a larger step`,
      );
    this.xs = Array.from({ length: nx }, (_, i) => x0 + i * p.stepM);
    this.ys = Array.from({ length: ny }, (_, j) => y0 + j * p.stepM);
  }

  process(frame: Frame, ctx: StageContext): void {
    const { system, snr } = frame.scenario;
    const velocity = { speed: this.p.speed, heading: this.p.heading };
    const targets = this.ys.flatMap((y) =>
      this.xs.map((x) => ({ position: [x, y] as [number, number], velocity })),
    );
    const res = crbTargets(frame.aps, targets, system, snr, this.p.mode);
    const nx = this.xs.length;
    const grid = (f: (k: number) => number | null) =>
      this.ys.map((_, j) => this.xs.map((_, i) => f(j * nx + i)));
    const rec: CrbMapRecord = {
      mode: this.p.mode,
      xs: this.xs,
      ys: this.ys,
      sqrtTrP: grid((k) => {
        const r = res[k]!;
        return isSingular(r) ? null : r.sqrtTrP;
      }),
      sqrtTrVelXY: grid((k) => {
        const r = res[k]!;
        return isSingular(r) ? null : r.sqrtTrVelXY;
      }),
      aps: frame.aps.map((a) => ({ position: [a.position[0], a.position[1]], antennas: a.antennas })),
      speed: this.p.speed,
      heading: this.p.heading,
    };
    ctx.record(Records.crbMap, rec);
  }
}

/**
 * √tr CRB_p over the area on a 10 m grid (`record.crbMap.map.sqrtTrP`):
 * @example
 * ```yaml
 * isacflow: 1
 * name: crb-map
 * stages:
 *   - { id: map, uses: crb-map, params: { stepM: 10, speed: 100, heading: 0.6, mode: exact } }
 * ```
 */
export const crbMap = defineStage({
  name: 'crb-map',
  summary:
    'Grid map of √tr CRB_p and the Cartesian velocity bound over an area for a given target velocity (heatmaps with APs)',
  params: crbMapParams,
  reads: [],
  adds: [],
  records: [Records.crbMap],
  releasesFrameData: true,
  stage: CrbMapStage,
});
