import type { AnyManifest } from '../../src/plugin.js';
import { alphaBeta } from './alpha-beta.js';
import { kalmanCv } from './kalman-cv.js';

/** Built-in tracker plugins (registered by src/builtins.ts). */
export const trackerPlugins: AnyManifest[] = [kalmanCv, alphaBeta];
