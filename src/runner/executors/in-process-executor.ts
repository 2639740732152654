import type { RunSnapshot } from '../snapshot.js';
import { runTrial } from '../trial-runner.js';
import type { TrialExecutor, TrialOutcome, TrialTask } from './trial-executor.js';

/** Runs the trials one after the other in this thread (the engine loaded from the snapshot). */
export class InProcessExecutor implements TrialExecutor {
  readonly kind = 'in-process';
  readonly concurrency = 1;

  constructor(private readonly snapshot: RunSnapshot) {}

  async *run(tasks: readonly TrialTask[]): AsyncGenerator<TrialOutcome> {
    for (const task of tasks)
      yield { task, records: await runTrial(this.snapshot, task.pointIndex, task.trial) };
  }

  async close(): Promise<void> {}
}
