import { PluginRegistry } from './core/plugin-registry.js';
import { loadPipeline, type ResolvedPipeline } from './core/pipeline-loader.js';
import { builtinStages } from '../stages/index.js';
import { solversPlugins } from '../plugins/solvers/index.js';
import { fusionPlugins } from '../plugins/fusion/index.js';
import { placementPlugins } from '../plugins/placement/index.js';
import { trackerPlugins } from '../plugins/trackers/index.js';
import { sourcePlugins } from './sources/index.js';

/**
 * Composition root: a registry holding every built-in stage and plugin.
 *
 * @example
 * ```ts
 * import { builtinRegistry, type Solver } from 'isacflow';
 *
 * const registry = builtinRegistry();
 * registry.names('fusion'); // ['sfo', 'lattice', 'mle']
 * const abc = registry.create<Solver>('solver', 'abc', { popSize: 20 }); // params validated, defaults filled
 * abc.name; // 'abc'
 * ```
 */
export function builtinRegistry(): PluginRegistry {
  const r = new PluginRegistry();
  r.registerAll(builtinStages);
  r.registerAll(solversPlugins);
  r.registerAll(fusionPlugins);
  r.registerAll(placementPlugins);
  r.registerAll(trackerPlugins);
  r.registerAll(sourcePlugins);
  return r;
}

/**
 * Loads a pipeline with the built-in stages and plugins plus the ones it names, validating
 * everything (including constructing every stage once per sweep point) before anything runs.
 *
 * @example
 * ```ts
 * import { loadWithBuiltins } from 'isacflow';
 *
 * async function sweepSize(): Promise<number> {
 *   const resolved = await loadWithBuiltins('pipelines/fig9-armse.yaml', ['run.trials=10']);
 *   return resolved.points.length; // one per SNR of the sweep
 * }
 * ```
 */
export async function loadWithBuiltins(
  file: string,
  sets: string[] = [],
  sweeps: string[] = [],
): Promise<ResolvedPipeline> {
  return loadPipeline(file, { sets, sweeps, registry: builtinRegistry() });
}
