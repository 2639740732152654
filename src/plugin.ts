/**
 * The plugin API of isacflow (`import … from 'isacflow/plugin'`): one `define*` helper per plugin
 * kind and the contract each kind implements, with their TypeScript types.
 *
 * A plugin is a module anywhere on disk, named in a pipeline's `plugins:` list. Two styles:
 * - a default-export factory `(api: PluginApi) => manifest | manifest[]`: isacflow calls it with
 *   the values below, so the plugin needs nothing installed (use `import type` for the types);
 * - or exported manifests, built with the helpers imported from 'isacflow/plugin'.
 *
 * Kinds: `solver` (minimise a box-bounded objective), `fusion` (one associated target -> location
 * and velocity), `placement` (AP positions and antennas), `tracker` (estimates frame by frame ->
 * tracks), and `stage` (a step of the pipeline itself).
 */
export { z } from 'zod';
export { inject, injectable } from 'inversify';
export { TOKENS } from './core/tokens.js';
export { Rng, type SeedPart } from './math/rng.js';
export { IsacflowError, optionError, type ErrorKind, type Problem } from './core/errors.js';
export { zodProblems } from './core/zod-problems.js';
export { PluginRegistry } from './core/plugin-registry.js';
export { defineStage, definePlugin } from './core/plugin.js';
export { defineSolver } from './solvers/solver.js';

// Every kind
export type {
  AnyManifest,
  PluginDeps,
  PluginKind,
  PluginLookup,
  PluginManifest,
  Stage,
  StageClass,
  StageManifest,
} from './core/plugin.js';
export type { Frame, FrameRecord, StageContext } from './core/frame.js';
export type {
  Ap,
  RandomTargets,
  Scenario,
  SnrSpec,
  SystemParams,
  Target,
  Vec2,
  Velocity,
} from './isac/scenario-types.js';
// solver
export type {
  Box,
  Objective,
  SolveRequest,
  SolveResult,
  Solver,
  StopReason,
  TraceEntry,
} from './solvers/solver.js';
// fusion
export type {
  FusionDiagnostics,
  FusionEstimate,
  FusionProblem,
  FusionScheme,
  FusionStepDiagnostics,
} from './isac/fusion/types.js';
export type { ApObservation, TargetObservation } from './isac/association/types.js';
// placement
export type {
  DesignTarget,
  PlacementOutcome,
  PlacementProblem,
  PlacementStrategy,
  PlacementTraceEntry,
} from './isac/placement/types.js';
export type { PlacementObjective } from './isac/placement/placement-objective.js';
// tracker
export type { StateEstimate, TrackReport, Tracker, TrackerStep } from './isac/tracking/types.js';

export { defineFusion, definePlacement, defineTracker, type PluginDefinition } from './plugin-kinds.js';

export { pluginApi, type PluginApi } from './plugin-api.js';

// typed dataflow: ports (frame.data), record keys, the stage context and the record layout
export {
  port,
  recordKey,
  keyOf,
  typeOf,
  UNTYPED,
  type Port,
  type PortRef,
  type PortValue,
  type RecordKey,
  type RecordRef,
} from './core/port.js';
export * from './core/ports.js';
export { createStageContext, missingInputError } from './core/stage-context.js';
export { recordEntries } from './core/record-entries.js';
export { recordsDoc } from './core/records-doc.js';
// frame sources (kind `source`)
export { defineSource } from './sources/source-types.js';
export { frameFromSource } from './sources/source-frame.js';
export type { FrameSource, SourceInfo } from './sources/source-types.js';
