import type { AnyManifest } from '../../src/core/plugin.js';

/** Built-in fusion plugins (registered by src/builtins.ts). */
export const fusionPlugins: AnyManifest[] = [];
