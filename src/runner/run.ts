import { availableParallelism } from 'node:os';
import { existsSync, renameSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { IsacflowError } from '../core/errors.js';
import type { FrameRecord } from '../core/frame.js';
import type { ResolvedPipeline } from '../core/pipeline-loader.js';
import { CanonicalWriter } from './canonical-writer.js';
import { InProcessExecutor } from './executors/in-process-executor.js';
import { PoolExecutor } from './executors/pool-executor.js';
import type { TrialExecutor, TrialTask } from './executors/trial-executor.js';
import { describeDifferences } from './pipeline-diff.js';
import { RunFolder, type Manifest } from './run-folder.js';
import { changedOnDisk, takeSnapshot, verifySnapshot, type RunSnapshot } from './snapshot.js';

export interface QueueRunOptions {
  /** redis://[user:pass@]host:port[/db]; never written anywhere */
  url: string;
  /** trials per job (default 1) */
  chunk?: number;
}
import { packageVersion } from '../package-root.js';

export interface RunOptions {
  out?: string;
  resume?: string;
  /** write into a non-empty --out folder that is not a run of this pipeline (only the run's files) */
  force?: boolean;
  workers?: number | 'auto';
  /** run the trials as jobs on a BullMQ queue (isacflow worker processes run them) */
  queue?: QueueRunOptions;
  /** the run's input snapshot; taken from the pipeline's files when not given */
  snapshot?: RunSnapshot;
  command?: string[];
  /** keep the folder locked after the trials (the caller writes the summary, then unlocks) */
  holdLock?: boolean;
  /** called after every finished trial */
  onProgress?: (done: number, total: number) => void;
}

export interface RunResult {
  folder: RunFolder;
  /** threads in-process or on the pool; for a queue the number of trials per job */
  workers: number;
  executor: string;
  /** trials found finished on disk (resume) */
  skipped: number;
  /** trials run now */
  executed: number;
}

export function isacflowVersion(): string {
  return packageVersion(); // from src/ or dist/src/ alike
}

function timestamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-').replace('T', '_').slice(0, 19);
}

/** Sort key of a record: (point index, trial, frame). */
export function recordOrder(resolved: ResolvedPipeline): (a: FrameRecord, b: FrameRecord) => number {
  const idx = new Map(resolved.points.map((p) => [p.key, p.index]));
  const pi = (r: FrameRecord) => idx.get(JSON.stringify(r.point)) ?? -1;
  return (a, b) => pi(a) - pi(b) || a.trial - b.trial || a.frame - b.frame;
}

/**
 * Runs every trial of every sweep point on a trial executor (in this thread, a worker-thread
 * pool or a BullMQ queue), writing each trial's records to records.jsonl in canonical
 * (point, trial, frame) order as it finishes; no run-long array of records is kept. The run
 * folder is locked for the run. The pipeline's input files are read once (snapshot.json) and every
 * executor runs that snapshot. With `resume`, finished trials found in the folder are kept; a
 * folder whose pipeline or plugin files differ is refused, naming what differs.
 */
export async function runPipeline(resolved: ResolvedPipeline, opts: RunOptions = {}): Promise<RunResult> {
  const spec = resolved.spec;
  const frames = spec.run.frames;
  const trials = spec.run.trials;
  const command = opts.command ?? process.argv.slice(1);
  const dir = opts.resume ?? opts.out ?? join('runs', `${spec.name}-${timestamp()}`);
  // reach the queue before touching the folder: a wrong URL leaves nothing behind
  let connection = opts.queue
    ? await (await import('./queue/queue-names.js')).connectRedis(opts.queue.url)
    : undefined;
  let folder: RunFolder;
  try {
    folder = opts.resume ? RunFolder.open(dir, '--resume') : RunFolder.create(dir, resolved.hash, opts.force);
    await folder.lock(command.join(' '));
  } catch (e) {
    connection?.disconnect();
    throw e;
  }
  let executor: TrialExecutor | undefined;
  try {
    let snapshot = opts.snapshot;
    const done = new Set<string>();
    const resumed: string[] = [];
    let previous: Manifest | undefined;
    if (opts.resume) {
      previous = checkResumable(folder, resolved);
      const stored = folder.readSnapshot();
      if (stored) snapshot = verifySnapshot(stored, folder.path('snapshot.json'));
      for (const k of await keepFinishedTrials(folder, frames)) done.add(k);
      resumed.push(...(previous.resumed ?? []), previous.started);
    } else {
      folder.clearRecords();
    }
    snapshot ??= await takeSnapshot(resolved);
    if (!folder.readSnapshot() || !opts.resume) folder.writeSnapshot(snapshot);

    const tasks: TrialTask[] = [];
    for (const p of resolved.points) {
      for (let t = 0; t < trials; t++)
        if (!done.has(`${p.key}#${t}`)) tasks.push({ pointIndex: p.index, trial: t });
    }
    const total = resolved.points.length * trials;
    const requested = opts.workers ?? spec.run.workers;
    const threads = Math.max(
      1,
      Math.min(requested === 'auto' ? availableParallelism() : requested, tasks.length || 1),
    );
    const chunk = opts.queue ? (opts.queue.chunk ?? previous?.executor?.chunk ?? 1) : undefined;
    if (opts.queue) {
      const { QueueExecutor } = await import('./queue/queue-executor.js');
      executor = await QueueExecutor.connect(opts.queue.url, snapshot, resolved, chunk as number, connection);
      connection = undefined;
    } else {
      executor =
        threads > 1 ? new PoolExecutor(snapshot, threads) : new InProcessExecutor(snapshot, resolved);
    }

    const manifest: Manifest = {
      name: spec.name,
      ...(spec.description ? { description: spec.description } : {}),
      started: new Date().toISOString(),
      seed: resolved.rootSeed,
      pipelineHash: resolved.hash,
      pipelineFile: resolved.file,
      versions: { isacflow: isacflowVersion(), node: process.version, plugins: resolved.plugins },
      command,
      workers: opts.queue ? 0 : threads,
      executor: {
        kind: executor.kind,
        ...(opts.queue ? { queue: (executor as { queueName?: string }).queueName ?? '', chunk } : {}),
      },
      trialsPerPoint: trials,
      frames,
      points: resolved.points.map((p) => p.values),
      inputs: snapshot.files.map((f) => ({
        role: f.role,
        display: f.display,
        sha256: f.sha256,
        bytes: Buffer.byteLength(f.content),
      })),
      snapshotId: snapshot.id,
      ...(resumed.length ? { resumed } : {}),
    };
    folder.writeManifest(manifest);
    if (!opts.resume || !existsSync(folder.path('pipeline.resolved.yaml')))
      folder.write('pipeline.resolved.yaml', resolved.resolvedYaml);

    let finished = total - tasks.length;
    opts.onProgress?.(finished, total);
    const writer = new CanonicalWriter(tasks, (records, task) => {
      folder.appendRecords(records);
      executor?.written?.(task);
    });
    for await (const outcome of executor.run(tasks)) {
      if (writer.accept(outcome)) opts.onProgress?.(++finished, total);
    }
    if (!writer.done)
      throw new Error(`the ${executor.kind} executor ended with ${writer.buffered} trial(s) unwritten`);
    if (done.size > 0) await canonicalise(folder, recordOrder(resolved));
    folder.writeManifest({ ...manifest, finished: new Date().toISOString() });
    await executor.close();
    executor = undefined;
    return {
      folder,
      workers: opts.queue ? (chunk as number) : threads,
      executor: manifest.executor?.kind ?? '',
      skipped: done.size,
      executed: tasks.length,
    };
  } catch (e) {
    connection?.disconnect();
    await executor?.close(e).catch(() => undefined);
    await folder.unlock();
    throw e;
  } finally {
    if (!opts.holdLock) await folder.unlock();
  }
}

