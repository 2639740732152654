import { Piscina } from 'piscina';
import type { FrameRecord } from '../../core/frame.js';
import type { RunSnapshot } from '../snapshot.js';
import type { TrialBatch } from '../trial-worker.js';
import {
  reviveError,
  type Settled,
  type TrialExecutor,
  type TrialOutcome,
  type TrialTask,
} from './trial-executor.js';
import { trialWorkerFile, workerExecArgv } from './worker-file.js';

/**
 * Runs trials on a pool of worker threads (piscina). Each thread loads the pipeline once from the
 * snapshot it is sent. At most 2 trials per thread are in flight, so finished trials waiting to be
 * written in order stay few.
 */
export class PoolExecutor implements TrialExecutor {
  readonly kind = 'worker threads';
  private readonly pool: Piscina;

  constructor(
    private readonly snapshot: RunSnapshot,
    readonly concurrency: number,
  ) {
    const w = trialWorkerFile();
    this.pool = new Piscina({
      filename: w.filename,
      minThreads: concurrency,
      maxThreads: concurrency,
      execArgv: workerExecArgv(w.typescript),
    });
  }

  private async one(task: TrialTask): Promise<TrialOutcome> {
    const batch: TrialBatch = { snapshot: this.snapshot, pointIndex: task.pointIndex, trials: [task.trial] };
    const r = (await this.pool.run(batch)) as Settled<FrameRecord[][]>;
    if (!r.ok) throw reviveError(r.error);
    return { task, records: r.value[0] ?? [] };
  }

  async *run(tasks: readonly TrialTask[]): AsyncGenerator<TrialOutcome> {
    const window = 2 * this.concurrency;
    const inFlight = new Map<number, Promise<{ i: number; outcome: TrialOutcome }>>();
    let next = 0;
    const launch = () => {
      const i = next++;
      const task = tasks[i] as TrialTask;
      inFlight.set(
        i,
        this.one(task).then((outcome) => ({ i, outcome })),
      );
    };
    try {
      while (next < tasks.length && inFlight.size < window) launch();
      while (inFlight.size > 0) {
        const { i, outcome } = await Promise.race(inFlight.values());
        inFlight.delete(i);
        if (next < tasks.length) launch();
        yield outcome;
      }
    } finally {
      // a failure leaves other trials running: let them settle so nothing is left unhandled
      for (const p of inFlight.values()) p.catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}
