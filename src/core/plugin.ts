import type { z } from 'zod';
import type { Frame, FrameRecord, StageContext } from './frame.js';

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
  /** frame.data fields it needs from earlier stages */
  reads: readonly string[];
  /** frame.data fields it adds */
  adds: readonly string[];
  /** frame.record keys it writes (documentation) */
  records?: readonly string[];
  /**
   * Whether it needs the true targets (recorded or live frames may have none): true, or a function of
   * its params returning why (and what to use instead) when it does, else undefined. Checked at validate.
   */
  needsTruth?: boolean | ((params: P) => string | undefined);
  stage: StageClass;
  /** optional: a plain-text summary of a run's records (printed after the run and put in the report) */
  summarize?: (records: readonly FrameRecord[]) => string;
}

export type AnyManifest = PluginManifest | StageManifest;

export function defineStage<P>(m: Omit<StageManifest<P>, 'kind'>): StageManifest<P> {
  return { kind: 'stage', ...m };
}

export function definePlugin<P, I>(kind: Exclude<PluginKind, 'stage'>, m: Omit<PluginManifest<P, I>, 'kind'>): PluginManifest<P, I> {
  return { kind, ...m };
}
