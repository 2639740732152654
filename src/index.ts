/**
 * isacflow's public API (`import … from 'isacflow'`): load a pipeline, run it in-process or on
 * worker threads, build its summary and report, or drive the engine frame by frame; plus the
 * whole plugin API of 'isacflow/plugin' (define* helpers and the contract of every plugin kind).
 */
import 'reflect-metadata';

export * from './plugin.js';

// loader
export { builtinRegistry, loadWithBuiltins } from './builtins.js';
export {
  loadPipeline,
  loadPluginModule,
  type LoadOptions,
  type ResolvedPipeline,
  type ResolvedStage,
  type SweepPoint,
} from './core/pipeline-loader.js';
export { PluginRegistry } from './core/plugin-registry.js';
export type { PipelineSpec } from './core/pipeline-schema.js';
export { resolveBundledPath } from './core/bundled-path.js';
// engine
export { Engine, trialFrames, trialTargets, type TrialRef } from './core/engine.js';
// runner
export { runPipeline, recordOrder, type RunOptions, type RunResult } from './runner/run.js';
export { finishRun } from './runner/finish-run.js';
export { RunFolder } from './runner/run-folder.js';
// package
export { packageRoot, packageVersion } from './package-root.js';
