import type { PluginLookup, StageManifest } from './plugin.js';
import { keyOf } from './port.js';

/** Names of the registered stages whose manifest adds `key` (for "put a … stage before it"). */
export function stagesAdding(registry: PluginLookup, key: string): string[] {
  return registry.names('stage').filter((n) => {
    try {
      return (registry.manifest('stage', n) as unknown as StageManifest).adds.some((a) => keyOf(a) === key);
    } catch {
      return false;
    }
  });
}
