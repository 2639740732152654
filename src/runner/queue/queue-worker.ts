import { availableParallelism, hostname } from 'node:os';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { Piscina } from 'piscina';
import type { FrameRecord } from '../../core/frame.js';
import { type Settled } from '../executors/trial-executor.js';
import { trialWorkerFile, workerExecArgv } from '../executors/worker-file.js';
import { verifySnapshot, type RunSnapshot } from '../snapshot.js';
import type { TrialBatch } from '../trial-worker.js';
import {
  ACTIVE_QUEUES,
  connectRedis,
  snapshotKey,
  userErrorReason,
  type TrialJobData,
  type TrialJobResult,
} from './queue-names.js';
import { redactUrl } from './queue-url.js';

export interface QueueWorkerOptions {
  url: string;
  /** trials at once (worker threads); default: the number of cores */
  concurrency?: number;
  /** ms a job's lock lives without renewal before another worker takes the job (stalled) */
  lockDuration?: number;
  /** how often the queue list is read for new pipelines (ms) */
  discoverMs?: number;
  /** log every job start and end (job id) */
  logJobs?: boolean;
  log?: (line: string) => void;
}

const DROP_META = `if redis.call('sismember', KEYS[1], ARGV[1]) == 1 then return 0 end
redis.call('del', KEYS[3])
for _, f in ipairs(redis.call('hkeys', KEYS[2])) do
  if f ~= 'opts.maxLenEvents' then return 0 end
end
return redis.call('del', KEYS[2])`;

/**
 * `isacflow worker`: serves the queues of every pipeline started with `run --queue` on this Redis.
 * One BullMQ Worker per active queue (found in the isacflow:queues set), all sharing one pool of
 * worker threads; a job's trials run with the local engine on the pipeline loaded from the job's
 * input snapshot (fetched from Redis by content hash, checked against it), never from files.
 * A user's error fails the job without retries (UnrecoverableError) with the error as JSON.
 */
export class QueueWorker {
  private readonly workers = new Map<string, Worker<TrialJobData, TrialJobResult>>();
  private readonly snapshots = new Map<string, Promise<RunSnapshot>>();
  private timer?: NodeJS.Timeout;
  private closing = false;
  readonly concurrency: number;

  private constructor(
    private readonly redis: Redis,
    private readonly pool: Piscina,
    private readonly opts: QueueWorkerOptions,
  ) {
    this.concurrency = opts.concurrency ?? availableParallelism();
  }

  static async start(opts: QueueWorkerOptions): Promise<QueueWorker> {
    const redis = await connectRedis(opts.url);
    const concurrency = opts.concurrency ?? availableParallelism();
    const w = trialWorkerFile();
    const pool = new Piscina({
      filename: w.filename,
      minThreads: concurrency,
      maxThreads: concurrency,
      execArgv: workerExecArgv(w.typescript),
    });
    const qw = new QueueWorker(redis, pool, { ...opts, concurrency });
    qw.log(
      `isacflow worker on ${hostname()} (pid ${process.pid}): ${concurrency} thread(s), queue server ${redactUrl(opts.url)}`,
    );
    await qw.discover();
    qw.timer = setInterval(
      () => void qw.discover().catch((e) => qw.log(`queue list: ${(e as Error).message}`)),
      opts.discoverMs ?? 1000,
    );
    return qw;
  }

  private log(line: string): void {
    (this.opts.log ?? ((l: string) => process.stderr.write(`${l}\n`)))(line);
  }

  /** Starts a BullMQ Worker for every new active queue; stops those of finished queues. */
  private async discover(): Promise<void> {
    if (this.closing) return;
    const active = new Set(await this.redis.smembers(ACTIVE_QUEUES));
    for (const name of active) {
      if (this.workers.has(name)) continue;
      const worker = new Worker<TrialJobData, TrialJobResult>(name, (job) => this.process(job), {
        connection: this.redis,
        concurrency: this.concurrency,
        lockDuration: this.opts.lockDuration ?? 30_000,
        stalledInterval: Math.max(1000, Math.round((this.opts.lockDuration ?? 30_000) / 2)),
        maxStalledCount: 2,
      });
      worker.on('error', (e) => this.log(`queue ${name}: ${e.message}`));
      worker.on('failed', (job, e) =>
        this.log(`queue ${name}: job ${job?.id ?? '?'} failed: ${e.message.split('\n')[0]}`),
      );
      this.workers.set(name, worker);
      this.log(`serving queue ${name}`);
    }
    for (const [name, worker] of this.workers) {
      if (active.has(name)) continue;
      this.workers.delete(name);
      void worker
        .close()
        .then(() => this.dropLeftoverMeta(name, worker.opts.prefix ?? 'bull'))
        .catch(() => undefined);
      this.log(`queue ${name} finished`);
    }
  }

  /**
   * A BullMQ worker still polling a queue after its coordinator removed it re-creates the queue's
   * `:meta` hash (its stalled-job check writes `opts.maxLenEvents` there) and its `:stalled-check`
   * marker. Once this worker has stopped serving the queue, those leftovers are deleted — atomically,
   * and only if the queue is not active again (the hash only if it holds nothing but that field).
   */
  private async dropLeftoverMeta(name: string, prefix: string): Promise<void> {
    const q = `${prefix}:${name}`;
    await this.redis.eval(DROP_META, 3, ACTIVE_QUEUES, `${q}:meta`, `${q}:stalled-check`, name);
  }

  private snapshot(id: string): Promise<RunSnapshot> {
    let p = this.snapshots.get(id);
    if (!p) {
      p = this.redis.get(snapshotKey(id)).then((text) => {
        if (!text)
          throw new Error(
            `input snapshot ${id.slice(0, 12)} is not in Redis (its run finished or was removed)`,
          );
        const s = verifySnapshot(JSON.parse(text) as RunSnapshot, `snapshot ${id.slice(0, 12)}`);
        if (s.id !== id) throw new Error(`snapshot ${id.slice(0, 12)} holds another snapshot`);
        return s;
      });
      p.catch(() => this.snapshots.delete(id));
      this.snapshots.set(id, p);
      while (this.snapshots.size > 8) this.snapshots.delete(this.snapshots.keys().next().value as string);
    }
    return p;
  }

  private async process(job: Job<TrialJobData, TrialJobResult>): Promise<TrialJobResult> {
    if (this.opts.logJobs) this.log(`start ${job.id}`);
    const snapshot = await this.snapshot(job.data.snapshotId);
    const batch: TrialBatch = { snapshot, pointIndex: job.data.pointIndex, trials: job.data.trials };
    const r = (await this.pool.run(batch)) as Settled<FrameRecord[][]>;
    if (r.ok) {
      if (this.opts.logJobs) this.log(`done ${job.id}`);
      return r.value;
    }
    if (r.error.kind) throw new UnrecoverableError(userErrorReason(r.error)); // the user's mistake: retrying cannot help
    throw new Error(r.error.message);
  }

  /** Stops taking jobs, lets running ones finish, frees the threads. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.timer) clearInterval(this.timer);
    await Promise.all([...this.workers.values()].map((w) => w.close()));
    this.workers.clear();
    await this.pool.destroy();
    this.redis.disconnect();
  }
}
