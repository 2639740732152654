import type { AnyManifest } from '../core/plugin.js';
import { npySource } from './npy-source.js';
import { simulatedSource } from './simulated-source.js';
import { stdinSource } from './stdin-source.js';
import { tcpSource } from './tcp-source.js';

/** Built-in frame sources (plugin kind `source`; registered by src/builtins.ts). */
export const sourcePlugins: AnyManifest[] = [simulatedSource, npySource, tcpSource, stdinSource];
