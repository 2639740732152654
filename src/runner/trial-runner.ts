import 'reflect-metadata';
import { lastValueFrom, toArray } from 'rxjs';
import { Engine } from '../core/engine.js';
import { IsacflowError } from '../core/errors.js';
import type { FrameRecord } from '../core/frame.js';
import type { ResolvedPipeline } from '../core/pipeline-loader.js';
import { loadFromSnapshot, renamedError } from './snapshot-loader.js';
import { materialise, type RunSnapshot } from './snapshot.js';

interface Prepared {
  resolved: ResolvedPipeline;
  engine: Engine;
}

/** Pipelines loaded in this thread, by snapshot id (a queue worker serves many pipelines). */
const cache = new Map<string, Promise<Prepared>>();
const KEEP = 4;

/** The engine of a snapshot, loaded once per thread. */
export function prepare(snapshot: RunSnapshot): Promise<Prepared> {
  let p = cache.get(snapshot.id);
  if (!p) {
    p = loadFromSnapshot(snapshot).then((resolved) => ({
      resolved,
      engine: new Engine(resolved.rootSeed, resolved.spec.run.frames, resolved.registry),
    }));
    p.catch(() => cache.delete(snapshot.id));
    cache.set(snapshot.id, p);
    while (cache.size > KEEP) cache.delete(cache.keys().next().value as string);
  }
  return p;
}

/** Runs one trial (all its frames) of a point of the snapshot's pipeline. */
export async function runTrial(
  snapshot: RunSnapshot,
  pointIndex: number,
  trial: number,
): Promise<FrameRecord[]> {
  const { resolved, engine } = await prepare(snapshot);
  const point = resolved.points.find((p) => p.index === pointIndex);
  if (!point)
    throw new IsacflowError('invalid-option', `pipeline ${resolved.file} has no sweep point ${pointIndex}`);
  try {
    return await lastValueFrom(engine.trial$(point, trial).pipe(toArray()), { defaultValue: [] });
  } catch (e) {
    // a plugin's stack position (pluginFrame) names its materialised copy: give the user's own path
    throw renamedError(e, materialise(snapshot).names);
  }
}
