import type { AnyManifest } from '../core/plugin.js';
import { npySource } from './npy-source.js';
import { simulatedSource } from './simulated-source.js';
import { stdinSource } from './stdin-source.js';
import { tcpSource } from './tcp-source.js';

/** Built-in frame sources (plugin kind `source`; registered by src/builtins.ts). */
export const sourcePlugins: AnyManifest[] = [simulatedSource, npySource, tcpSource, stdinSource];

export {
  defineSource,
  type FrameSource,
  type FrameRequest,
  type SourceInfo,
  type SourceManifest,
  type StreamOptions,
} from './source-types.js';
export { frameFromSource, type SourcedFrame } from './source-frame.js';
export { BoundedQueue, type QueuePolicy } from './bounded-queue.js';
export { NpyFile, writeNpy } from './npy-file.js';
export { Recording } from './recording.js';
export { streamSession, type StreamResult, type StreamStats } from './stream-session.js';
