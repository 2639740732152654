import type { Rng } from '../math/rng.js';
import { IsacflowError } from './errors.js';
import type { Frame, StageContext } from './frame.js';
import type { FrameBufferPool } from './frame-buffers.js';
import type { PluginLookup } from './plugin.js';
import { stagesAdding } from './stage-providers.js';
import { keyOf, UNTYPED, type Port, type RecordKey } from './port.js';

/**
 * The standard missing-input error of a stage: names the stage, the port and the registered stages
 * that add it. `ctx.read` throws it; a stage that checks more than presence can throw it too.
 *
 * @example
 * ```ts
 * import { missingInputError, Observations, type PluginLookup } from 'isacflow';
 *
 * declare const registry: PluginLookup;
 * const err = missingInputError('fusion', Observations, registry);
 * err.message; // "fusion  stage 'fusion' reads 'observations' (TargetObservation[]): … (put a music-associator stage before it)"
 * ```
 */
export function missingInputError(
  stageId: string,
  port: Port<unknown>,
  registry: PluginLookup,
): IsacflowError {
  const providers = stagesAdding(registry, port.key);
  const type = port.type === UNTYPED ? '' : ` (${port.type})`;
  const fix =
    providers.length === 1
      ? `put a ${providers[0]} stage before it`
      : providers.length > 1
        ? `put a stage that adds it before it: ${providers.join(', ')}`
        : 'put a stage that adds it before it';
  return new IsacflowError('stage-failed', [
    {
      where: '',
      path: stageId,
      message: `stage '${stageId}' reads '${port.key}'${type}: frame.data.${port.key} is missing (${fix})`,
    },
  ]);
}

/** record[key][subKey] = value, keeping the entries of other branches and stages. */
function writeRecordEntry(frame: Frame, key: string, subKey: string, value: unknown): void {
  const existing = frame.record[key];
  const entries =
    existing !== null && typeof existing === 'object' && !Array.isArray(existing)
      ? (existing as Record<string, unknown>)
      : {};
  frame.record[key] = { ...entries, [subKey]: value };
}

/**
 * The context a stage gets with each frame: its id, result key, random stream and the registry,
 * plus typed access to `frame.data` (ports) and the one record writer. The engine makes one per
 * frame and variant branch; tests of a stage make one the same way.
 *
 * @example
 * ```ts
 * import { createStageContext, Echoes, Rng, type Frame, type PluginLookup } from 'isacflow';
 *
 * declare const frame: Frame;
 * declare const registry: PluginLookup;
 * const ctx = createStageContext(frame, { stageId: 'cp', rng: new Rng(['test', 'cp']), registry });
 * const echoes = ctx.read(frame, Echoes); // EchoTensor[]
 * ctx.record('myDiagnostic', { tensors: echoes.length }); // record.myDiagnostic.cp
 * ```
 */
export function createStageContext(
  frame: Frame,
  opts: {
    stageId: string;
    rng: Rng;
    registry: PluginLookup;
    resultKey?: string;
    rootSeed?: number;
    /** recycles ctx.buffer's arrays across frames (the engine's, when the pipeline allows it) */
    buffers?: FrameBufferPool;
  },
): StageContext {
  const { stageId, rng, registry, buffers } = opts;
  const resultKey = opts.resultKey ?? (frame.branch || stageId);
  return {
    stageId,
    resultKey,
    rng,
    registry,
    ...(opts.rootSeed !== undefined ? { rootSeed: opts.rootSeed } : {}),
    read<T>(f: Frame, port: Port<T>): T {
      const v = f.data[port.key];
      if (v === undefined) throw missingInputError(stageId, port, registry);
      return v as T;
    },
    tryRead<T>(f: Frame, port: Port<T>): T | undefined {
      return f.data[port.key] as T | undefined;
    },
    write<T>(f: Frame, port: Port<T>, value: T): void {
      f.data[port.key] = value;
    },
    record(key: RecordKey<unknown> | string, value: unknown, o?: { as?: string }): void {
      writeRecordEntry(frame, keyOf(key), o?.as ?? resultKey, value);
    },
    buffer(length: number): Float64Array {
      if (!Number.isSafeInteger(length) || length < 0)
        throw new RangeError(`ctx.buffer: length must be a non-negative integer, got ${length}`);
      return buffers ? buffers.take(frame.record, length) : new Float64Array(length);
    },
  };
}
