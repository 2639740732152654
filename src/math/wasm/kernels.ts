import { KERNELS_WASM_BASE64 } from './kernels-binary.js';
import type { ZigguratRegions } from '../ziggurat.js';

/** The kernels kernels.wat exports. */
const KERNEL_NAMES = [
  'fftSeqs',
  'rowStages',
  'toneRows3',
  'copyRows',
  'sqrtInto',
  'cleanBounds',
  'cleanCandidates',
  'residualRows3',
  'contractRows3',
  'accumulateRows3',
  'sumRows',
  'addNormals',
  'echoRows3',
  'belowExp',
  'wedgeBelow',
] as const;
type KernelName = (typeof KERNEL_NAMES)[number];

/** The part of the WebAssembly API used here (this project's type libraries do not declare it). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmInstance {
  readonly exports: Record<string, unknown>;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => WasmInstance;
}

/**
 * The WebAssembly SIMD kernels of kernels.wat behind a small arena: named regions of one linear memory,
 * each placed once and kept (a region asked for with more bytes than before moves to the end). The
 * kernels work on one complex value (two doubles) per instruction and give the numbers of their
 * JavaScript twins bit for bit (fft-radix2.ts, fft-init.ts, tone-refine.ts, residual.ts, mttkrp.ts,
 * echo-model.ts, ziggurat.ts); without WebAssembly SIMD (or with ISACFLOW_WASM=0) `wasmKernels()` is
 * null and callers run the JavaScript twins.
 *
 * Views: growing the memory detaches every Float64Array view on it, so a caller that keeps views over
 * several kernel calls reserves all its regions first (`reserve`), then takes its views: asking for
 * regions no larger than reserved never grows the memory.
 */
export class WasmKernels {
  private readonly memory: WasmMemory;
  /** the module's exported functions, by name (their signatures: the wrappers below) */
  private readonly fn: Record<KernelName, (...args: number[]) => number>;
  private readonly regions = new Map<string, { offset: number; bytes: number }>();
  private top = 0;
  /** the FFT sizes whose twiddles and bit-reversal pairs are in memory: n -> number of pairs */
  private readonly plans = new Map<number, number>();

  constructor(instance: WasmInstance) {
    const ex = instance.exports as Record<string, unknown>;
    this.memory = ex['memory'] as WasmMemory;
    const fn = {} as Record<KernelName, (...args: number[]) => number>;
    for (const name of KERNEL_NAMES) {
      const f = ex[name];
      if (typeof f !== 'function') throw new Error(`kernels.wasm lacks the export '${name}'`);
      fn[name] = f as (...args: number[]) => number;
    }
    this.fn = fn;
  }

  /** Byte offset of region `name` with at least `bytes` bytes (16-byte aligned). */
  region(name: string, bytes: number): number {
    const r = this.regions.get(name);
    if (r && r.bytes >= bytes) return r.offset;
    const offset = this.top;
    const size = Math.max(16, Math.ceil(bytes / 16) * 16);
    this.top = offset + size;
    const have = this.memory.buffer.byteLength;
    if (this.top > have) this.memory.grow(Math.ceil((this.top - have) / 65536));
    this.regions.set(name, { offset, bytes: size });
    return offset;
  }

  /** Reserve the regions of one call sequence (name -> bytes) before any view is taken. */
  reserve(sizes: Record<string, number>): void {
    for (const [name, bytes] of Object.entries(sizes)) this.region(name, bytes);
  }

  /** A Float64Array view of `length` numbers on region `name` (reserved to at least that size). */
  view(name: string, length: number): Float64Array {
    const offset = this.region(name, 8 * length); // first: it may grow the memory (a new buffer)
    return new Float64Array(this.memory.buffer, offset, length);
  }

  /**
   * In-place forward DFTs (Radix2Fft.transform) of `count` contiguous sequences of n complex values
   * starting at complex index `start` of region `name`.
   */
  fftSequences(name: string, start: number, count: number, n: number): void {
    const nsw = this.plan(n);
    this.fn.fftSeqs(
      this.at(name) + 16 * start,
      count,
      n,
      this.at(`twiddles/${n}`),
      this.at(`swaps/${n}`),
      nsw,
    );
  }

  /**
   * Radix2Fft.transformRowsReversed: the DFT over the row index of the n x w block at complex index
   * `start` of region `name`, its rows in bit-reversed order; with `power` (a region of n·w numbers),
   * |result|² is added to it.
   */
  transformRowsReversed(name: string, start: number, n: number, w: number, power?: string): void {
    this.plan(n);
    this.fn.rowStages(this.at(name) + 16 * start, n, w, this.at(`twiddles/${n}`), power ? this.at(power) : 0);
  }

  /**
   * For each of `rows` rows of m complex values of region `y` and the three tones of region `tones`
   * (split form, see splitTones), region `out` gets per row 12 numbers: Σ_k y z_c, Σ_k k y z_c for
   * c = 0, 1, 2 (re, im each).
   */
  toneRows3(y: string, rows: number, m: number, tones: string, out: string): void {
    this.fn.toneRows3(this.at(y), rows, m, this.at(tones), this.at(out));
  }

