import { PluginRegistry } from './core/plugin-registry.js';
import { loadPipeline, type ResolvedPipeline } from './core/pipeline-loader.js';
import { constructionProblems } from './core/stage-factory.js';
import { builtinStages } from '../stages/index.js';
import { solversPlugins } from '../plugins/solvers/index.js';
import { fusionPlugins } from '../plugins/fusion/index.js';
import { placementPlugins } from '../plugins/placement/index.js';
import { trackerPlugins } from '../plugins/trackers/index.js';
import { sourcePlugins } from './sources/index.js';

/** Composition root: a registry holding every built-in stage and plugin. */
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
 */
export async function loadWithBuiltins(file: string, sets: string[] = []): Promise<ResolvedPipeline> {
  const registry = builtinRegistry();
  return loadPipeline(file, { sets, registry, tryConstruct: (p) => constructionProblems(p, registry) });
}
