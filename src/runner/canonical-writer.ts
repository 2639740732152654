import type { FrameRecord } from '../core/frame.js';
import type { TrialOutcome, TrialTask } from './executors/trial-executor.js';

/**
 * Writes trials in the order of the task list (canonical (point, trial, frame) order) whatever
 * order they finish in: a finished trial waits only until the trials before it are written.
 * Each task is written once; a second outcome for it is ignored.
 */
export class CanonicalWriter {
  private readonly position = new Map<string, number>();
  private readonly waiting = new Map<number, FrameRecord[]>();
  private next = 0;

  constructor(
    private readonly tasks: readonly TrialTask[],
    private readonly append: (records: FrameRecord[], task: TrialTask) => void,
  ) {
    tasks.forEach((t, i) => this.position.set(key(t), i));
  }

  /** Returns false for an outcome already taken (or not asked for). */
  accept(o: TrialOutcome): boolean {
    const i = this.position.get(key(o.task));
    if (i === undefined || i < this.next || this.waiting.has(i)) return false;
    this.waiting.set(i, o.records);
    while (this.waiting.has(this.next)) {
      const recs = this.waiting.get(this.next) as FrameRecord[];
      this.waiting.delete(this.next);
      this.append(recs, this.tasks[this.next] as TrialTask);
      this.next++;
    }
    return true;
  }

  get done(): boolean {
    return this.next >= this.tasks.length;
  }

  /** trials finished but not yet written (waiting for an earlier one) */
  get buffered(): number {
    return this.waiting.size;
  }
}

const key = (t: TrialTask) => `${t.pointIndex}#${t.trial}`;
