import type { FrameRecord } from './frame.js';
import type { PluginLookup, StageManifest } from './plugin.js';

/** Free buffers kept for later frames at most (bytes): a few frames of the paper's echoes (8 MB each). */
const MAX_FREE_BYTES = 64 * 1024 * 1024;

/**
 * Float64Arrays that live as long as one frame (ctx.buffer): the engine hands a frame's buffers
 * back once the frame's record is out (all its variant branches done), and later frames get them
 * again instead of fresh ones. A fresh multi-MB array costs page faults on first touch and the
 * collections its external memory triggers; a frame's echoes are 8 MB (4 APs x 2 MB).
 *
 * The engine recycles only in a pipeline whose every stage declares `releasesFrameData` (keeps no
 * reference to these arrays after its process() settles); elsewhere ctx.buffer gives fresh arrays.
 * Frames are keyed by their record (one object per frame, shared by its branches).
 */
export class FrameBufferPool {
  private readonly leases = new WeakMap<FrameRecord, Float64Array[]>();
  private readonly free = new Map<number, Float64Array[]>();
  private freeBytes = 0;

  /**
   * A Float64Array of `length` for the frame of `record`: a recycled one (its contents are those
   * of an earlier frame: write every element) or a fresh zero-filled one.
   */
  take(record: FrameRecord, length: number): Float64Array {
    const spare = this.free.get(length)?.pop();
    let buf: Float64Array;
    if (spare) {
      this.freeBytes -= spare.byteLength;
      buf = spare;
    } else buf = new Float64Array(length);
    const held = this.leases.get(record);
    if (held) held.push(buf);
    else this.leases.set(record, [buf]);
    return buf;
  }

  /** Hands the buffers of `record`'s frame back for later frames (kept up to 64 MB in all). */
  release(record: FrameRecord): void {
    const held = this.leases.get(record);
    if (!held) return;
    this.leases.delete(record);
    for (const buf of held) {
      if (this.freeBytes + buf.byteLength > MAX_FREE_BYTES) continue; // left to the collector
      const list = this.free.get(buf.length);
      if (list) list.push(buf);
      else this.free.set(buf.length, [buf]);
      this.freeBytes += buf.byteLength;
    }
  }

  /** Bytes held for later frames (tests, diagnostics). */
  get spareBytes(): number {
    return this.freeBytes;
  }
}

/**
 * Whether the stages of a pipeline point allow ctx.buffer's arrays to be reused across frames:
 * every stage (every variant's params) declares releasesFrameData.
 */
export function stagesReleaseFrameData(
  stages: ReadonlyArray<{ manifest: StageManifest; variants: ReadonlyArray<{ params: unknown }> }>,
  registry: PluginLookup,
): boolean {
  return stages.every((s) => {
    const r = s.manifest.releasesFrameData;
    if (typeof r !== 'function') return r === true;
    return s.variants.every((v) => {
      try {
        return r(v.params, registry) === true;
      } catch {
        return false; // undecidable: fresh arrays, the safe side
      }
    });
  });
}