  /** An Int32Array view of `length` numbers on region `name` (reserved to at least that size). */
  int32View(name: string, length: number): Int32Array {
    const offset = this.region(name, 4 * length); // first: it may grow the memory (a new buffer)
    return new Int32Array(this.memory.buffer, offset, length);
  }

  /**
   * Complex rows: row q (m values) of region `src` goes to row map[q] (region `map`, Int32, `rows`
   * entries) of region `dst`, whose rows hold w values.
   */
  copyRows(src: string, m: number, dst: string, w: number, rows: number, map: string): void {
    this.fn.copyRows(this.at(src), 16 * m, this.at(dst), 16 * w, rows, this.at(map));
  }

  /** dst[i] = √src[i] (Math.sqrt's values: IEEE square root) for the first n numbers of the regions. */
  sqrtInto(src: string, dst: string, n: number): void {
    this.fn.sqrtInto(this.at(src), this.at(dst), n);
  }

  /**
   * The bounds of the bounded CLEAN over nr x nd cells (fft-init.ts largestCell): region `ub` gets
   * (√P0 + s)², s = Σ_{j<J} absB[j·nr + kr] absC[j·nd + kd]; returns max (√P0 − s)² over cells with
   * √P0 − s > 0 (0 if none).
   */
  cleanBounds(
    rootP: string,
    absB: string,
    absC: string,
    J: number,
    nr: number,
    nd: number,
    ub: string,
  ): number {
    return this.fn.cleanBounds(this.at(rootP), this.at(absB), this.at(absC), J, nr, nd, this.at(ub));
  }

  /** Cells (ascending) with ub[cell]·slack >= reach, into the Int32 region `out`; returns their count. */
  cleanCandidates(ub: string, cells: number, slack: number, reach: number, out: string): number {
    return this.fn.cleanCandidates(this.at(ub), cells, slack, reach, this.at(out));
  }

  /**
   * Rows of outer products: row q of region `out` (m complex values) gets Σ_u e[q, u] f[k, u] at k,
   * summed from +0 in the order u = 0, 1, ... (echo-model.ts addRow on a zero row). Region `f`: m x U
   * complex (interleaved, k-major); region `e`: rows x U in split form (see splitTones).
   */
  sumRows(out: string, rows: number, m: number, U: number, e: string, f: string): void {
    this.fn.sumRows(this.at(out), rows, m, U, this.at(e), this.at(f));
  }

  /**
   * ziggurat.ts addComplexNormalZiggurat on region `out`: its first `total` numbers get z.sd·x added, x
   * the ziggurat's normals from the xoroshiro128+ state and tables of `z` (ziggurat.ts zigguratInKernels;
   * the state is advanced in place).
   */
  addNormals(out: string, total: number, z: ZigguratRegions): void {
    this.fn.addNormals(
      this.at(out),
      total,
      z.sd,
      this.at(z.state),
      this.at(z.table),
      this.at(z.kn),
      this.at(z.wn),
      this.at(z.fn),
    );
  }

  /**
   * sumRows for U = 3 and addNormals on its result in one pass, the same numbers as the two in turn:
   * row q of region `out` (m complex values, m even) gets Σ_u e[q, u] f[k, u] + z.sd·(x, x') at k.
   */
  echoRows3(out: string, rows: number, m: number, e: string, f: string, z: ZigguratRegions): void {
    if (m % 2 !== 0) throw new Error(`echoRows3: m = ${m} must be even`);
    this.fn.echoRows3(
      this.at(out),
      rows,
      m,
      this.at(e),
      this.at(f),
      z.sd,
      this.at(z.state),
      this.at(z.table),
      this.at(z.kn),
      this.at(z.wn),
      this.at(z.fn),
    );
  }

  /**
   * The ziggurat's wedge test lhs < Math.exp(y) as the kernels decide it (a polynomial squeeze, Math.exp
   * only near the boundary); exported for its test, which holds it to Math.exp's decision.
   */
  belowExp(lhs: number, y: number): boolean {
    return this.fn.belowExp(lhs, y) === 1;
  }

  /**
   * The slow path's whole wedge test of layer iz (lines, then belowExp), with the tables of region `fn`
   * (ZigguratRegions.fn, as zigguratInKernels fills it): for its test, which holds it to
   * lhs < Math.exp(−0.5·x·x).
   */
  wedgeBelow(lhs: number, x: number, iz: number, fn: string): boolean {
    return this.fn.wedgeBelow(lhs, x, iz, this.at(fn)) === 1;
  }

  /**
   * The residual pass of the three-component LM (residual.ts residualGradient3) over `rows` rows of m
   * values of region `y`: per row the products e_r (region `e`, split form, 3 per row) and the factor C
   * (region `c`, m x 3 complex); region `t` gets per row Σ_k conj(c_r) E_k (3 complex), region `gc` is
   * added conj(e_r) E_k (m x 3 complex); returns ||E||².
   */
  residualRows3(y: string, rows: number, m: number, e: string, c: string, t: string, gc: string): number {
    return this.fn.residualRows3(this.at(y), rows, m, this.at(e), this.at(c), this.at(t), this.at(gc));
  }

