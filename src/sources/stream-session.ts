import { performance } from 'node:perf_hooks';
import { lastValueFrom, tap } from 'rxjs';
import { Engine } from '../core/engine.js';
import { IsacflowError } from '../core/errors.js';
import type { Frame, FrameRecord } from '../core/frame.js';
import type { ResolvedPipeline, SweepPoint } from '../core/pipeline-loader.js';
import { RunFolder } from '../runner/run-folder.js';
import { isacflowVersion } from '../runner/run.js';
import { BoundedQueue, type QueuePolicy } from './bounded-queue.js';
import { SimulatedSource } from './simulated-source.js';
import { pullThrough } from './source-trial.js';
import type { FrameSource } from './source-types.js';

export interface StreamSessionOptions {
  out: string;
  queue?: number;
  policy?: QueuePolicy;
  /** first abort (Ctrl-C): stop receiving, finish the frames already received; second: stop after the current frame */
  signal?: AbortSignal;
  hardStop?: AbortSignal;
  /** one NDJSON line per frame (stdout) */
  onLine?: (line: string) => void;
  /** status messages (stderr) */
  onStatus?: (message: string) => void;
  command?: string[];
  /** write summary.json, plots and report.html at the end (default true) */
  finish?: boolean;
}

export interface StreamStats {
  frames: number;
  dropped: number;
  queueCapacity: number;
  policy: QueuePolicy;
  queueHighWater: number;
  latencyMs: { p50: number | null; p95: number | null; max: number | null };
  /** frames processed per second of wall time from the first frame received to the last record */
  framesPerSecond: number | null;
  wallS: number;
  stoppedBy: 'end' | 'interrupt' | 'error';
  error?: string;
}

export interface StreamResult {
  folder: RunFolder;
  /** stage summaries (and the truth-free frame summary) put in the report */
  summaries?: string[];
  records: FrameRecord[];
  stats: StreamStats;
  /** the error that ended the stream (bad input), after everything before it was written */
  error?: IsacflowError;
}

/** q-quantile of sorted values (linear interpolation between order statistics). */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return (sorted[lo] as number) + (h - lo) * ((sorted[hi] as number) - (sorted[lo] as number));
}

/** What one NDJSON line says about a frame: estimates, tracks, counts and latency. */
export function frameLine(r: FrameRecord, latencyMs: number, dropped: number): string {
  const estimates = r.estimates ?? {};
  const counts = Object.fromEntries(
    Object.entries(estimates).map(([k, v]) => [k, Array.isArray(v) ? v.length : 0]),
  );
  return JSON.stringify({
    trial: r.trial,
    frame: r.frame,
    latencyMs: Math.round(latencyMs * 1000) / 1000,
    estimates,
    ...(r.tracks !== undefined ? { tracks: r.tracks } : {}),
    counts,
    dropped,
    ...(r.truth.length ? { truth: r.truth } : {}),
    timings: r.timings,
  });
}

/** Feeds a non-live source (recorded, simulated) into the queue, trial by trial. */
async function pump(
  source: FrameSource,
  point: SweepPoint,
  rootSeed: number,
  queue: BoundedQueue<Frame>,
  signal: AbortSignal,
): Promise<void> {
  for (let t = 0; t < point.spec.run.trials; t++) {
    const it = source.trial({ point, rootSeed, trial: t, frames: point.spec.run.frames });
    for await (const f of it as AsyncIterable<Frame>) {
      if (signal.aborted) return;
      if (queue.policy === 'block') await queue.space();
      f.data.receivedAt = performance.now();
      queue.offer(f);
      await new Promise((r) => setImmediate(r)); // let the chain take it
    }
  }
}

/**
 * `isacflow stream`: frames flow from the pipeline's source through a bounded queue into the
 * chain one at a time, as they arrive; each record is appended to records.jsonl and printed as one
 * NDJSON line as soon as it is done. A bad frame ends the stream with an error naming source, frame
 * and byte offset, after every frame before it was processed and written.
 */
