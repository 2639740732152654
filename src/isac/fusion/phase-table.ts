import { reusedBuffer } from '../../math/scratch.js';
import { fft } from '../../math/fft.js';
import { phaseRamp } from '../../math/complex.js';
import type { ToneTerm } from '../../math/exact-tone.js';
import type { GridAxis } from './grid.js';
import { MAX_GRID_POINTS } from './grid.js';

/** Table size of {@link PhaseTable} (power of two): 32x oversampling for 128-term factors. */
export const PHASE_TABLE_SIZE = 4096;

/**
 * The default table size for an n-term factor: PHASE_TABLE_SIZE, or 32x oversampling when n > 128. The
 * interpolation error relative to the peak n|x| grows as (n/K)² (bound of PhaseTable), so K ∝ n keeps it
 * at the 128-term level: with 4096 entries for M = 256, the (P4) surrogate of abc-bfgs missed peaks.
 */
export function phaseTableSize(n: number): number {
  let k = PHASE_TABLE_SIZE;
  while (k < 32 * n) k <<= 1;
  return k;
}

/** FFT input and output buffers per table size, shared by every table built (no allocation per table). */
const fftScratch = new Map<number, { inp: Float64Array; out: Float64Array }>();

function scratchFor(K: number): { inp: Float64Array; out: Float64Array } {
  let s = fftScratch.get(K);
  if (!s) {
    s = { inp: new Float64Array(2 * K), out: new Float64Array(2 * K) };
    fftScratch.set(K, s);
  }
  return s;
}

/**
 * Table storage handed back by PhaseTable.release, by length, for later tables of this thread. A
 * frame's fusion builds ~75 tables of 64 KB (per target and scheme: 8 for (P3), 4 for (P4)); they
 * live through a solve, so fresh ones would be promoted and pile up off-heap until a full collection.
 */
const spareTables = new Map<number, Float64Array[]>();
/** Spare table storage kept at most (per thread), bytes. */
const MAX_SPARE_BYTES = 16 * 1024 * 1024;
let spareBytes = 0;
/** What a released table points to: any lookup then throws (never a value of another table). */
const RELEASED = new Float64Array(0);

function tableStorage(length: number): Float64Array {
  const t = spareTables.get(length)?.pop();
  if (!t) return new Float64Array(length);
  spareBytes -= t.byteLength;
  return t;
}

/**
 * P(φ) = Σ_{k=0}^{n−1} x_{k+1} e^{jkφ} (the matched filter of horner.ts) tabulated at φ_i = 2πi/K by
 * one FFT, and |P(φ)| by linear interpolation of the complex table. The interpolation error is
 * bounded: |P(φ) − P_lin(φ)| <= √2 h²/8 max|P''| <= √2 h²/8 Σ_k k²|x_{k+1}| (h = 2π/K), hence
 * ||P(φ)| − |P_lin(φ)|| <= {@link PhaseTable.error}. This turns a grid of objective values into
 * one table lookup per AP and term instead of n complex multiply-adds ("separable" evaluation).
 */
export class PhaseTable {
  readonly size: number;
  /** bound on the error of {@link abs} */
  readonly error: number;
  /** K + 1 complex values (the first repeated at the end); RELEASED after release() */
  private t: Float64Array;
  private readonly scale: number;

  /**
   * `tone`: the n values are that exact tone (exact-tone.ts detectTone): the table is filled from its
   * closed form (no FFT); |P| is the same, its constant phase arg x_1 dropped.
   */
  constructor(x: Float64Array, off: number, n: number, size = phaseTableSize(n), tone?: ToneTerm | null) {
    const K = Math.max(size, 2);
    if ((K & (K - 1)) !== 0) throw new RangeError(`phase table size must be a power of two (got ${K})`);
    this.size = K;
    // Σ k²|x_{k+1}| (interpolation bound) and Σ |x_{k+1}| (rounding allowance)
    let curv = 0;
    let l1 = 0;
    for (let k = 0; k < n; k++) {
      const re = x[2 * (off + k)] as number;
      const im = x[2 * (off + k) + 1] as number;
      const a = Math.sqrt(re * re + im * im);
      curv += k * k * a;
      l1 += a;
    }
    this.t = tableStorage(2 * K + 2); // every element is written below
    if (tone) toneTable(tone, n, K, this.t);
    else {
      // P(e^{j2πi/K}) = conj(FFT(conj x))[i]
      const { inp, out } = scratchFor(K);
      inp.fill(0);
      for (let k = 0; k < n; k++) {
        inp[2 * (k % K)] = (inp[2 * (k % K)] as number) + (x[2 * (off + k)] as number);
        inp[2 * (k % K) + 1] = (inp[2 * (k % K) + 1] as number) - (x[2 * (off + k) + 1] as number);
      }
      fft(out, inp, K);
      for (let i = 0; i < K; i++) {
        this.t[2 * i] = out[2 * i] as number;
        this.t[2 * i + 1] = -(out[2 * i + 1] as number);
      }
    }
    this.t[2 * K] = this.t[0] as number;
    this.t[2 * K + 1] = this.t[1] as number;
    const h = (2 * Math.PI) / K;
    // interpolation bound plus a rounding allowance (FFT and interpolation, relative to Σ|x|)
    this.error = (Math.SQRT2 * h * h * curv) / 8 + 1e-12 * l1;
    this.scale = K / (2 * Math.PI);
  }

