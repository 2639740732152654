import { resolve } from 'node:path';
import { loadWithBuiltins } from '../builtins.js';
import { IsacflowError } from '../core/errors.js';
import type { ResolvedPipeline } from '../core/pipeline-loader.js';
import { ProgressBar } from '../report/progress.js';
import { finishRun } from '../runner/finish-run.js';
import { parseQueueUrl } from '../runner/queue/queue-url.js';
import { RunFolder } from '../runner/run-folder.js';
import { runPipeline } from '../runner/run.js';
import { loadFromSnapshot } from '../runner/snapshot-loader.js';
import { verifySnapshot, type RunSnapshot } from '../runner/snapshot.js';

export interface RunCommandOptions {
  set: string[];
  sweep?: string[];
  out?: string;
  resume?: string;
  force?: boolean;
  workers?: string;
  queue?: string;
  chunk?: string;
  quiet?: boolean;
}

function positiveInt(text: string, option: string, extra = ''): number {
  const n = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isInteger(n) || n < 1) {
    throw new IsacflowError('invalid-option', [
      { where: `${option} ${text}`, path: '', message: `must be a whole number >= 1${extra}` },
    ]);
  }
  return n;
}

/** The pipeline of `--resume DIR` without a pipeline argument: the one stored in the folder. */
async function storedPipeline(dir: string): Promise<{ resolved: ResolvedPipeline; snapshot?: RunSnapshot }> {
  const folder = RunFolder.open(dir, '--resume');
  const stored = folder.readSnapshot();
  if (stored) {
    const snapshot = verifySnapshot(stored, folder.path('snapshot.json'));
    return { resolved: await loadFromSnapshot(snapshot, { construct: true }), snapshot };
  }
  // a run folder from before snapshots: its resolved pipeline (scenario inlined, --set applied)
  if (!folder.readManifest())
    throw new IsacflowError(
      'resume-mismatch',
      `${dir}: no manifest.json here, nothing to resume (give the folder of an earlier run)`,
    );
  return { resolved: await loadWithBuiltins(folder.path('pipeline.resolved.yaml')) };
}

export async function runCommand(file: string | undefined, o: RunCommandOptions): Promise<void> {
  if (!file && !o.resume)
    throw new IsacflowError(
      'invalid-option',
      'give a pipeline file (isacflow run PIPELINE), or --resume DIR to continue a run',
    );
  if (!file && o.set.length)
    throw new IsacflowError('invalid-option', [
      {
        where: `--set ${o.set[0]}`,
        path: '',
        message:
          'a run resumed from its folder keeps its own pipeline; --set needs the pipeline argument (and then must match the folder)',
      },
    ]);
  if (o.out && o.resume)
    throw new IsacflowError('invalid-option', '--out and --resume both name the run folder: give one');
  const workers =
    o.workers === undefined
      ? undefined
      : o.workers === 'auto'
        ? ('auto' as const)
        : positiveInt(o.workers, '--workers', " or 'auto'");
  const queue = o.queue
    ? { ...parseQueueUrl(o.queue), ...(o.chunk ? { chunk: positiveInt(o.chunk, '--chunk') } : {}) }
    : undefined;
  if (o.chunk && !o.queue)
    throw new IsacflowError('invalid-option', [
      { where: `--chunk ${o.chunk}`, path: '', message: 'trials per job: only with --queue' },
    ]);

  const { resolved, snapshot } = file
    ? { resolved: await loadWithBuiltins(file, o.set, o.sweep ?? []), snapshot: undefined }
    : await storedPipeline(o.resume as string);
  for (const n of resolved.notices ?? []) process.stderr.write(`isacflow: ${n}\n`);
  const total = resolved.points.length * resolved.spec.run.trials;
  const bar = new ProgressBar({
    total,
    label: resolved.spec.name,
    stream: o.quiet ? { write: () => true, isTTY: false } : process.stderr,
  });
  const command = [
    'isacflow',
    'run',
    ...(file ? [file] : []),
    ...o.set.flatMap((s) => ['--set', s]),
    ...(o.sweep ?? []).flatMap((s) => ['--sweep', s]),
    ...(o.out ? ['--out', o.out] : []),
    ...(o.resume ? ['--resume', o.resume] : []),
    ...(queue ? ['--queue', queue.shown] : []), // never the credentials
    ...(o.chunk ? ['--chunk', o.chunk] : []),
  ];
  const result = await runPipeline(resolved, {
    ...(o.out ? { out: o.out } : {}),
    ...(o.resume ? { resume: o.resume } : {}),
    ...(o.force ? { force: true } : {}),
    ...(workers !== undefined ? { workers } : {}),
    ...(queue ? { queue: { url: queue.url, ...(queue.chunk ? { chunk: queue.chunk } : {}) } } : {}),
    ...(snapshot ? { snapshot } : {}),
    command,
    holdLock: true,
    onProgress: (d) => bar.update(d),
  });
  try {
    bar.finish();
    const finished = await finishRun(resolved, result.folder);
    for (const t of finished.tables) process.stdout.write(`\n${clip(t, 40)}\n`);
    if (finished.plots.length)
      process.stdout.write(
        `\nplots: ${finished.plots.map((p) => p.replace(/\.svg$/, '.{svg,png}')).join(', ')}\n`,
      );
    if (finished.report) process.stdout.write(`report: ${finished.report}\n`);
    const where =
      result.executor === 'queue'
        ? `on the queue (${result.workers} trial(s) per job)`
        : `on ${result.workers} worker(s)`;
    process.stdout.write(
      `\n${finished.records} frame record(s) from ${resolved.points.length} point(s) x ${resolved.spec.run.trials} trial(s) ${where}${result.skipped ? ` (${result.skipped} trial(s) resumed from disk)` : ''}\nrun folder: ${resolve(result.folder.dir)}\n`,
    );
  } finally {
    await result.folder.unlock();
  }
}

/** At most `n` lines of a table on stdout; the whole table is in summary.csv and report.html. */
function clip(text: string, n: number): string {
  const lines = text.split('\n');
  if (lines.length <= n) return text;
  return [...lines.slice(0, n), `... ${lines.length - n} more line(s): see summary.csv and report.html`].join(
    '\n',
  );
}
