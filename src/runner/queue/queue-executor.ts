import { Job, Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { IsacflowError } from '../../core/errors.js';
import type { ResolvedPipeline } from '../../core/pipeline-loader.js';
import {
  reviveError,
  type TrialExecutor,
  type TrialOutcome,
  type TrialTask,
} from '../executors/trial-executor.js';
import type { RunSnapshot } from '../snapshot.js';
import { CoordinatorLease } from './coordinator-lease.js';
import {
  ACTIVE_QUEUES,
  connectRedis,
  jobId,
  parseUserError,
  queueName,
  snapshotKey,
  type TrialJobData,
  type TrialJobResult,
} from './queue-names.js';
import { redactIn } from './queue-url.js';

/** Retries of a job that failed for a reason other than the user's (a crash, a lost worker). */
const ATTEMPTS = 3;
/** How often the coordinator checks job states itself (events may be missed across a restart). */
const POLL_MS = 2000;

interface PendingJob {
  id: string;
  tasks: TrialTask[];
}

/**
 * Runs trials as BullMQ jobs on a Redis queue named by the pipeline hash. One job per chunk of
 * `chunk` consecutive trials of a point (aligned, so job ids are the same on every run of the
 * pipeline: resuming re-attaches to the jobs already there, finished or not). The input snapshot
 * is stored in Redis under its content hash. Outcomes come from the queue's 'completed' events and,
 * as a safety net, from polling the job states. A job that fails for a user's error (the worker
 * marks it unrecoverable) fails the run with its located message; others are retried.
 */
export class QueueExecutor implements TrialExecutor {
  readonly kind = 'queue';
  readonly concurrency = 0;
  readonly queueName: string;
  private readonly queue: Queue<TrialJobData, TrialJobResult>;
  private events?: QueueEvents;
  private readonly writtenIn = new Map<string, number>();
  private readonly jobOf = new Map<string, PendingJob>();
  /** jobs whose records are on disk, removed from Redis in batches */
  private toRemove: string[] = [];
  private removal?: NodeJS.Timeout;
  private lease?: CoordinatorLease;

  private constructor(
    private readonly url: string,
    private readonly redis: Redis,
    private readonly snapshot: RunSnapshot,
    private readonly pipelineHash: string,
    private readonly chunk: number,
    private readonly trialsPerPoint: number,
  ) {
    this.queueName = queueName(pipelineHash);
    this.queue = new Queue(this.queueName, { connection: redis });
  }

  /** `client`: one already connected to `url` (else one is made) */
  static async connect(
    url: string,
    snapshot: RunSnapshot,
    resolved: ResolvedPipeline,
    chunk: number,
    client?: Redis,
  ): Promise<QueueExecutor> {
    const redis = client ?? (await connectRedis(url));
    const executor = new QueueExecutor(url, redis, snapshot, resolved.hash, chunk, resolved.spec.run.trials);
    try {
      // one coordinator per pipeline's queue at a time (a second would share its jobs)
      executor.lease = await CoordinatorLease.take(redis, executor.queueName);
    } catch (e) {
      await executor.queue.close().catch(() => undefined);
      redis.disconnect();
      throw e;
    }
    return executor;
  }

  /** The jobs covering the tasks: aligned chunks of trials of one point. */
  private plan(tasks: readonly TrialTask[]): PendingJob[] {
    const jobs = new Map<string, PendingJob>();
    for (const t of tasks) {
      const first = Math.floor(t.trial / this.chunk) * this.chunk;
      const count = Math.min(this.chunk, this.trialsPerPoint - first);
      const id = jobId(this.pipelineHash, t.pointIndex, first, count);
      let j = jobs.get(id);
      if (!j) jobs.set(id, (j = { id, tasks: [] }));
      j.tasks.push(t);
    }
    return [...jobs.values()];
  }

  async *run(tasks: readonly TrialTask[]): AsyncGenerator<TrialOutcome> {
    const jobs = this.plan(tasks);
    const pending = new Map(jobs.map((j) => [j.id, j]));
    for (const j of jobs) this.jobOf.set(j.id, j);
    const ready: TrialOutcome[] = [];
    let failure: Error | undefined;
    let lastDelivery = Date.now();
    let wake: (() => void) | undefined;
    const notify = () => {
      wake?.();
      wake = undefined;
    };

    const deliver = (id: string, value: unknown) => {
      const j = pending.get(id);
      if (!j) return; // already delivered (a job can complete twice after a stall)
      const result = (typeof value === 'string' ? JSON.parse(value) : value) as TrialJobResult;
      const first = Math.floor((j.tasks[0] as TrialTask).trial / this.chunk) * this.chunk;
      if (!Array.isArray(result)) return; // read while still running: the event or the next poll delivers it
      pending.delete(id);
      lastDelivery = Date.now();
      for (const t of j.tasks) ready.push({ task: t, records: result[t.trial - first] ?? [] });
      notify();
    };
    const fail = (id: string, reason: string | undefined) => {
      if (!pending.has(id) || failure) return;
      const user = parseUserError(reason);
      failure = user
        ? reviveError(user)
        : new IsacflowError('stage-failed', [
            {
              where: '',
              path: `queue ${this.queueName} job ${id}`,
              message: `failed ${ATTEMPTS} times: ${redactIn(reason ?? 'no reason given', this.url)}`,
            },
          ]);
      notify();
    };
    const check = async (id: string) => {
      const job = await Job.fromId<TrialJobData, TrialJobResult>(this.queue, id);
      if (!job) {
        // removed by someone else (another coordinator of the same pipeline): queue it again
        if (pending.has(id)) await this.add([pending.get(id) as PendingJob]);
        return;
      }
      if (job.finishedOn && job.returnvalue !== null && job.returnvalue !== undefined && !job.failedReason)
        return deliver(id, job.returnvalue);
      const state = await job.getState();
      // read again: the job may have finished between the two reads
      const now =
        state === 'completed' || state === 'failed'
          ? await Job.fromId<TrialJobData, TrialJobResult>(this.queue, id)
          : undefined;
      if (state === 'completed' && now) return deliver(id, now.returnvalue);
      if (state === 'failed' && now) fail(id, now.failedReason);
    };

    this.events = new QueueEvents(this.queueName, { connection: this.redis.duplicate() });
    this.events.on('completed', ({ jobId: id, returnvalue }) => {
      if (pending.has(id)) {
        if (returnvalue !== undefined && returnvalue !== null) deliver(id, returnvalue);
        else void check(id).catch(() => undefined);
      }
    });
    this.events.on('failed', ({ jobId: id }) => {
      if (pending.has(id)) void check(id).catch(() => undefined);
    });
    this.events.on('error', () => undefined);
    await this.events.waitUntilReady();

    // the snapshot under its content hash, then the jobs (existing ids are left as they are)
    await this.redis.set(snapshotKey(this.snapshot.id), JSON.stringify(this.snapshot));
    await this.redis.sadd(ACTIVE_QUEUES, this.queueName);
    for (let i = 0; i < jobs.length; i += 500) await this.add(jobs.slice(i, i + 500));
    // re-attached to an earlier run's jobs: collect the finished ones, retry the ones that gave up
    for (const job of await this.queue.getJobs(['completed', 'failed'])) {
      if (!job?.id || !pending.has(job.id)) continue;
      if (job.finishedOn && !job.failedReason && Array.isArray(job.returnvalue))
        deliver(job.id, job.returnvalue);
      else if (parseUserError(job.failedReason)) fail(job.id, job.failedReason);
      else
        await check(job.id)
          .then(() => (pending.has(job.id as string) && !failure ? job.retry('failed') : undefined))
          .catch(() => undefined);
    }

    // the safety net: when no job has finished for a while, look at the oldest pending ones
    let polling = false;
    const poll = setInterval(() => {
      if (polling || Date.now() - lastDelivery < POLL_MS) return;
      polling = true;
      void (async () => {
        for (const id of [...pending.keys()].slice(0, 50)) await check(id);
      })()
        .catch(() => undefined)
        .finally(() => (polling = false));
    }, POLL_MS);
    try {
      while (pending.size > 0 || ready.length > 0) {
        if (failure) throw failure;
        const next = ready.shift();
        if (next) {
          yield next;
          continue;
        }
        await new Promise<void>((r) => {
          wake = r;
          if (ready.length || failure || pending.size === 0) notify();
        });
      }
      if (failure) throw failure;
    } finally {
      clearInterval(poll);
    }
  }

  private async add(jobs: PendingJob[]): Promise<void> {
    await this.queue.addBulk(
      jobs.map((j) => {
        const first = Math.floor((j.tasks[0] as TrialTask).trial / this.chunk) * this.chunk;
        const count = Math.min(this.chunk, this.trialsPerPoint - first);
        const data: TrialJobData = {
          pipelineHash: this.pipelineHash,
          snapshotId: this.snapshot.id,
          pointIndex: (j.tasks[0] as TrialTask).pointIndex,
          trials: Array.from({ length: count }, (_, k) => first + k),
        };
        return {
          name: 'trials',
          data,
          opts: {
            jobId: j.id,
            attempts: ATTEMPTS,
            backoff: { type: 'fixed', delay: 1000 },
            removeOnComplete: false,
            removeOnFail: false,
          },
        };
      }),
    );
  }

  /** Once all trials of a job are on disk its result is dropped from Redis. */
  written(task: TrialTask): void {
    const first = Math.floor(task.trial / this.chunk) * this.chunk;
    const id = jobId(
      this.pipelineHash,
      task.pointIndex,
      first,
      Math.min(this.chunk, this.trialsPerPoint - first),
    );
    const n = (this.writtenIn.get(id) ?? 0) + 1;
    const j = this.jobOf.get(id);
    if (j && n >= j.tasks.length) {
      this.writtenIn.delete(id);
      this.toRemove.push(id);
      this.removal ??= setTimeout(() => void this.removeWritten(), 500);
    } else this.writtenIn.set(id, n);
  }

  private async removeWritten(): Promise<void> {
    this.removal = undefined;
    const ids = this.toRemove;
    this.toRemove = [];
    await Promise.all(ids.map((id) => this.queue.remove(id).catch(() => undefined)));
  }

  /**
   * Success or a user's error: the queue, its snapshot and its registration are removed (workers
   * stop taking its jobs). Any other ending (e.g. Ctrl-C) leaves the jobs for a resume.
   */
  async close(error?: unknown): Promise<void> {
    const finalError = error === undefined || error instanceof IsacflowError;
    try {
      if (this.removal) clearTimeout(this.removal);
      if (error === undefined) this.toRemove = [];
      else await this.removeWritten(); // what is on disk is not needed again
      await this.events?.close();
      if (finalError) {
        await this.redis.srem(ACTIVE_QUEUES, this.queueName);
        if (error !== undefined) {
          // stop handing out jobs and let the running ones end, so that none writes after the cleanup
          await this.queue.pause();
          for (let i = 0; i < 100 && (await this.queue.getActiveCount()) > 0; i++)
            await new Promise((r) => setTimeout(r, 100));
        }
        await this.queue.obliterate({ force: true });
        await this.redis.del(snapshotKey(this.snapshot.id));
      }
      await this.queue.close();
    } finally {
      await this.lease?.release();
      this.redis.disconnect();
    }
  }
}