export async function streamSession(
  resolved: ResolvedPipeline,
  o: StreamSessionOptions,
): Promise<StreamResult> {
  if (resolved.points.length !== 1) {
    throw new IsacflowError(
      'invalid-pipeline',
      `isacflow stream runs one sweep point; this pipeline has ${resolved.points.length} (pin the swept keys with --set, e.g. --set ${Object.keys(resolved.spec.sweep)[0]}=...)`,
    );
  }
  const point = resolved.points[0] as SweepPoint;
  const source: FrameSource = point.source ?? new SimulatedSource();
  const capacity = o.queue ?? 8;
  const policy = o.policy ?? 'block';
  const queue = new BoundedQueue<Frame>(capacity, policy);
  const folder = RunFolder.create(o.out, resolved.hash);
  await folder.lock((o.command ?? process.argv.slice(1)).join(' '));
  const spec = resolved.spec;
  const started = new Date().toISOString();
  const manifest = {
    name: spec.name,
    ...(spec.description ? { description: spec.description } : {}),
    started,
    seed: resolved.rootSeed,
    pipelineHash: resolved.hash,
    pipelineFile: resolved.file,
    versions: { isacflow: isacflowVersion(), node: process.version, plugins: resolved.plugins },
    command: o.command ?? process.argv.slice(1),
    workers: 1,
    trialsPerPoint: spec.run.trials,
    frames: spec.run.frames,
    points: [point.values],
    source: { uses: source.name, origin: source.info().origin, queue: capacity, policy },
  };
  folder.writeManifest(manifest);
  folder.write('pipeline.resolved.yaml', resolved.resolvedYaml);
  folder.clearRecords();

  const stop = new AbortController();
  const onAbort = () => stop.abort();
  o.signal?.addEventListener('abort', onAbort);
  const producer = (
    source.feed
      ? source.feed(point, {
          signal: stop.signal,
          rootSeed: resolved.rootSeed,
          queue,
          ...(o.onStatus ? { onStatus: o.onStatus } : {}),
        })
      : pump(source, point, resolved.rootSeed, queue, stop.signal)
  ).then(
    () => queue.close(),
    (e: unknown) => queue.close(e),
  );

  const received = new Map<FrameRecord, number>();
  const taken: AsyncIterable<Frame> = {
    [Symbol.asyncIterator]: () => {
      const it = queue[Symbol.asyncIterator]();
      return {
        next: async () => {
          if (o.hardStop?.aborted) return { done: true, value: undefined };
          // take the next frame on a fresh turn of the event loop, after the input that arrived
          // while the chain computed has reached the queue (where drop-oldest may drop it)
          await new Promise((r) => setImmediate(r));
          const r = await it.next();
          if (!r.done)
            received.set(
              r.value.record,
              (r.value.data.receivedAt as number | undefined) ?? performance.now(),
            );
          return r;
        },
      };
    },
  };
  const engine = new Engine(resolved.rootSeed, spec.run.frames, resolved.registry);
  const records: FrameRecord[] = [];
  const latencies: number[] = [];
  let first: number | undefined;
  let last: number | undefined;
  let error: IsacflowError | undefined;
  const t0 = performance.now();
  try {
    await lastValueFrom(
      pullThrough(taken, engine.process(point)).pipe(
        tap((r) => {
          const now = performance.now();
          const at = received.get(r) ?? now;
          received.delete(r);
          const latency = now - at;
          first = first === undefined ? at : Math.min(first, at);
          last = now;
          r.latencyMs = Math.round(latency * 1000) / 1000;
          latencies.push(latency);
          records.push(r);
          folder.appendRecords([r]);
          o.onLine?.(frameLine(r, latency, queue.dropped));
        }),
      ),
      { defaultValue: undefined },
    );
  } catch (e) {
    error =
      e instanceof IsacflowError
        ? e
        : new IsacflowError('io', [{ where: '', path: '', message: (e as Error).message }], { cause: e });
  } finally {
    stop.abort();
    o.signal?.removeEventListener('abort', onAbort);
    await producer;
    source.close?.();
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  const r3 = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 1000);
  const span = first !== undefined && last !== undefined ? (last - first) / 1000 : 0;
  const stats: StreamStats = {
    frames: records.length,
    dropped: queue.dropped,
    queueCapacity: capacity,
    policy,
    queueHighWater: queue.highWater,
    latencyMs: {
      p50: r3(quantile(sorted, 0.5)),
      p95: r3(quantile(sorted, 0.95)),
      max: r3(sorted.length ? (sorted[sorted.length - 1] as number) : null),
    },
    framesPerSecond: span > 0 ? Math.round((records.length / span) * 1000) / 1000 : null,
    wallS: Math.round(performance.now() - t0) / 1000,
    stoppedBy: error ? 'error' : o.signal?.aborted ? 'interrupt' : 'end',
    ...(error ? { error: error.message } : {}),
  };
  folder.write('stream.json', JSON.stringify(stats, null, 2) + '\n');
  folder.writeManifest({ ...manifest, finished: new Date().toISOString() } as typeof manifest);
  if (o.finish !== false && records.length > 0) {
    const { finishRun } = await import('../runner/finish-run.js');
    const { stageSummaries: summaries } = await finishRun(resolved, folder, records);
    await folder.unlock();
    return { folder, records, stats, summaries, ...(error ? { error } : {}) };
  }
  await folder.unlock();
  return { folder, records, stats, ...(error ? { error } : {}) };
}
