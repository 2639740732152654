import type { AnyManifest } from '../../src/core/plugin.js';

/** Built-in solvers plugins (registered by src/builtins.ts). */
export const solversPlugins: AnyManifest[] = [];
