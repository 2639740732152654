import type { z } from 'zod';
import type { Frame } from '../core/frame.js';
import type { PluginDeps, PluginManifest } from '../core/plugin.js';
import type { SweepPoint } from '../core/pipeline-loader.js';
import type { Ap, SnrSpec, SystemParams } from '../isac/scenario-types.js';
import type { BoundedQueue } from './bounded-queue.js';

/** What a source knows before any frame flows (read at validate: a recording's sidecar, a live feed's parameters). */
export interface SourceInfo {
  /** system, AP layout (and SNR / root seed when known) that replace the pipeline scenario's */
  scenario?: { system: SystemParams; aps: Ap[]; snr?: Partial<SnrSpec>; seed?: number };
  /** whether frames carry the true targets; stages that need the truth are refused when false */
  truth: boolean;
  /** a live feed: frames arrive until the peer stops; `isacflow stream` runs it */
  live: boolean;
  /** frame.data fields every frame arrives with (e.g. 'echoes'); stages that add them are refused */
  provides: readonly string[];
  /** recorded sources: trials and frames per trial (defaults for run.trials / run.frames) */
  trials?: number;
  frames?: number;
  /** a one-line description for messages and the manifest, e.g. the sidecar path */
  origin: string;
}

export interface StreamOptions {
  /** aborted on Ctrl-C: stop receiving, resolve */
  signal: AbortSignal;
  rootSeed: number;
  queue: BoundedQueue<Frame>;
  /** progress messages for the user (e.g. 'listening on tcp://127.0.0.1:7400'); stderr */
  onStatus?: (message: string) => void;
}

/** Which frames to produce: one trial of a sweep point (recorded and simulated sources). */
export interface FrameRequest {
  point: SweepPoint;
  rootSeed: number;
  trial: number;
  /** frames per trial (run.frames) */
  frames: number;
}

/**
 * A frame source (plugin kind `source`). Frames are pulled one at a time: the next is read only when
 * the chain asks for it, so a recording is never loaded whole.
 */
export interface FrameSource {
  readonly name: string;
  info(): SourceInfo;
  /** Frames of one trial in order (recorded and simulated sources). */
  trial(req: FrameRequest): Iterable<Frame> | AsyncIterable<Frame>;
  /**
   * Live feeds: pushes every frame into `opts.queue` as it arrives, honouring the queue's policy
   * (block: wait for space, pausing the sender; drop-oldest: offer at once), and resolves when the
   * feed ends (rejects with a clear error on bad input). Sources without it are streamed through trial().
   */
  feed?(point: SweepPoint, opts: StreamOptions): Promise<void>;
  close?(): void;
}

export interface SourceManifest<P = unknown> extends PluginManifest<P, FrameSource> {
  kind: 'source';
}

/** Declares a frame source plugin (`source: { uses: NAME, params }` in a pipeline). */
export function defineSource<P>(m: {
  name: string;
  summary: string;
  params: z.ZodType<P>;
  create: (params: P, deps: PluginDeps) => FrameSource;
}): SourceManifest<P> {
  return { kind: 'source', ...m };
}
