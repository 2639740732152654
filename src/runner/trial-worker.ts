import 'reflect-metadata';
import type { FrameRecord } from '../core/frame.js';
import { serialiseError, type Settled } from './executors/trial-executor.js';
import type { RunSnapshot } from './snapshot.js';
import { runTrial } from './trial-runner.js';

/** What crosses the thread boundary: the input snapshot and which trials, never tensors. */
export interface TrialBatch {
  snapshot: RunSnapshot;
  pointIndex: number;
  trials: number[];
}

/** Piscina worker: runs the trials of a batch, returns their records (one array per trial). */
export default async function runTrialBatch(batch: TrialBatch): Promise<Settled<FrameRecord[][]>> {
  try {
    const out: FrameRecord[][] = [];
    for (const t of batch.trials) out.push(await runTrial(batch.snapshot, batch.pointIndex, t));
    return { ok: true, value: out };
  } catch (e) {
    return { ok: false, error: serialiseError(e) };
  }
}
