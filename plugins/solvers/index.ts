import type { AnyManifest } from '../../src/plugin.js';
import { abc } from './abc.js';
import { abcBfgs } from './abc-bfgs.js';
import { bfgs } from './bfgs.js';
import { de } from './de.js';
import { ga } from './ga.js';
import { hybrid } from './hybrid.js';
import { pso } from './pso.js';
import { sa } from './sa.js';
import { tn } from './tn.js';

/** Built-in solvers plugins (registered by src/builtins.ts). */
export const solversPlugins: AnyManifest[] = [abc, pso, ga, de, sa, bfgs, tn, hybrid, abcBfgs];
