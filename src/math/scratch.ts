/**
 * Per-thread reusable work buffers for kernels that need multi-MB scratch on every call (the CP
 * start's spectra, ESPRIT's projected data): the next call of the same kernel gets the same buffer
 * back instead of a fresh array. On this project's machines fresh multi-MB arrays cost page faults
 * and collections well above the arithmetic on them (CP of a frame: 94 -> 66 ms once reused).
 * A buffer holds stale data from the previous call: the caller overwrites or clears it. A kernel
 * must not keep a buffer past its return, unless documented (the next call overwrites it), and must
 * not be re-entered while it uses one (the kernels here are synchronous and not recursive).
 */
const buffers = new Map<string, Float64Array>();

/**
 * A view of exactly `length` numbers on the buffer named `name` (grown when a call needs more, so
 * calls with varying sizes, e.g. search grids, share one allocation).
 */
export function reusedBuffer(name: string, length: number): Float64Array {
  let b = buffers.get(name);
  if (!b || b.length < length) {
    b = new Float64Array(length);
    buffers.set(name, b);
  }
  return b.length === length ? b : b.subarray(0, length);
}
