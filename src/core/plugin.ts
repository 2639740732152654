import type { z } from 'zod';
import type { Frame, FrameRecord, StageContext } from './frame.js';
import type { PortRef, RecordRef } from './port.js';

export type PluginKind = 'solver' | 'fusion' | 'placement' | 'tracker' | 'stage' | 'source';

/** Look up and instantiate plugins by kind and name (did-you-mean errors on unknown names). */
export interface PluginLookup {
  names(kind: PluginKind): string[];
  manifest(kind: PluginKind, name: string, where?: string): PluginManifest;
  /** Validate `params` against the plugin's schema (defaults filled) and create the instance. */
  create<T>(kind: PluginKind, name: string, params?: unknown, where?: string): T;
}

export interface PluginDeps {
  registry: PluginLookup;
}

/**
 * A plugin says everything about itself once: its params schema (zod; `.describe()` for the
 * doc, `.meta({ unit })` for the unit) is the single source for validation, `isacflow list`,
 * the JSON Schema and the docs.
 */
export interface PluginManifest<P = any, I = unknown> {
  kind: PluginKind;
  name: string;
  summary: string;
  params: z.ZodType<P>;
  create: (params: P, deps: PluginDeps) => I;
  /**
   * For a plugin that is handed frame data (a fusion scheme's fuseFrame gets the echo tensors): true
   * when it keeps no reference to those arrays once the call returns. See StageManifest.releasesFrameData.
   */
  releasesFrameData?: boolean;
}

/** A per-frame stage. Constructed by inversify; `@inject(TOKEN)` on every constructor parameter. */
export interface Stage {
  process(frame: Frame, ctx: StageContext): void | Promise<void>;
}

export interface StageClass {
  new (...args: any[]): Stage;
}

/** A stage plugin: the class plus what it reads from and adds to the frame. */
export interface StageManifest<P = any> {
  kind: 'stage';
  name: string;
  summary: string;
  params: z.ZodType<P>;
  /** frame.data fields it needs from earlier stages: ports (typed, e.g. `Echoes`) or field names */
  reads: readonly PortRef[];
  /** frame.data fields it adds: ports (e.g. `Decompositions`) or field names */
  adds: readonly PortRef[];
  /** frame.record keys it writes with ctx.record (docs/records.md, `isacflow list --records`) */
  records?: readonly RecordRef[];
  /**
   * Whether it needs the true targets (recorded or live frames may have none): true, or a function of
   * its params returning why (and what to use instead) when it does, else undefined. Checked at validate.
   */
  needsTruth?: boolean | ((params: P) => string | undefined);
  /**
   * True when the stage keeps no reference to frame.data's arrays (the echo tensors' data, anything
   * from ctx.buffer) once its process() has returned or its promise settled. When every stage of a
   * pipeline says so, the engine reuses those arrays for later frames (no fresh multi-MB arrays per
   * frame); one stage without it (unset: e.g. one that stores past echoes) turns that off. A stage
   * that hands frame data to plugins decides from its params (e.g. whether its fusion scheme does).
   */
  releasesFrameData?: boolean | ((params: P, registry: PluginLookup) => boolean);
  stage: StageClass;
  /** optional: a plain-text summary of a run's records (printed after the run and put in the report) */
  summarize?: (records: readonly FrameRecord[]) => string;
}

export type AnyManifest = PluginManifest | StageManifest;

/**
 * Declares a stage: its params schema, the ports it reads and adds, the record keys it writes, and
 * the class the engine constructs (through inversify) and calls once per frame and variant branch.
 *
 * @example
 * ```ts
 * import { defineStage, Echoes, port, recordKey, z, type Frame, type StageContext } from 'isacflow';
 *
 * // mean echo power per AP, for later stages (a port) and in the record
 * export const EchoPower = port<number[]>('echoPower', { type: 'number[]', doc: 'mean |y|² per AP' });
 * export const EchoPowerRecord = recordKey<number[]>('echoPower', { type: 'number[]', doc: 'mean |y|² per AP' });
 *
 * class EchoPowerStage {
 *   process(frame: Frame, ctx: StageContext): void {
 *     const power = ctx.read(frame, Echoes).map((t) => {
 *       let s = 0;
 *       for (let i = 0; i < t.data.length; i++) s += t.data[i]! ** 2;
 *       return s / (t.data.length / 2);
 *     });
 *     ctx.write(frame, EchoPower, power); // typed: number[]
 *     ctx.record(EchoPowerRecord, power); // record.echoPower[resultKey]
 *   }
 * }
 *
 * export const echoPower = defineStage({
 *   name: 'echo-power',
 *   summary: 'Mean echo power per AP',
 *   params: z.object({}).strict(),
 *   reads: [Echoes],
 *   adds: [EchoPower],
 *   records: [EchoPowerRecord],
 *   stage: EchoPowerStage,
 * });
 * ```
 */
export function defineStage<P>(m: Omit<StageManifest<P>, 'kind'>): StageManifest<P> {
  return { kind: 'stage', ...m };
}

/**
 * Declares a plugin of a kind other than stage (fusion scheme, placement strategy, tracker): its
 * params schema and a factory the registry calls with the validated params.
 *
 * @example
 * ```ts
 * import { definePlugin, z, type Tracker, type TrackReport } from 'isacflow';
 *
 * // a "tracker" that reports each frame's estimates as confirmed one-frame tracks
 * export const passThrough = definePlugin<{ minSpeed: number }, Tracker>('tracker', {
 *   name: 'pass-through',
 *   summary: 'Every estimate as a new confirmed track (no filtering)',
 *   params: z.object({ minSpeed: z.number().min(0).default(0).describe('drop slower estimates').meta({ unit: 'm/s' }) }).strict(),
 *   create: (p) => ({
 *     name: 'pass-through',
 *     reset() {},
 *     step({ estimates }): TrackReport[] {
 *       return estimates
 *         .filter((e) => e.velocity.speed >= p.minSpeed)
 *         .map((e, i) => ({ id: i + 1, position: e.position, velocity: e.velocity, age: 0, hits: 1, misses: 0, confirmed: true }));
 *     },
 *   }),
 * });
 * ```
 */
export function definePlugin<P, I>(
  kind: Exclude<PluginKind, 'stage'>,
  m: Omit<PluginManifest<P, I>, 'kind'>,
): PluginManifest<P, I> {
  return { kind, ...m };
}
