import { z } from 'zod';
import { IsacflowError } from '../core/errors.js';
import { zodProblems } from '../core/zod-problems.js';
import { QUANTITIES } from './summary-types.js';

const perQuantity = (
  d: { position: number; velocity: number; speed: number; heading: number },
  what: string,
) =>
  z
    .object({
      position: z.number().min(0).default(d.position).describe(`${what}, position`).meta({ unit: 'm' }),
      velocity: z
        .number()
        .min(0)
        .default(d.velocity)
        .describe(`${what}, Cartesian velocity`)
        .meta({ unit: 'm/s' }),
      speed: z.number().min(0).default(d.speed).describe(`${what}, speed`).meta({ unit: 'm/s' }),
      heading: z.number().min(0).default(d.heading).describe(`${what}, heading`).meta({ unit: 'rad' }),
    })
    .strict();

/**
 * Options of the summary (aggregation of frame records). Outlier threshold of a quantity at a
 * sweep point: `outlier.fixed` when given, else max(crbMultiple · bound, floor) where bound is
 * the point's ARMSE-comparable √CRB of the `crbMode` series, else the floor alone. The floor keeps
 * grid-based schemes (lattice, 1 m grid) from being all "outliers" when the CRB is centimetres.
 */
export const summaryOptionsSchema = z
  .object({
    bootstrap: z
      .number()
      .int()
      .min(0)
      .default(1000)
      .describe('bootstrap replicates for confidence intervals (resampling whole trials); 0 = no intervals'),
    confidence: z.number().gt(0).lt(1).default(0.95).describe('confidence level of all intervals'),
    interval: z
      .enum(['expanded', 'percentile'])
      .default('expanded')
      .describe(
        "bootstrap interval: 'expanded' percentile (Hesterberg 2015; corrects the plain percentile's under-coverage with few trials) or plain 'percentile'",
      ),
    crbMode: z
      .string()
      .optional()
      .describe('bound series of record.crb used for outlier thresholds (default: the first one found)'),
    outlier: z
      .object({
        crbMultiple: z.number().positive().default(10).describe('outlier threshold in multiples of √CRB'),
        floor: perQuantity(
          { position: 5, velocity: 5, speed: 5, heading: 0.05 },
          'smallest outlier threshold',
        ).prefault({}),
        fixed: perQuantity({ position: 5, velocity: 5, speed: 5, heading: 0.05 }, 'fixed outlier threshold')
          .partial()
          .optional()
          .describe('fixed thresholds that override the CRB rule'),
      })
      .strict()
      .prefault({}),
    pairs: z
      .array(z.tuple([z.string(), z.string()]))
      .optional()
      .describe(
        'variant pairs [A, B] to compare (improvement of A over B); default every pair in variant order',
      ),
    fields: z
      .array(z.string().min(1))
      .default([])
      .describe(
        "record fields to summarise by dot path, e.g. 'placement.objective'; '*' matches any key (one group each)",
      ),
    tables: z
      .array(z.enum(QUANTITIES))
      .min(1)
      .optional()
      .describe(
        'quantities with an error table on the console and in the report (default all: position, velocity, speed, heading)',
      ),
    velocityWeightS: z
      .number()
      .min(0)
      .default(0)
      .describe('weight of the velocity error in the matching cost |Δp| + w·|Δv|')
      .meta({ unit: 's' }),
  })
  .strict();

export type SummaryOptions = z.output<typeof summaryOptionsSchema>;
export type SummaryOptionsInput = z.input<typeof summaryOptionsSchema>;

/** Validates summary options (defaults filled); throws IsacflowError 'invalid-option' listing every problem. */
export function parseSummaryOptions(input: unknown, owner = 'summary'): SummaryOptions {
  const r = summaryOptionsSchema.safeParse(input ?? {});
  if (!r.success) {
    const known = (path: readonly (string | number)[]): string[] => {
      if (path.length === 1) return Object.keys(summaryOptionsSchema.shape);
      if (path.length === 2 && path[1] === 'outlier') return ['crbMultiple', 'floor', 'fixed'];
      if (path.length === 3 && path[1] === 'outlier') return ['position', 'velocity', 'speed', 'heading'];
      return [];
    };
    throw new IsacflowError(
      'invalid-option',
      zodProblems(r.error, [owner], () => '', known),
    );
  }
  return r.data;
}
