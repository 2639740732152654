import { readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { IsacflowError } from '../core/errors.js';
import type { SweepPoint } from '../core/pipeline-loader.js';
import { zodProblems } from '../core/zod-problems.js';
import { apSchema, snrSchema, systemSchema } from '../isac/scenario-schema.js';
import { LiveFrameError, LiveFrameParser } from './live-framing.js';
import { resolveUserPath } from './npy-source.js';
import { frameFromSource } from './source-frame.js';
import type { SourceInfo, StreamOptions } from './source-types.js';

/** The part of a sidecar a live feed needs: system and AP geometry (a recording.json or a scenario file will do). */
const liveSidecarSchema = z.looseObject({
  system: systemSchema.prefault({}),
  aps: z.array(apSchema).min(1, { error: 'must list at least one AP' }),
  snr: snrSchema.partial().optional(),
  seed: z.number().int().optional(),
});

/** What a live feed tells the loader: no truth, echoes only, the sidecar's scenario when one was given. */
export function liveSourceInfo(scenario: SourceInfo['scenario'], origin: string): SourceInfo {
  return { ...(scenario ? { scenario } : {}), truth: false, live: true, provides: ['echoes'], origin };
}

/** A live feed has no trials: `isacflow run` on it is refused with the command that processes it. */
export function liveFeedHasNoTrials(name: string): never {
  throw new IsacflowError(
    'invalid-pipeline',
    `source '${name}' is a live feed: process it with 'isacflow stream PIPELINE'`,
  );
}

/** Reads a live feed's sidecar (JSON or YAML); undefined when no path is given (the pipeline's scenario is used). */
export function readLiveSidecar(path: string | undefined): SourceInfo['scenario'] {
  if (!path) return undefined;
  const file = resolveUserPath(path);
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new IsacflowError('io', [
      {
        where: file,
        path: 'sidecar',
        message: `cannot read the sidecar: ${(e as Error).message.split('\n')[0]}`,
      },
    ]);
  }
  const r = liveSidecarSchema.safeParse(raw);
  if (!r.success)
    throw new IsacflowError(
      'io',
      zodProblems(r.error, []).map((p) => ({ ...p, where: file })),
    );
  const { system, aps, snr, seed } = r.data;
  return { system, aps, ...(snr ? { snr } : {}), ...(seed !== undefined ? { seed } : {}) };
}

export const liveTimeouts = {
  idleTimeoutS: z
    .number()
    .positive()
    .default(30)
    .describe('a sender silent this long (inside or between frames) ends the stream with an error')
    .meta({ unit: 's' }),
};

function asIo(e: unknown): IsacflowError {
  if (e instanceof IsacflowError) return e;
  if (e instanceof LiveFrameError)
    return new IsacflowError('io', [{ where: '', path: '', message: e.message }], { cause: e });
  return new IsacflowError('io', [{ where: '', path: '', message: (e as Error).message }], { cause: e });
}

/**
 * Reads the live framing from a byte stream into the queue: frames are decoded as they complete;
 * with policy `block` the stream is paused while the queue is full (TCP pushes back on the sender).
 * Resolves when the sender ends after a whole frame (or sends {"end": true}) or the signal aborts;
 * rejects on bad input or silence longer than idleTimeoutS, naming the source, frame and byte offset.
 */
export function feedFromStream(
  name: string,
  input: Readable,
  point: SweepPoint,
  opts: StreamOptions,
  idleTimeoutS: number,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let done = false;
    let paused = false;
    let idle: NodeJS.Timeout | undefined;
    const finish = (e?: unknown) => {
      if (done) return;
      done = true;
      clearTimeout(idle);
      input.off('data', onData);
      input.off('end', onEnd);
      input.off('error', onError);
      input.off('close', onClose);
      opts.signal.removeEventListener('abort', onAbort);
      if (e === undefined) resolve();
      else reject(asIo(e));
    };
    const armIdle = () => {
      clearTimeout(idle);
      idle = setTimeout(() => {
        if (paused) return armIdle(); // waiting for the chain, not for the sender
        finish(
          new LiveFrameError(
            name,
            parser.count,
            parser.offset,
            `no data from the sender for ${idleTimeoutS} s; the stream is closed`,
          ),
        );
      }, idleTimeoutS * 1000);
      idle.unref?.();
    };
    const parser = new LiveFrameParser(
      name,
      () => point.scenario,
      (sf) => {
        const frame = frameFromSource(point, opts.rootSeed, sf);
        opts.queue.offer(frame);
        if (opts.queue.policy === 'block' && opts.queue.full && !paused) {
          paused = true;
          input.pause();
          void opts.queue.space().then(() => {
            paused = false;
            if (!done) input.resume();
          });
        }
      },
    );
    const onData = (chunk: Buffer) => {
      armIdle();
      try {
        parser.push(chunk);
        if (parser.ended) finish();
      } catch (e) {
        finish(e);
      }
    };
    const onEnd = () => {
      try {
        parser.end();
        finish();
      } catch (e) {
        finish(e);
      }
    };
    const onClose = () => onEnd();
    const onError = (e: Error) =>
      finish(new LiveFrameError(name, parser.count, parser.offset, `connection error: ${e.message}`));
    const onAbort = () => finish();
    input.on('data', onData);
    input.on('end', onEnd);
    input.on('close', onClose);
    input.on('error', onError);
    opts.signal.addEventListener('abort', onAbort);
    armIdle();
  });
}