/** The folder's manifest, when the run in it is the same pipeline (else an error naming the differing keys). */
function checkResumable(folder: RunFolder, resolved: ResolvedPipeline): Manifest {
  const m = folder.readManifest();
  if (!m)
    throw new IsacflowError(
      'resume-mismatch',
      `${folder.dir}: no manifest.json here, nothing to resume (give the folder of an earlier run)`,
    );
  if (m.pipelineHash !== resolved.hash) {
    const ownFile = folder.path('pipeline.resolved.yaml');
    let how = `hash ${m.pipelineHash.slice(0, 12)} vs ${resolved.hash.slice(0, 12)}`;
    if (existsSync(ownFile)) {
      try {
        how =
          describeDifferences(parseYaml(readFileSync(ownFile, 'utf8')), parseYaml(resolved.resolvedYaml)) ||
          how;
      } catch {
        /* keep the hashes */
      }
    }
    throw new IsacflowError(
      'resume-mismatch',
      `${folder.dir}: the pipeline differs from the one this folder was run with (${how}); resume with the same pipeline and --set values, or with the folder alone (isacflow run --resume ${folder.dir}), or start a new run with --out`,
    );
  }
  const stored = folder.readSnapshot();
  const changed = stored ? changedOnDisk(stored) : [];
  if (changed.length) {
    throw new IsacflowError(
      'resume-mismatch',
      `${folder.dir}: plugin file(s) changed since this run started: ${changed.map((f) => f.display).join(', ')} (the run's records were made with the earlier code); restore the file(s), or start a new run with --out`,
    );
  }
  return m;
}

/**
 * Keeps the trials that have all their frames (dropping partial ones and repeated frames) and
 * returns their keys. Two streamed passes over records.jsonl; the kept records are written to a
 * new file that replaces the old one.
 */
async function keepFinishedTrials(folder: RunFolder, frames: number): Promise<Set<string>> {
  const framesOf = new Map<string, Set<number>>();
  for await (const r of folder.records()) {
    const k = `${JSON.stringify(r.point)}#${r.trial}`;
    let s = framesOf.get(k);
    if (!s) framesOf.set(k, (s = new Set()));
    s.add(r.frame);
  }
  const complete = new Set([...framesOf].filter(([, s]) => s.size >= frames).map(([k]) => k));
  const tmp = folder.path('.records.jsonl.resume.tmp');
  writeFileSync(tmp, '');
  const written = new Set<string>();
  let batch: string[] = [];
  for await (const r of folder.records()) {
    const k = `${JSON.stringify(r.point)}#${r.trial}`;
    const kf = `${k}#${r.frame}`;
    if (!complete.has(k) || written.has(kf)) continue;
    written.add(kf);
    batch.push(JSON.stringify(r) + '\n');
    if (batch.length >= 256) {
      writeFileSync(tmp, batch.join(''), { flag: 'a' });
      batch = [];
    }
  }
  writeFileSync(tmp, batch.join(''), { flag: 'a' });
  renameSync(tmp, folder.path('records.jsonl'));
  return complete;
}

/** After a resume, puts records.jsonl into canonical order if the new trials landed out of it. */
async function canonicalise(
  folder: RunFolder,
  order: (a: FrameRecord, b: FrameRecord) => number,
): Promise<void> {
  let prev: FrameRecord | undefined;
  let sorted = true;
  for await (const r of folder.records()) {
    if (prev && order(prev, r) > 0) {
      sorted = false;
      break;
    }
    prev = r;
  }
  if (sorted) return;
  const all = (await folder.readRecords()).sort(order);
  folder.write('records.jsonl', all.map((r) => JSON.stringify(r) + '\n').join(''));
}
