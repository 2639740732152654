import type { Rng } from '../math/rng.js';
import type { Ap, Scenario, Target } from '../isac/scenario-types.js';
import type { StateEstimate } from '../isac/state-estimate.js';
import type { PluginLookup } from './plugin.js';
import type { Port, RecordKey } from './port.js';

/**
 * JSON fields of one frame record (shared/spec/results.md, docs/records.md). Stages add their own
 * keys through `ctx.record`, always as `record[key][resultKey]`.
 */
export interface FrameRecord {
  point: Record<string, unknown>;
  trial: number;
  frame: number;
  seed: number;
  truth: Target[];
  /** estimate sets by result key (fusion variants, trackers, ...) */
  estimates?: Record<string, StateEstimate[]>;
  timings: Record<string, number>;
  [key: string]: unknown;
}

/**
 * The envelope that flows through a pipeline: the truth for one trial and frame, the data the
 * stages add (`data`, may hold tensors; never serialised) and the JSON record (`record`).
 * When a stage has variants the engine forks the frame into branches: each branch has its own
 * `data` (shallow copy) and `aps`, and all branches of a frame share one `record`.
 */
export interface Frame {
  readonly trial: number;
  readonly frame: number;
  /** sweep point, e.g. { 'scenario.snr.db': -10 } */
  readonly point: Readonly<Record<string, unknown>>;
  /** canonical key of the sweep point (used in seeds) */
  readonly pointKey: string;
  /** the scenario at this sweep point (targets as given; `truth` holds this frame's targets) */
  readonly scenario: Scenario;
  /** AP layout for this branch (a placement stage may rewrite it) */
  aps: Ap[];
  /** targets at this frame's time */
  truth: Target[];
  /** variant path of this branch, '' when no stage so far had variants */
  branch: string;
  /** outputs of stages by field name (see StageManifest.reads/adds); read and write them with ctx.read/ctx.write */
  data: Record<string, unknown>;
  record: FrameRecord;
}

export interface StageContext {
  /** `stages[i].id` */
  readonly stageId: string;
  /** key this stage writes its per-variant results under: frame.branch, or stageId when empty */
  readonly resultKey: string;
  /**
   * This stage's random stream for this frame, keyed (root seed, point, trial, frame, stage id):
   * the same in every variant branch (common random numbers).
   */
  readonly rng: Rng;
  readonly registry: PluginLookup;
  /**
   * The value of `port` in this frame, typed. Throws the standard missing-input error (naming this
   * stage, the port and the stages that add it) when no earlier stage added it.
   */
  read<T>(frame: Frame, port: Port<T>): T;
  /** The value of `port`, or undefined when no earlier stage added it (an optional input). */
  tryRead<T>(frame: Frame, port: Port<T>): T | undefined;
  /** Sets `port` for the stages after this one (in this branch). */
  write<T>(frame: Frame, port: Port<T>, value: T): void;
  /**
   * Writes `value` to this frame's record at `record[key][as ?? resultKey]` — one layout for every
   * stage, in and outside variant branches (branches share one record, each under its own key).
   * `as` replaces the result key where a stage writes a key another stage of the branch also
   * writes (the tracker's estimates beside the fusion estimates).
   */
  record<T>(key: RecordKey<T>, value: T, opts?: { as?: string }): void;
  record(key: string, value: unknown, opts?: { as?: string }): void;
  /** root seed of the run (run.seed, else scenario.seed); the echo-recorder stores it */
  readonly rootSeed?: number;
  /**
   * A Float64Array of `length` for an output of this frame (e.g. a tensor's data). Its contents are
   * unspecified: write every element. When every stage of the pipeline declares
   * `releasesFrameData`, the engine reuses it for a later frame once this frame's record is out;
   * otherwise it is a fresh array.
   */
  buffer(length: number): Float64Array;
}
