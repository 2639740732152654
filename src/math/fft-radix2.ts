/**
 * In-place radix-2 complex FFT on interleaved Float64Array data, allocation-free after the plan is
 * built: forward DFT X[k] = Σ_n x[n] e^{−j2πkn/N} (the same convention as fft.ts).
 * - {@link Radix2Fft.transform}: one contiguous sequence of N values;
 * - {@link Radix2Fft.transformRows}: the DFT over the row index of an N x W block (every column at
 *   once): each butterfly combines two whole rows with one twiddle, so the inner loop runs over
 *   contiguous memory (no gather/scatter of strided columns).
 */
export class Radix2Fft {
  readonly n: number;
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  /** pairs (i, j), i < j, of the bit-reversal permutation */
  private readonly swaps: Int32Array;
  /** rev[i]: i with its log2(n) bits reversed */
  private readonly rev: Int32Array;

  constructor(n: number) {
    if (n < 1 || (n & (n - 1)) !== 0) throw new RangeError(`FFT size must be a power of two >= 1 (got ${n})`);
    this.n = n;
    this.cos = new Float64Array(n >> 1);
    this.sin = new Float64Array(n >> 1);
    for (let k = 0; k < n >> 1; k++) {
      this.cos[k] = Math.cos((2 * Math.PI * k) / n);
      this.sin[k] = -Math.sin((2 * Math.PI * k) / n);
    }
    const sw: number[] = [];
    const bits = Math.log2(n) | 0;
    this.rev = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) if (i & (1 << b)) r |= 1 << (bits - 1 - b);
      this.rev[i] = r;
      if (i < r) sw.push(i, r);
    }
    this.swaps = Int32Array.from(sw);
  }

  /** i with its log2(n) bits reversed: where transformRowsReversed expects input row i. */
  reversed(i: number): number {
    return this.rev[i] as number;
  }

  /** In-place forward DFT of the n complex values at complex offset `off` of x. */
  transform(x: Float64Array, off: number): void {
    const n = this.n;
    if (n < 2) return;
    const sw = this.swaps;
    const b = 2 * off;
    for (let s = 0; s < sw.length; s += 2) {
      const i = b + 2 * (sw[s] as number);
      const j = b + 2 * (sw[s + 1] as number);
      const tr = x[i] as number;
      const ti = x[i + 1] as number;
      x[i] = x[j] as number;
      x[i + 1] = x[j + 1] as number;
      x[j] = tr;
      x[j + 1] = ti;
    }
    // first stage (twiddle 1) unrolled
    for (let i = b; i < b + 2 * n; i += 4) {
      const ar = x[i] as number;
      const ai = x[i + 1] as number;
      const br = x[i + 2] as number;
      const bi = x[i + 3] as number;
      x[i] = ar + br;
      x[i + 1] = ai + bi;
      x[i + 2] = ar - br;
      x[i + 3] = ai - bi;
    }
    for (let half = 2; half < n; half <<= 1) {
      const step = n / (2 * half);
      for (let start = 0; start < n; start += 2 * half) {
        for (let k = 0, t = 0; k < half; k++, t += step) {
          const wr = this.cos[t] as number;
          const wi = this.sin[t] as number;
          const i = b + 2 * (start + k);
          const j = i + 2 * half;
          const xr = x[j] as number;
          const xi = x[j + 1] as number;
          const pr = xr * wr - xi * wi;
          const pi = xr * wi + xi * wr;
          const ar = x[i] as number;
          const ai = x[i + 1] as number;
          x[i] = ar + pr;
          x[i + 1] = ai + pi;
          x[j] = ar - pr;
          x[j + 1] = ai - pi;
        }
      }
    }
  }

  /**
   * In-place forward DFT over the row index of the n x w block at complex offset `off` (row i at
   * off + i·w): column c becomes Σ_i x[i, c] e^{−j2πki/n}. With `power` (n·w values), |result|² is
   * added to power[i·w + c] in the last stage (no second pass over the block).
   */
  transformRows(x: Float64Array, off: number, w: number, power?: Float64Array): void {
    const sw = this.swaps;
    const b = 2 * off;
    const rw = 2 * w;
    for (let s = 0; s < sw.length; s += 2) {
      const i = b + rw * (sw[s] as number);
      const j = b + rw * (sw[s + 1] as number);
      for (let c = 0; c < rw; c++) {
        const t = x[i + c] as number;
        x[i + c] = x[j + c] as number;
        x[j + c] = t;
      }
    }
    this.rowStages(x, b, w, power);
  }

  /**
   * transformRows for a block whose rows are already in bit-reversed order (row i holds input row
   * reversed(i)): no permutation pass. A producer that writes its rows there saves moving them.
   */
  transformRowsReversed(x: Float64Array, off: number, w: number, power?: Float64Array): void {
    this.rowStages(x, 2 * off, w, power);
  }

  private rowStages(x: Float64Array, b: number, w: number, power?: Float64Array): void {
    const n = this.n;
    const rw = 2 * w;
    let half = 1;
    // stages in fused pairs (half, 2·half): one pass over four rows instead of two passes over two
    for (; 4 * half <= n; half <<= 2) this.rowStagePair(x, b, rw, half);
    if (half < n && power) this.rowStagePower(x, b, rw, half, power);
    else {
      if (half < n) this.rowStage(x, b, rw, half);
      if (power) addPower(x, b, n * w, power);
    }
  }

  /**
   * The last radix-2 stage (rowStage with half = n/2) that also adds |x|² of every output to
   * power[i·w + c] (re² then im², in that order: as addPower sums).
   */
  private rowStagePower(x: Float64Array, b: number, rw: number, half: number, power: Float64Array): void {
    for (let k = 0, t = 0; k < half; k++, t++) {
      const wr = this.cos[t] as number;
      const wi = this.sin[t] as number;
      const i = b + rw * k;
      const j = i + rw * half;
      const pi0 = (k * rw) >> 1;
      const pj0 = ((k + half) * rw) >> 1;
      for (let c = 0, q = 0; c < rw; c += 2, q++) {
        const xr = x[j + c] as number;
        const xi = x[j + c + 1] as number;
        const pr = xr * wr - xi * wi;
        const pim = xr * wi + xi * wr;
        const ar = x[i + c] as number;
        const ai = x[i + c + 1] as number;
        const ur = ar + pr;
        const ui = ai + pim;
        const vr = ar - pr;
        const vi = ai - pim;
        x[i + c] = ur;
        x[i + c + 1] = ui;
        x[j + c] = vr;
        x[j + c + 1] = vi;
        power[pi0 + q] = (power[pi0 + q] as number) + ur * ur + ui * ui;
        power[pj0 + q] = (power[pj0 + q] as number) + vr * vr + vi * vi;
      }
    }
  }

  /** One radix-2 stage over whole rows: rows start + k and start + k + half, twiddle W_{2 half}^k. */
  private rowStage(x: Float64Array, b: number, rw: number, half: number): void {
    const n = this.n;
    const step = n / (2 * half);
    for (let start = 0; start < n; start += 2 * half) {
      for (let k = 0, t = 0; k < half; k++, t += step) {
        const wr = this.cos[t] as number;
        const wi = this.sin[t] as number;
        const i = b + rw * (start + k);
        const j = i + rw * half;
        for (let c = 0; c < rw; c += 2) {
          const xr = x[j + c] as number;
          const xi = x[j + c + 1] as number;
          const pr = xr * wr - xi * wi;
          const pi = xr * wi + xi * wr;
          const ar = x[i + c] as number;
          const ai = x[i + c + 1] as number;
          x[i + c] = ar + pr;
          x[i + c + 1] = ai + pi;
          x[j + c] = ar - pr;
          x[j + c + 1] = ai - pi;
        }
      }
    }
  }

  /**
   * Stages `half` and `2·half` in one pass: rows a = start + k, b = a + h, c = a + 2h, d = a + 3h
   * (h = half); stage h combines (a, b) and (c, d) with W_{2h}^k, stage 2h then (a, c) with W_{4h}^k
   * and (b, d) with W_{4h}^{k+h} (= −j W_{4h}^k).
   */
  private rowStagePair(x: Float64Array, b: number, rw: number, h: number): void {
    const n = this.n;
    const step1 = n / (2 * h);
    const step2 = n / (4 * h);
    for (let start = 0; start < n; start += 4 * h) {
      for (let k = 0; k < h; k++) {
        const w1r = this.cos[k * step1] as number;
        const w1i = this.sin[k * step1] as number;
        const w2r = this.cos[k * step2] as number;
        const w2i = this.sin[k * step2] as number;
        const ia = b + rw * (start + k);
        const ib = ia + rw * h;
        const ic = ib + rw * h;
        const id = ic + rw * h;
        for (let c = 0; c < rw; c += 2) {
          const ar = x[ia + c] as number;
          const ai = x[ia + c + 1] as number;
          const br0 = x[ib + c] as number;
          const bi0 = x[ib + c + 1] as number;
          const cr0 = x[ic + c] as number;
          const ci0 = x[ic + c + 1] as number;
          const dr0 = x[id + c] as number;
          const di0 = x[id + c + 1] as number;
          // stage h
          const pbr = br0 * w1r - bi0 * w1i;
          const pbi = br0 * w1i + bi0 * w1r;
          const pdr = dr0 * w1r - di0 * w1i;
          const pdi = dr0 * w1i + di0 * w1r;
          const a1r = ar + pbr;
          const a1i = ai + pbi;
          const b1r = ar - pbr;
          const b1i = ai - pbi;
          const c1r = cr0 + pdr;
          const c1i = ci0 + pdi;
          const d1r = cr0 - pdr;
          const d1i = ci0 - pdi;
          // stage 2h: c1 · W, d1 · (−j W)
          const qcr = c1r * w2r - c1i * w2i;
          const qci = c1r * w2i + c1i * w2r;
          const tdr = d1r * w2r - d1i * w2i;
          const tdi = d1r * w2i + d1i * w2r;
          const qdr = tdi;
          const qdi = -tdr;
          x[ia + c] = a1r + qcr;
          x[ia + c + 1] = a1i + qci;
          x[ic + c] = a1r - qcr;
          x[ic + c + 1] = a1i - qci;
          x[ib + c] = b1r + qdr;
          x[ib + c + 1] = b1i + qdi;
          x[id + c] = b1r - qdr;
          x[id + c + 1] = b1i - qdi;
        }
      }
    }
  }
}

/** power[k] += |x_k|² for the `count` complex values of x from offset b (interleaved). */
function addPower(x: Float64Array, b: number, count: number, power: Float64Array): void {
  for (let k = 0; k < count; k++)
    power[k] = (power[k] as number) + (x[b + 2 * k] as number) ** 2 + (x[b + 2 * k + 1] as number) ** 2;
}

const plans = new Map<number, Radix2Fft>();

/** The cached plan of size n (a power of two). */
export function radix2Plan(n: number): Radix2Fft {
  let p = plans.get(n);
  if (!p) {
    p = new Radix2Fft(n);
    plans.set(n, p);
  }
  return p;
}
