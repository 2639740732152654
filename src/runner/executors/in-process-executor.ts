import { lastValueFrom, toArray } from 'rxjs';
import { Engine } from '../../core/engine.js';
import type { ResolvedPipeline } from '../../core/pipeline-loader.js';
import type { RunSnapshot } from '../snapshot.js';
import { runTrial } from '../trial-runner.js';
import type { TrialExecutor, TrialOutcome, TrialTask } from './trial-executor.js';

/**
 * Runs the trials one after the other in this thread. Given the pipeline this process already
 * resolved (its files were read once, its plugins imported), it runs that; otherwise the engine is
 * loaded from the snapshot (where each plugin is bundled with the files it imports).
 */
export class InProcessExecutor implements TrialExecutor {
  readonly kind = 'in-process';
  readonly concurrency = 1;
  private readonly engine?: Engine;

  constructor(
    private readonly snapshot: RunSnapshot,
    private readonly resolved?: ResolvedPipeline,
  ) {
    if (resolved) this.engine = new Engine(resolved.rootSeed, resolved.spec.run.frames, resolved.registry);
  }

  async *run(tasks: readonly TrialTask[]): AsyncGenerator<TrialOutcome> {
    for (const task of tasks) {
      const point = this.resolved?.points.find((p) => p.index === task.pointIndex);
      const records =
        this.engine && point
          ? await lastValueFrom(this.engine.trial$(point, task.trial).pipe(toArray()), { defaultValue: [] })
          : await runTrial(this.snapshot, task.pointIndex, task.trial);
      yield { task, records };
    }
  }

  async close(): Promise<void> {}
}
