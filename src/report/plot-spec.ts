import { z } from 'zod';
import { IsacflowError } from '../core/errors.js';
import { zodProblems } from '../core/zod-problems.js';

const marker = z
  .object({
    position: z
      .tuple([z.number(), z.number()])
      .describe('marker position in data units (e.g. an AP at [0, 350] m)'),
    label: z.string().optional().describe('text beside the marker'),
    shape: z
      .enum(['triangle-up', 'square', 'diamond', 'cross', 'circle'])
      .default('triangle-up')
      .describe('marker shape'),
    legend: z
      .string()
      .optional()
      .describe(
        "legend entry of this marker, e.g. 'AP' (markers with the same entry share it; none: no entry)",
      ),
    color: z.string().optional().describe('fill colour (CSS), default near-black'),
  })
  .strict();

/**
 * One entry of a pipeline's `outputs.plots` (shared/spec/pipeline.md). `y` (and `value` for a
 * heatmap) name a summary statistic: `<stat>.<quantity>` with stat armse | rmse | mean | median |
 * outlierRate and quantity position | velocity | speed | heading; `missRate`; `crb.<quantity>` (the
 * ARMSE-comparable √CRB of every bound series, e.g. for CRB-only pipelines);
 * `paired.armseImprovementPct.<quantity>` / `paired.medianImprovementPct.<quantity>` (series are
 * the variant pairs); or `field.<path>` for a generic field summarised with `fields:` (its mean).
 */
export const plotSpecSchema = z
  .object({
    kind: z
      .enum(['line', 'bar', 'heatmap', 'scatter', 'map'])
      .default('line')
      .describe(
        "plot type; 'map': x-y map of APs, true targets (trajectories over frames), estimates, tracks and √CRB ellipses, from the frame records",
      ),
    source: z
      .enum(['summary', 'record', 'frames'])
      .default('summary')
      .describe(
        "'summary' (statistics over trials); 'record': x, y, value are dot paths into the first frame record — lists (a CRB map grid) or paths with * whose first * names the series (placement.*.positions.*.0); 'frames': x is 'frame' (the frame index) and y is computed per frame over trials from the records: rmse.<quantity> (per estimate set, matched targets), latency (ms per frame), field.<path> (mean per group)",
      ),
    x: z
      .string()
      .min(1)
      .default('x')
      .describe(
        '(not needed for maps) x axis: a sweep key (e.g. scenario.snr.db), or a data column for scatter/heatmap rows',
      ),
    y: z
      .string()
      .min(1)
      .default('y')
      .describe(
        '(not needed for maps) y axis: a summary statistic (armse.position, median.velocity, ...) or a sweep key (heatmap)',
      ),
    value: z.string().optional().describe('heatmap colour: a summary statistic'),
    series: z
      .string()
      .default('variant')
      .describe("what the lines/bars are: 'variant', a sweep key, or 'none'"),
    variant: z.string().optional().describe('heatmap from a summary: which variant (default the first)'),
    where: z.record(z.string(), z.unknown()).optional().describe('keep only sweep points with these values'),
    fieldStat: z
      .enum(['mean', 'median'])
      .default('mean')
      .describe("statistic of a field.<path> y: 'mean' (with its interval) or 'median' (robust to outliers)"),
    logX: z.boolean().default(false).describe('logarithmic x axis'),
    logY: z.boolean().default(false).describe('logarithmic y axis'),
    logValue: z.boolean().default(false).describe('logarithmic heatmap colour scale'),
    bound: z
      .union([z.string(), z.array(z.string()).min(1), z.literal(false)])
      .default(false)
      .describe(
        "overlay bounds as dashed lines: 'crb' (the summary's crbMode), 'crb:<series>' (e.g. crb:paper), or a list of them",
      ),
    errorBars: z
      .boolean()
      .default(true)
      .describe('draw confidence intervals as error bars where the statistic has one'),
    title: z.string().optional().describe('figure title'),
    name: z
      .string()
      .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, . _ - only')
      .optional()
      .describe('file name without extension (default from y and x)'),
    xTitle: z.string().optional().describe('x axis title (default from the key, with unit)'),
    yTitle: z.string().optional().describe('y axis title (default from the statistic, with unit)'),
    valueTitle: z.string().optional().describe('heatmap legend title'),
    width: z.number().int().min(50).max(4000).default(480).describe('plot area width').meta({ unit: 'px' }),
    height: z.number().int().min(50).max(4000).default(300).describe('plot area height').meta({ unit: 'px' }),
    equalAxes: z
      .boolean()
      .optional()
      .describe('same scale on x and y (default true for scatter and heatmap)'),
    markers: z.array(marker).default([]).describe('fixed markers, e.g. AP positions on a heatmap or layout'),
    trials: z
      .enum(['first', 'all'])
      .default('first')
      .describe('map: draw the first trial of each sweep point, or every trial (estimate clouds)'),
    estimates: z
      .array(z.string())
      .optional()
      .describe('map: estimate sets to draw (keys of record.estimates; default all)'),
    tracks: z
      .boolean()
      .default(true)
      .describe('map: draw the trajectories of record.tracks (one line per track id)'),
    ellipses: z
      .union([z.string(), z.literal(false)])
      .default(false)
      .describe(
        "map: √CRB ellipses of the true targets from record.crb: 'crb' (first mode found) or 'crb:<mode>' (e.g. crb:exact)",
      ),
    ellipseSigma: z
      .number()
      .positive()
      .default(1)
      .describe(
        'map: ellipse size in standard deviations (1: the √CRB ellipse; 2.45: 95 % of a 2-D Gaussian)',
      ),
    zoom: z
      .boolean()
      .optional()
      .describe(
        'map: one zoomed panel per true target (errors around the truth, with the ellipses); default true when ellipses are drawn',
      ),
    extent: z
      .enum(['all', 'targets'])
      .default('all')
      .describe(
        "map: axes cover the APs and targets ('all') or only the targets, estimates and tracks ('targets')",
      ),
    truth: z
      .enum(['none', 'position', 'velocity'])
      .default('none')
      .describe(
        "source: record: mark the record's true targets — 'position' at (x, y) (maps, location profiles), 'velocity' at (heading, speed) (velocity profiles)",
      ),
  })
  .strict();

export type PlotSpec = z.output<typeof plotSpecSchema>;
export type PlotSpecInput = z.input<typeof plotSpecSchema>;
export type Marker = z.output<typeof marker>;

/** Validates one plot spec (defaults filled); `owner` prefixes problem paths, e.g. outputs.plots[0]. */
export function parsePlotSpec(input: unknown, owner = 'plot'): PlotSpec {
  const r = plotSpecSchema.safeParse(input);
  if (!r.success) {
    const known = (path: readonly (string | number)[]): string[] =>
      path.length === 1
        ? Object.keys(plotSpecSchema.shape)
        : path.length === 3
          ? Object.keys(marker.shape)
          : [];
    throw new IsacflowError(
      'invalid-option',
      zodProblems(r.error, [owner], () => '', known),
    );
  }
  return r.data;
}

/** File name of a plot: `name`, else `<y>-vs-<x>` with unsafe characters replaced. */
export function plotName(spec: PlotSpec): string {
  return spec.name ?? `${spec.y}-vs-${spec.x}`.replace(/[^A-Za-z0-9._-]+/g, '-');
}
