import { createHash } from 'node:crypto';
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import {
  addComplexNormalZiggurat,
  addComplexNormalZigguratKernel,
  zigguratInKernels,
  type XoroshiroState,
  type ZigguratRegions,
} from './ziggurat.js';
import type { WasmKernels } from './wasm/kernels.js';

/** A key part: the root seed, a sweep-point key, a trial index, a stream label, ... */
export type SeedPart = string | number;

/**
 * The documented seed hash: the 128-bit state of a stream is the first 16 bytes of
 * SHA-256( JSON.stringify(["isacflow/rng/v1", ...parts]) ), read as four little-endian int32.
 * Streams are named by their full key path, never by draw order, so a trial's numbers do not
 * depend on how many workers ran or in which order trials finished.
 */
export function seedState(parts: readonly SeedPart[]): [number, number, number, number] {
  const digest = createHash('sha256')
    .update(JSON.stringify(['isacflow/rng/v1', ...parts]))
    .digest();
  const s: [number, number, number, number] = [
    digest.readInt32LE(0),
    digest.readInt32LE(4),
    digest.readInt32LE(8),
    digest.readInt32LE(12),
  ];
  if ((s[0] | s[1] | s[2] | s[3]) === 0) s[3] = 1; // xoroshiro must not start from the zero state
  return s;
}

/** A 53-bit integer summary of a key path, for the `seed` field of frame records. */
export function seedNumber(parts: readonly SeedPart[]): number {
  const digest = createHash('sha256')
    .update(JSON.stringify(['isacflow/rng/v1', ...parts]))
    .digest();
  return digest.readUInt32LE(0) * 2097152 + (digest.readUInt32LE(4) >>> 11);
}

interface Generator32 {
  next(): number;
}

/**
 * Seeded generator (pure-rand xoroshiro128+) with uniform, Gaussian and complex Gaussian draws.
 * `fork(label)` derives an independent child stream from this stream's key, not from its state.
 *
 * @example
 * ```ts
 * import { Rng } from 'isacflow';
 *
 * const rng = new Rng([2024, 'my-study', 0]); // the stream is named by its whole key
 * const x = rng.uniformIn(125, 225);
 * const perAp = [0, 1, 2, 3].map((l) => rng.fork('ap', l).uniform()); // independent, order-free
 * ```
 */
export class Rng {
  readonly key: readonly SeedPart[];
  private readonly g: Generator32;
  private spare = 0;
  private hasSpare = false;

  constructor(key: readonly SeedPart[]) {
    this.key = key;
    this.g = xoroshiro128plusFromState(seedState(key)) as unknown as Generator32;
  }

  /** Child stream named `label` (independent of how many numbers this stream has drawn). */
  fork(...label: SeedPart[]): Rng {
    return new Rng([...this.key, ...label]);
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const a = this.g.next() >>> 5;
    const b = this.g.next() >>> 6;
    return (a * 67108864 + b) * 1.1102230246251565e-16; // 2^-53
  }

  /** Uniform in [lo, hi). */
  uniformIn(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Standard normal N(0, 1) (Marsaglia polar method). */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const k = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * k;
    this.hasSpare = true;
    return u * k;
  }

  /**
   * Adds CN(0, variance) noise to `n` interleaved complex values of `out` (E|z|^2 = variance,
   * variance/2 per real dimension): ziggurat draws (ziggurat.ts) continuing this stream.
   */
  addComplexNormal(out: Float64Array, n: number, variance: number): void {
    addComplexNormalZiggurat(this.g as unknown as XoroshiroState, out, n, variance);
  }

  /** addComplexNormal on the first 2n numbers of a WebAssembly kernels' region: the same draws. */
  addComplexNormalIn(kernels: WasmKernels, region: string, n: number, variance: number): void {
    addComplexNormalZigguratKernel(this.g as unknown as XoroshiroState, kernels, region, n, variance);
  }

  /**
   * Runs `draw`, a WebAssembly kernel call that draws CN(0, variance) ziggurat noise (e.g. echoRows3), on
   * this stream: it continues the stream as addComplexNormal would.
   */
  complexNormalInKernels(kernels: WasmKernels, variance: number, draw: (z: ZigguratRegions) => void): void {
    zigguratInKernels(this.g as unknown as XoroshiroState, kernels, variance, draw);
  }

  /** Fisher-Yates shuffle of indices 0..n-1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = p[i] as number;
      p[i] = p[j] as number;
      p[j] = t;
    }
    return p;
  }
}

/** The generator of one trial: key (root seed, sweep-point key, trial). */
export function trialRng(rootSeed: number, pointKey: string, trial: number): Rng {
  return new Rng([rootSeed, pointKey, trial]);
}
