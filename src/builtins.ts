import { PluginRegistry } from './core/plugin-registry.js';
import { builtinStages } from '../stages/index.js';
import { solversPlugins } from '../plugins/solvers/index.js';
import { fusionPlugins } from '../plugins/fusion/index.js';
import { placementPlugins } from '../plugins/placement/index.js';

/** Composition root: a registry holding every built-in stage and plugin. */
export function builtinRegistry(): PluginRegistry {
  const r = new PluginRegistry();
  r.registerAll(builtinStages);
  r.registerAll(solversPlugins);
  r.registerAll(fusionPlugins);
  r.registerAll(placementPlugins);
  return r;
}
