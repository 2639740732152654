import type { AnyManifest } from '../../src/plugin.js';
import { jointMlFusion } from './joint-ml.js';
import { lattice } from './lattice.js';
import { mle } from './mle.js';
import { sfo } from './sfo.js';

/** Built-in fusion plugins (registered by src/builtins.ts). */
export const fusionPlugins: AnyManifest[] = [sfo, lattice, mle, jointMlFusion];
