import { join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { loadWithBuiltins } from '../builtins.js';
import { IsacflowError } from '../core/errors.js';
import { finishRun } from '../runner/finish-run.js';
import { RunFolder } from '../runner/run-folder.js';
import { recordOrder } from '../runner/run.js';

/**
 * Rebuilds summary, plots and report.html of a finished (or interrupted) run from its records,
 * with the run's own resolved pipeline or, with --pipeline, the outputs of another (e.g. edited) one.
 */
export async function reportCommand(dir: string, o: { pipeline?: string }): Promise<void> {
  const folder = new RunFolder(dir);
  const own = join(dir, 'pipeline.resolved.yaml');
  const file = o.pipeline ?? own;
  if (!existsSync(file)) throw new IsacflowError('io', `${file}: not found (give a run folder written by isacflow run, or --pipeline FILE)`);
  const resolved = await loadWithBuiltins(file);
  const records = folder.readRecords().sort(recordOrder(resolved));
  if (records.length === 0) throw new IsacflowError('io', `${dir}: no records.jsonl records to report on`);
  const finished = await finishRun(resolved, { folder, records, workers: 0, skipped: 0 }, []);
  process.stdout.write(`${records.length} record(s); plots: ${finished.plots.length}; report: ${resolve(finished.report ?? '-')}\n`);
}
