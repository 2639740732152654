import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadWithBuiltins } from '../builtins.js';
import { IsacflowError } from '../core/errors.js';
import { dedupeRecords } from '../results/read-records.js';
import { finishRun } from '../runner/finish-run.js';
import { RunFolder } from '../runner/run-folder.js';
import { recordOrder } from '../runner/run.js';
import { loadFromSnapshot } from '../runner/snapshot-loader.js';
import { verifySnapshot } from '../runner/snapshot.js';

/**
 * Rebuilds summary, plots and report.html of a finished (or interrupted) run from its records,
 * with the run's own resolved pipeline or, with --pipeline, the outputs of another (e.g. edited) one.
 * Repeated (point, trial, frame) records are counted once (and said so); copies that differ are
 * refused. The folder is locked meanwhile (not while a run writes into it).
 */
export async function reportCommand(dir: string, o: { pipeline?: string }): Promise<void> {
  const folder = RunFolder.open(dir, 'report');
  const file = o.pipeline ?? folder.path('pipeline.resolved.yaml');
  if (!existsSync(file))
    throw new IsacflowError(
      'io',
      `${file}: not found (give a run folder written by isacflow run, or --pipeline FILE)`,
    );
  const stored = o.pipeline ? undefined : folder.readSnapshot();
  // the run's own inputs (plugins included) when it has a snapshot; else its resolved pipeline
  const resolved = stored
    ? await loadFromSnapshot(verifySnapshot(stored, folder.path('snapshot.json')))
    : await loadWithBuiltins(file);
  await folder.lock('isacflow report');
  try {
    const { records, duplicates, conflicts } = dedupeRecords(await folder.readRecords());
    if (conflicts.length) {
      throw new IsacflowError(
        'io',
        `${folder.path('records.jsonl')}: ${conflicts.length} (point, trial, frame) record(s) appear more than once with different content (e.g. ${conflicts[0]}): two different runs wrote into this folder; its records cannot be summarised`,
      );
    }
    if (duplicates)
      process.stderr.write(
        `isacflow report: ${duplicates} repeated record(s) in ${folder.path('records.jsonl')} (same point, trial and frame) counted once\n`,
      );
    records.sort(recordOrder(resolved));
    if (records.length === 0) throw new IsacflowError('io', `${dir}: no records.jsonl records to report on`);
    const finished = await finishRun(resolved, folder, records);
    process.stdout.write(
      `${records.length} record(s); plots: ${finished.plots.length}; report: ${resolve(finished.report ?? '-')}\n`,
    );
  } finally {
    await folder.unlock();
  }
}
