import 'reflect-metadata';
import { lastValueFrom, toArray } from 'rxjs';
import { loadWithBuiltins } from '../builtins.js';
import { Engine } from '../core/engine.js';
import type { FrameRecord } from '../core/frame.js';
import type { ResolvedPipeline } from '../core/pipeline-loader.js';

/** What crosses the thread boundary: a small descriptor, never tensors. */
export interface TrialTask {
  file: string;
  sets: string[];
  sweeps?: string[];
  pointIndex: number;
  trial: number;
}

const cache = new Map<string, Promise<{ resolved: ResolvedPipeline; engine: Engine }>>();

function prepare(file: string, sets: string[], sweeps: string[] = []) {
  const key = JSON.stringify([file, sets, sweeps]);
  let p = cache.get(key);
  if (!p) {
    p = loadWithBuiltins(file, sets, sweeps).then((resolved) => ({
      resolved,
      engine: new Engine(resolved.rootSeed, resolved.spec.run.frames, resolved.registry),
    }));
    cache.set(key, p);
  }
  return p;
}

/** Runs one trial (all its frames) and returns its records. Used by the worker pool. */
export default async function runTrialTask(task: TrialTask): Promise<FrameRecord[]> {
  const { resolved, engine } = await prepare(task.file, task.sets, task.sweeps);
  const point = resolved.points[task.pointIndex];
  if (!point) throw new Error(`no sweep point ${task.pointIndex}`);
  return lastValueFrom(engine.trial$(point, task.trial).pipe(toArray()));
}
