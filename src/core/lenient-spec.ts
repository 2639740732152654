import { summaryOptionsSchema } from '../results/summary-options.js';
import { limitsSchema } from './limits.js';
import { stageEntrySchema, type PipelineSpec } from './pipeline-schema.js';

/**
 * Best-effort reading of a pipeline whose top level is invalid, so that the scenario and the
 * stages can still be checked and every problem reported at once.
 */
export function lenientSpec(obj: Record<string, unknown>): PipelineSpec {
  const stagesRaw = Array.isArray(obj.stages) ? obj.stages : [];
  const stages = stagesRaw.flatMap((e) => {
    const r = stageEntrySchema.safeParse(e);
    return r.success ? [r.data] : [];
  });
  const sweep =
    obj.sweep && typeof obj.sweep === 'object' && !Array.isArray(obj.sweep)
      ? (obj.sweep as Record<string, unknown>)
      : {};
  const limits = limitsSchema.safeParse(obj.limits ?? {});
  return {
    isacflow: 1,
    name: 'invalid',
    plugins: [],
    scenario: obj.scenario,
    run: { trials: 1, frames: 1, workers: 'auto' },
    sweep: Object.fromEntries(
      Object.entries(sweep).filter(([, v]) => Array.isArray(v) && v.length > 0),
    ) as Record<string, unknown[]>,
    stages,
    outputs: { plots: [], report: true, summary: summaryOptionsSchema.parse({}), sections: [] },
    limits: limits.success ? limits.data : limitsSchema.parse({}),
  };
}
