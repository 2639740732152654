import type { AnyManifest } from '../src/core/plugin.js';

/** Built-in stages (registered by src/builtins.ts). */
export const builtinStages: AnyManifest[] = [];
