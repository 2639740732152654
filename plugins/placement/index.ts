import type { AnyManifest } from '../../src/core/plugin.js';

/** Built-in placement plugins (registered by src/builtins.ts). */
export const placementPlugins: AnyManifest[] = [];
