import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { IsacflowError, optionError } from './core/errors.js';
import { definePlugin, defineStage } from './core/plugin.js';
import { TOKENS } from './core/tokens.js';
import { Rng } from './math/rng.js';
import { defineSolver } from './solvers/solver.js';
import { defineFusion, definePlacement, defineTracker } from './plugin-kinds.js';
import { port, recordKey } from './core/port.js';
import * as ports from './core/ports.js';
import { defineSource } from './sources/source-types.js';
import { frameFromSource } from './sources/source-frame.js';

/**
 * What a plugin written outside this repository gets, so that it needs nothing installed: a module
 * whose default export is a function `(api) => manifest | manifest[]` is called with this object.
 * Its types come from 'isacflow/plugin' (`import type { PluginApi } from 'isacflow/plugin'`).
 *
 *   export default ({ z, defineSolver }: PluginApi) => defineSolver({ name: 'my-solver', summary: '…', params: z.object({}).strict(), create: () => … });
 */
export const pluginApi = {
  z,
  inject,
  injectable,
  TOKENS,
  Rng,
  defineSolver,
  defineFusion,
  definePlacement,
  defineTracker,
  defineStage,
  definePlugin,
  defineSource,
  frameFromSource,
  optionError,
  IsacflowError,
  /** typed ports: declare your own (`port<T>(key)`, `recordKey<T>(key)`) or read the built-in ones (`Echoes`, `Estimates`, `Records`, ...) */
  port,
  recordKey,
  ...ports,
};

export type PluginApi = typeof pluginApi;

// ---- typed ports and the stage context (issue 17). Named exports for the public entry point:
// src/index.ts re-exports this block (`export * from './plugin-api.js'` or the same list).
export {
  port,
  recordKey,
  keyOf,
  typeOf,
  type Port,
  type RecordKey,
  type PortRef,
  type RecordRef,
  type PortValue,
} from './core/port.js';
export * from './core/ports.js';
export { createStageContext, missingInputError } from './core/stage-context.js';
export { recordEntries } from './core/record-entries.js';
export { recordsDoc } from './core/records-doc.js';
export {
  defineStage,
  definePlugin,
  type Stage,
  type StageManifest,
  type PluginManifest,
  type PluginLookup,
  type AnyManifest,
} from './core/plugin.js';
export type { Frame, FrameRecord, StageContext } from './core/frame.js';
export { defineSolver, type Solver, type SolveRequest, type SolveResult } from './solvers/solver.js';
export { Rng } from './math/rng.js';
export { optionError, IsacflowError } from './core/errors.js';
export { TOKENS } from './core/tokens.js';
export type { Tracker, TrackerStep } from './isac/tracking/types.js';
export { z } from 'zod';
export { inject, injectable } from 'inversify';
