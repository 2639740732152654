import type { z } from 'zod';
import { definePlugin, type PluginDeps, type PluginManifest } from './core/plugin.js';
import type { FusionScheme } from './isac/fusion/types.js';
import type { PlacementStrategy } from './isac/placement/types.js';
import type { Tracker } from './isac/tracking/types.js';

/** What every `define*` helper of a plugin kind takes: name, one-line summary, params schema, factory. */
export interface PluginDefinition<P, I> {
  /** the name pipelines use (`scheme: <name>`, `solver: <name>`, ...) */
  name: string;
  /** one line for `isacflow list` */
  summary: string;
  /** zod schema of the params (`.describe()` documents an option, `.meta({ unit })` gives its unit) */
  params: z.ZodType<P>;
  /** builds one instance from validated params (defaults filled); `deps.registry` creates other plugins */
  create: (params: P, deps: PluginDeps) => I;
  /**
   * A fusion scheme whose fuseFrame keeps no reference to the echo tensors once it returns: true lets
   * the engine reuse frame buffers in fusion-solver pipelines with it (README, "Frame buffers").
   */
  releasesFrameData?: boolean;
}

/** A fusion scheme (kind `fusion`, used by the fusion-solver stage as `scheme: <name>`). */
export function defineFusion<P>(m: PluginDefinition<P, FusionScheme>): PluginManifest<P, FusionScheme> {
  return definePlugin<P, FusionScheme>('fusion', m);
}

/** A placement strategy (kind `placement`, used by the placement-optimizer stage as `strategy: <name>`). */
export function definePlacement<P>(
  m: PluginDefinition<P, PlacementStrategy>,
): PluginManifest<P, PlacementStrategy> {
  return definePlugin<P, PlacementStrategy>('placement', m);
}

/** A multi-target tracker (kind `tracker`, used by the tracker stage as `tracker: <name>`). */
export function defineTracker<P>(m: PluginDefinition<P, Tracker>): PluginManifest<P, Tracker> {
  return definePlugin<P, Tracker>('tracker', m);
}