  /** |P(φ)| by linear interpolation (any real φ). */
  abs(phi: number): number {
    const K = this.size;
    const t = this.t;
    if (t === RELEASED) throw new Error('PhaseTable: used after release()');
    let u = phi * this.scale;
    u -= Math.floor(u / K) * K;
    let i = Math.floor(u);
    if (i >= K) i = K - 1;
    const f = u - i;
    const re = (t[2 * i] as number) + f * ((t[2 * i + 2] as number) - (t[2 * i] as number));
    const im = (t[2 * i + 1] as number) + f * ((t[2 * i + 3] as number) - (t[2 * i + 1] as number));
    return Math.sqrt(re * re + im * im);
  }

  /**
   * Hands the table's storage to later tables of this thread (kept up to 16 MB); the table is unusable
   * after (abs throws). Optional: an unreleased table is collected as any array.
   */
  release(): void {
    const t = this.t;
    if (t === RELEASED) return;
    this.t = RELEASED;
    if (spareBytes + t.byteLength > MAX_SPARE_BYTES) return;
    const list = spareTables.get(t.length);
    if (list) list.push(t);
    else spareTables.set(t.length, [t]);
    spareBytes += t.byteLength;
  }
}

/**
 * t[i] = A Σ_{k<n} w_i^k = A (1 − w_i^n)/(1 − w_i), w_i = e^{j(ω + 2πi/K)}, i = 0..K−1, for the tone
 * A e^{jkω} (A = tone.amp): both powers by phase ramps (recurrence), the sum directly where |1 − w_i|
 * < 1e-3 (there the quotient would lose digits).
 */
function toneTable(tone: ToneTerm, n: number, K: number, t: Float64Array): void {
  const { amp, omega } = tone;
  const step = (2 * Math.PI) / K;
  const wn = reusedBuffer('fusion/tone-table', 2 * K);
  phaseRamp(t, K, omega, step);
  phaseRamp(wn, K, n * omega, n * step);
  for (let i = 0; i < K; i++) {
    const dr = 1 - (t[2 * i] as number);
    const di = -(t[2 * i + 1] as number);
    const d2 = dr * dr + di * di;
    let pr: number;
    let pi: number;
    if (d2 >= 1e-6) {
      const nr = 1 - (wn[2 * i] as number);
      const ni = -(wn[2 * i + 1] as number);
      pr = (nr * dr + ni * di) / d2;
      pi = (ni * dr - nr * di) / d2;
    } else {
      const phi = omega + i * step;
      const cr = Math.cos(phi);
      const ci = Math.sin(phi);
      pr = 0;
      pi = 0;
      let zr = 1;
      let zi = 0;
      for (let k = 0; k < n; k++) {
        pr += zr;
        pi += zi;
        const u = zr * cr - zi * ci;
        zi = zr * ci + zi * cr;
        zr = u;
      }
    }
    t[2 * i] = amp * pr;
    t[2 * i + 1] = amp * pi;
  }
}

/** An approximation of a fusion trace with a uniform error bound: |approx(a, b) − trace(a, b)| <= error. */
export interface TraceApproximation {
  approx(a: number, b: number): number;
  readonly error: number;
  /**
   * Optional: the `count` points a_i = a0 + i·da at b into out[off + i], each within `error` of the
   * trace as approx is (an objective hoists what depends on b alone out of the row; a table term gives
   * approx's value, an exact-tone term may give its closed form instead).
   */
  row?(a0: number, da: number, count: number, b: number, out: Float64Array, off: number): void;
  /** Optional: hands its tables' storage on (PhaseTable.release); unusable after. */
  release?(): void;
}

