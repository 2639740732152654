import type { AnyManifest } from '../../src/plugin.js';
import { admmPlacement } from './admm.js';
import { directPlacement } from './direct.js';
import { initialPlacement } from './initial.js';
import { randomPlacement } from './random.js';
import { towardTargetsPlacement } from './toward-targets.js';

/** Built-in placement plugins (registered by src/builtins.ts). */
export const placementPlugins: AnyManifest[] = [
  admmPlacement,
  directPlacement,
  initialPlacement,
  randomPlacement,
  towardTargetsPlacement,
];
