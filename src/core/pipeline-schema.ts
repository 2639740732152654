import { z } from 'zod';
import { plotSpecSchema } from '../report/plot-spec.js';
import { summaryOptionsSchema } from '../results/summary-options.js';
import { limitsSchema } from './limits.js';

/** The pipeline contract (shared/spec/pipeline.md), format version 1. */
export const PIPELINE_VERSION = 1;

const stageIdPattern = /^[A-Za-z][A-Za-z0-9_-]*$/;

export const stageEntrySchema = z
  .object({
    id: z
      .string({ error: 'must be a string (the stage id used in dot paths and records)' })
      .regex(stageIdPattern, { error: 'must start with a letter and use only letters, digits, - and _' })
      .optional()
      .describe('stage id (default: the stage name)'),
    uses: z.string({ error: 'must name a stage (isacflow list shows them)' }).describe('stage name'),
    params: z
      .record(z.string(), z.unknown(), { error: 'must be a mapping of parameter names to values' })
      .default({}),
    variants: z
      .record(z.string().regex(stageIdPattern), z.record(z.string(), z.unknown()), {
        error: 'must map variant names to parameter mappings, e.g. { sfo: { scheme: sfo } }',
      })
      .optional()
      .describe('variants of this stage; every variant sees the same frames'),
  })
  .strict();

/** A plugin given with options: `{ module: ./my-crb.ts, override: true }` may replace a built-in of the same name. */
export const pluginEntrySchema = z
  .object({
    module: z
      .string()
      .min(1)
      .describe('module path (relative to the pipeline file, or ~/...) or package name'),
    override: z
      .boolean()
      .default(false)
      .describe('allow this plugin to replace a built-in (or earlier) stage or plugin of the same name'),
  })
  .strict();

export const pipelineSchema = z
  .object({
    isacflow: z.literal(PIPELINE_VERSION, {
      error: `must be ${PIPELINE_VERSION} (the pipeline format version)`,
    }),
    name: z
      .string({ error: 'must be a name (used for the run folder)' })
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { error: 'must use only letters, digits, ., - and _' }),
    description: z.string().optional(),
    plugins: z
      .array(z.union([z.string().min(1), pluginEntrySchema]), {
        error:
          'must be a list of module paths or package names (or { module, override: true } to replace a built-in)',
      })
      .default([]),
    scenario: z.unknown().optional().describe('a path to a scenario YAML, or the scenario inline'),
    source: z
      .object({
        uses: z
          .string({ error: 'must name a frame source (simulated, npy, tcp, stdin, or a source plugin)' })
          .describe('frame source name'),
        params: z
          .record(z.string(), z.unknown(), { error: 'must be a mapping of parameter names to values' })
          .default({}),
      })
      .strict()
      .optional()
      .describe(
        'where frames come from (default: simulated from the scenario); e.g. { uses: npy, params: { path: ./recording } }',
      ),
    run: z
      .object({
        trials: z.number().int().min(1, { error: 'must be at least 1 trial' }).default(1),
        frames: z.number().int().min(1, { error: 'must be at least 1 frame' }).default(1),
        seed: z.number().int({ error: 'must be an integer seed' }).optional(),
        workers: z
          .union([z.literal('auto'), z.number().int().min(1)], {
            error: "must be 'auto' or a whole number >= 1",
          })
          .default('auto'),
      })
      .strict()
      .prefault({}),
    sweep: z
      .record(z.string(), z.array(z.unknown()).min(1, { error: 'must list at least one value' }), {
        error: 'must map dot paths to lists of values',
      })
      .default({}),
    stages: z
      .array(stageEntrySchema, { error: 'must be a list of stages' })
      .min(1, { error: 'must list at least one stage' }),
    outputs: z
      .object({
        plots: z.array(plotSpecSchema).default([]).describe('figures (src/report/plot-spec.ts)'),
        report: z.boolean().default(true).describe('write report.html'),
        summary: summaryOptionsSchema
          .prefault({})
          .describe('aggregation options (src/results/summary-options.ts)'),
        sections: z
          .array(z.object({ title: z.string(), text: z.string() }).strict())
          .default([])
          .describe("extra text sections for the report (e.g. the paper's claimed numbers)"),
      })
      .strict()
      .prefault({}),
    limits: limitsSchema
      .prefault({})
      .describe('limits on sweep points, work and array sizes (raise them here)'),
  })
  .strict();

export type PipelineSpec = z.infer<typeof pipelineSchema>;
export type StageEntry = z.infer<typeof stageEntrySchema>;

export function pipelineKeysAt(path: readonly (string | number)[]): string[] {
  const p = path.filter((k) => typeof k === 'string').join('.');
  const shapes: Record<string, string[]> = {
    '': Object.keys(pipelineSchema.shape),
    run: ['trials', 'frames', 'seed', 'workers'],
    source: ['uses', 'params'],
    stages: Object.keys(stageEntrySchema.shape),
    outputs: ['plots', 'report', 'summary', 'sections'],
    limits: Object.keys(limitsSchema.shape),
    plugins: Object.keys(pluginEntrySchema.shape),
    'outputs.plots': Object.keys(plotSpecSchema.shape),
    'outputs.summary': Object.keys(summaryOptionsSchema.shape),
  };
  return shapes[p] ?? [];
}

/** A `plugins:` entry as { module, override }. */
export function pluginEntry(p: string | { module: string; override?: boolean }): {
  module: string;
  override: boolean;
} {
  return typeof p === 'string'
    ? { module: p, override: false }
    : { module: p.module, override: p.override ?? false };
}