/**
 * Approximate trace values over a grid, rows over b: out[j·ax.count + i] at (a_i, b_j). Into `out`
 * when given (at least ax.count·ay.count long; the built-in searches pass a reused buffer, scratch.ts),
 * else into a new array.
 */
export function approxGrid(
  t: TraceApproximation,
  ax: GridAxis,
  ay: GridAxis,
  out?: Float64Array,
): Float64Array {
  const total = ax.count * ay.count;
  if (total > MAX_GRID_POINTS)
    throw new RangeError(
      `grid of ${ax.count} x ${ay.count} = ${total} points exceeds ${MAX_GRID_POINTS}; use a coarser step`,
    );
  if (!out) out = new Float64Array(total);
  else if (out.length < total) throw new RangeError(`approxGrid: out holds ${out.length} < ${total} values`);
  for (let j = 0; j < ay.count; j++) {
    const y = ay.start + j * ay.step;
    if (t.row) t.row(ax.start, ax.step, ax.count, y, out, j * ax.count);
    else for (let i = 0; i < ax.count; i++) out[j * ax.count + i] = t.approx(ax.start + i * ax.step, y);
  }
  return out;
}

/**
 * The grid point where `exact(a, b)` is largest (first in row order on ties), exactly as a point-by-point
 * scan would find it, from the approximation: every point within 2·error of the largest approximate
 * value is re-evaluated exactly (the true maximiser is always among them). `evaluations` counts the
 * grid points (as the scan); `exactEvaluations` the re-evaluated ones.
 */
export function gridArgmaxSeparable(
  exact: (a: number, b: number) => number,
  t: TraceApproximation,
  ax: GridAxis,
  ay: GridAxis,
): { x: number; y: number; value: number; evaluations: number; exactEvaluations: number } {
  const vals = approxGrid(t, ax, ay, reusedBuffer('fusion/grid-values', ax.count * ay.count));
  let top = -Infinity;
  for (let k = 0; k < vals.length; k++) if ((vals[k] as number) > top) top = vals[k] as number;
  const cut = top - 2 * t.error;
  let best = -Infinity;
  let bx = ax.start;
  let by = ay.start;
  let exactEvaluations = 0;
  for (let j = 0; j < ay.count; j++) {
    for (let i = 0; i < ax.count; i++) {
      if (!((vals[j * ax.count + i] as number) >= cut)) continue;
      const x = ax.start + i * ax.step;
      const y = ay.start + j * ay.step;
      const v = exact(x, y);
      exactEvaluations++;
      if (v > best) {
        best = v;
        bx = x;
        by = y;
      }
    }
  }
  return { x: bx, y: by, value: best, evaluations: vals.length, exactEvaluations };
}

/**
 * The `count` largest local maxima of a grid of values (rows over b; a point is a local maximum when
 * no 8-neighbour is larger; `periodicB` wraps the b axis), best first, as grid indices [i, j].
 */
export function topLocalMaxima(
  vals: Float64Array,
  nx: number,
  ny: number,
  count: number,
  periodicB: boolean,
): Array<[number, number]> {
  const found: Array<{ i: number; j: number; v: number }> = [];
  // the count-th largest maximum so far: a point not above it cannot enter the result (ties go to the
  // earlier point), so its neighbours are not examined
  let floor = -Infinity;
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const v = vals[j * nx + i] as number;
      if (found.length >= count && !(v > floor)) continue;
      let isMax = true;
      for (let dj = -1; dj <= 1 && isMax; dj++) {
        let jj = j + dj;
        if (jj < 0 || jj >= ny) {
          if (!periodicB) continue;
          jj = (jj + ny) % ny;
        }
        for (let di = -1; di <= 1; di++) {
          const ii = i + di;
          if ((di === 0 && dj === 0) || ii < 0 || ii >= nx) continue;
          if ((vals[jj * nx + ii] as number) > v) {
            isMax = false;
            break;
          }
        }
      }
      if (isMax) {
        found.push({ i, j, v });
        if (count > 0 && found.length >= count) {
          found.sort((p, q) => q.v - p.v);
          found.length = count;
          floor = found[count - 1]!.v;
        }
      }
    }
  }
  found.sort((p, q) => q.v - p.v);
  return found.slice(0, count).map((p) => [p.i, p.j]);
}