  /**
   * Pass 1 of a three-component ALS sweep (mttkrp.ts contract3): region `t` gets per row of region `y`
   * (rows x m complex) Σ_k conj(c_r[k]) y_k, r = 0..2; region `cs`: C in conjugate split form,
   * (cr, cr, ci, −ci) per k and r.
   */
  contractRows3(y: string, rows: number, m: number, cs: string, t: string): void {
    this.fn.contractRows3(this.at(y), rows, m, this.at(cs), this.at(t));
  }

  /**
   * Pass 2 of a three-component ALS sweep (mttkrp.ts accumulate3): region `xc` (m x 3 complex) is added
   * e_r y_k for every row of region `y`; region `e`: per row the three e_r in split form.
   */
  accumulateRows3(y: string, rows: number, m: number, e: string, xc: string): void {
    this.fn.accumulateRows3(this.at(y), rows, m, this.at(e), this.at(xc));
  }

  /** Byte offset of a region that exists. */
  private at(name: string): number {
    const r = this.regions.get(name);
    if (!r) throw new Error(`WasmKernels: region '${name}' was never reserved`);
    return r.offset;
  }

  /** Put the tables of FFT size n in memory now (before views are taken: it may grow the memory). */
  prepareFft(n: number): void {
    this.plan(n);
  }

  /** Twiddles (split form) and bit-reversal pairs of size n in memory; returns the number of pairs. */
  private plan(n: number): number {
    const have = this.plans.get(n);
    if (have !== undefined) return have;
    const half = Math.max(1, n >> 1);
    const pairs: number[] = [];
    const bits = Math.log2(n) | 0;
    for (let i = 0; i < n; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) if (i & (1 << b)) r |= 1 << (bits - 1 - b);
      if (i < r) pairs.push(i, r);
    }
    this.region(`twiddles/${n}`, 32 * half);
    this.region(`swaps/${n}`, 4 * Math.max(2, pairs.length));
    const tw = this.view(`twiddles/${n}`, 4 * half);
    for (let k = 0; k < n >> 1; k++) {
      // Radix2Fft's tables: cos(2πk/n), −sin(2πk/n)
      const wr = Math.cos((2 * Math.PI * k) / n);
      const wi = -Math.sin((2 * Math.PI * k) / n);
      tw[4 * k] = wr;
      tw[4 * k + 1] = wr;
      tw[4 * k + 2] = -wi;
      tw[4 * k + 3] = wi;
    }
    new Int32Array(this.memory.buffer, this.at(`swaps/${n}`), pairs.length).set(pairs);
    this.plans.set(n, pairs.length >> 1);
    return pairs.length >> 1;
  }
}

/**
 * out[o + 4j ..] = (re, re, −im, im) of the `count` complex values of src from complex index `from`:
 * the split form the kernels multiply by (x·(re, re) + swap(x)·(−im, im) = x·(re + j im)).
 */
export function splitComplex(
  src: Float64Array,
  from: number,
  count: number,
  out: Float64Array,
  o: number,
): void {
  for (let j = 0; j < count; j++) {
    const re = src[2 * (from + j)] as number;
    const im = src[2 * (from + j) + 1] as number;
    out[o + 4 * j] = re;
    out[o + 4 * j + 1] = re;
    out[o + 4 * j + 2] = -im;
    out[o + 4 * j + 3] = im;
  }
}

/**
 * Write tones z_c (interleaved complex, m values each, c-major from z at complex offset c·m) in the split
 * form of toneRows3: entry (c, k) = (zr, zr, −zi, zi). Absent tones (c >= count) are zero.
 */
export function splitTones(
  z: Float64Array,
  first: number,
  count: number,
  m: number,
  out: Float64Array,
): void {
  for (let c = 0; c < 3; c++) {
    if (c >= count) out.fill(0, 4 * c * m, 4 * (c + 1) * m);
    else splitComplex(z, (first + c) * m, m, out, 4 * c * m);
  }
}

let enabled = process.env['ISACFLOW_WASM'] !== '0';
let kernels: WasmKernels | null | undefined;

/**
 * This thread's kernels, or null when WebAssembly SIMD is not available or ISACFLOW_WASM=0 (the
 * JavaScript twins then run; the numbers are the same).
 */
export function wasmKernels(): WasmKernels | null {
  if (!enabled) return null;
  if (kernels === undefined) {
    try {
      const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
      const bytes = Buffer.from(KERNELS_WASM_BASE64, 'base64');
      // Math.log and Math.exp themselves: where the ziggurat's slow path needs them it gets their values
      const imports = { math: { log: Math.log, exp: Math.exp } };
      kernels = new WasmKernels(new wasm.Instance(new wasm.Module(bytes), imports));
    } catch {
      kernels = null;
    }
  }
  return kernels;
}

/** Switch the kernels off (true: JavaScript twins) or back on: for tests that compare the two. */
export function useWasmKernels(on: boolean): void {
  enabled = on;
}
