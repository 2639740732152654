import { IsacflowError, type ErrorKind, type Problem } from '../../core/errors.js';
import type { FrameRecord } from '../../core/frame.js';

/** One Monte Carlo trial of one sweep point: the unit every executor runs. */
export interface TrialTask {
  pointIndex: number;
  trial: number;
}

/** The records of one finished trial (all its frames, in frame order). */
export interface TrialOutcome {
  task: TrialTask;
  records: FrameRecord[];
}

/**
 * Runs trials somewhere — in this thread, on worker threads, on queue workers on other machines —
 * and streams each finished trial back. Outcomes may come in any order; each task's outcome
 * comes exactly once. A user's error (a stage failing, a bad plugin) rejects the stream with the
 * located IsacflowError.
 */
export interface TrialExecutor {
  /** for messages and the manifest: 'in-process', 'worker threads', 'queue' */
  readonly kind: string;
  /** trials run at once (1 in-process; threads; queue: unknown = 0) */
  readonly concurrency: number;
  run(tasks: readonly TrialTask[]): AsyncIterable<TrialOutcome>;
  /** the records of this task are safely on disk (a queue may then drop its copy) */
  written?(task: TrialTask): void;
  /** frees threads and connections; `error` when the run failed */
  close(error?: unknown): Promise<void>;
}

/** What crosses a thread or process boundary instead of a thrown error (classes do not survive it). */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: SerialError };

export interface SerialError {
  kind?: ErrorKind;
  problems?: Problem[];
  message: string;
  stack?: string;
}

export function serialiseError(e: unknown): SerialError {
  if (e instanceof IsacflowError) return { kind: e.kind, problems: e.problems, message: e.message };
  const err = e as Error;
  return { message: err?.message ?? String(e), ...(err?.stack ? { stack: err.stack } : {}) };
}

export function reviveError(s: SerialError): Error {
  if (s.kind && s.problems) return new IsacflowError(s.kind, s.problems);
  const e = new Error(s.message);
  if (s.stack) e.stack = s.stack;
  return e;
}
