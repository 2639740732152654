import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';
import type { Frame } from '../core/frame.js';
import { Recording, type RecordedFrame } from './recording.js';
import { frameFromSource } from './source-frame.js';
import { defineSource, type FrameRequest, type FrameSource, type SourceInfo } from './source-types.js';

export const npySourceParams = z
  .object({
    path: z
      .string({ error: 'must be the path of a recording folder (recording.json + .npy files)' })
      .min(1)
      .describe('recording folder (relative to the working directory, like --out; ~ is the home folder)'),
  })
  .strict();

/** Data paths: `~/x` -> home folder; relative paths against the working directory (like --out). */
export function resolveUserPath(p: string): string {
  if (p === '~' || p.startsWith('~/')) return resolve(homedir(), p.slice(2));
  return resolve(p);
}

/** A recording folder (docs/frame-format.md) as a frame source: frames are read one at a time. */
export class NpySource implements FrameSource {
  readonly name = 'npy';
  private readonly trials: number[];

  constructor(readonly recording: Recording) {
    this.trials = [...new Set(recording.frames.map((f) => f.trial))].sort((a, b) => a - b);
  }

  info(): SourceInfo {
    const s = this.recording.sidecar;
    const perTrial = this.trials.map((t) => this.recording.frames.filter((f) => f.trial === t).length);
    return {
      scenario: {
        system: s.system,
        aps: s.aps,
        ...(s.snr ? { snr: s.snr } : {}),
        ...(s.seed !== undefined ? { seed: s.seed } : {}),
      },
      truth: this.recording.hasTruth,
      live: false,
      provides: ['echoes'],
      trials: Math.max(1, this.trials.length),
      frames: Math.max(1, Math.min(...perTrial)),
      origin: this.recording.sidecarPath,
    };
  }

  /** The first `req.frames` frames of the req.trial-th recorded trial. */
  *trial(req: FrameRequest): Iterable<Frame> {
    const t = this.trials[req.trial];
    if (t === undefined) return;
    const idx: number[] = [];
    this.recording.frames.forEach((f: RecordedFrame, k) => {
      if (f.trial === t) idx.push(k);
    });
    for (const k of idx.slice(0, req.frames))
      yield frameFromSource(req.point, req.rootSeed, this.recording.read(k));
  }

  close(): void {
    this.recording.close();
  }
}

export const npySource = defineSource({
  name: 'npy',
  summary:
    'a recording folder: recording.json (system, AP geometry, optional truth) + NumPy .npy echo tensors (docs/frame-format.md)',
  params: npySourceParams,
  create: (p) => new NpySource(Recording.open(resolveUserPath(p.path))),
});
