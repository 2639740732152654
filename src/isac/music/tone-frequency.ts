import { fft, nextPow2 } from '../../math/fft.js';
import { detectTone } from '../../math/exact-tone.js';
import { brentMaximize } from './brent-maximize.js';

/** Frequency of one complex exponential x_i ≈ β e^{j2πν i}, i = 1..N. */
export interface ToneEstimate {
  /** ν in cycles per sample, in [−0.5, 0.5) */
  nu: number;
  /**
   * |a(ν̂)ᴴ x|² / (N ||x||²) in [0, 1]: 1 for a noise-free steering vector. The MUSIC pseudo-spectrum
   * of eq. (39) at the peak is 1 / (N (1 − correlation)).
   */
  correlation: number;
  /** a(ν̂)ᴴ x, complex [re, im] with a(ν)[i] = e^{j2πν i}, i = 1..N */
  projection: [number, number];
}

/**
 * Single-tone frequency estimator of the MUSIC variant of eqs. (37)-(39), for a rank-one factor.
 *
 * Step 1 (eq. 37): zero-padded DFT of x to `nFft` points and its peak bin k̂; the search interval is
 * [(k̂ − 1)/nFft, (k̂ + 1)/nFft]. (The paper's IDFT of the delay factor is this DFT at −ν.)
 * Step 2 (eqs. 38-39): the covariance R = x xᴴ has rank one, so its noise subspace projector is
 * I − x xᴴ/||x||² and the pseudo-spectrum is s(ν) = 1 / (||a(ν)||² − |a(ν)ᴴ x|²/||x||²), with
 * ||a(ν)||² = N constant. Maximising s is maximising |a(ν)ᴴ x|²: no N x N eigen-decomposition is
 * formed; a Brent (golden-section + parabolic) search on the interval finds the peak, and up to two
 * Newton steps on S'(ν) = 0 polish it to rounding precision. Each evaluation is one pass over x with
 * the phase ramp by recurrence (no allocation per evaluation). A factor that is an exact tone (structured
 * CP; src/math/exact-tone.ts) skips the search: its phase step is the frequency.
 */
export class ToneEstimator {
  readonly nFft: number;
  private readonly inBuf: Float64Array;
  private readonly outBuf: Float64Array;
  private x: Float64Array = new Float64Array(0);
  private n = 0;
  private off = 0;
  private readonly f = (nu: number): number => this.power(nu);

  /** `nFft` is rounded up to a power of two >= 2. */
  constructor(nFft: number) {
    this.nFft = Math.max(2, nextPow2(nFft));
    this.inBuf = new Float64Array(2 * this.nFft);
    this.outBuf = new Float64Array(2 * this.nFft);
  }

  /** Estimate for the n complex values of `x` starting at complex offset `off` (n <= nFft). */
  estimate(x: Float64Array, n: number, off = 0): ToneEstimate {
    if (n > this.nFft) throw new Error(`ToneEstimator: ${n} samples exceed the DFT size ${this.nFft}`);
    this.x = x;
    this.n = n;
    this.off = off;
    let xn2 = 0;
    this.inBuf.fill(0);
    for (let k = 0; k < 2 * n; k++) {
      const v = x[2 * off + k] as number;
      this.inBuf[k] = v;
      xn2 += v * v;
    }
    if (!(xn2 > 0) || n < 2) {
      const pr = n >= 1 ? (x[2 * off] as number) : 0;
      const pi = n >= 1 ? (x[2 * off + 1] as number) : 0;
      return { nu: 0, correlation: xn2 > 0 ? 1 : 0, projection: [pr, pi] };
    }
    // an exact tone (structured CP): its frequency is its phase step, no search
    const tone = detectTone(x, off, n);
    if (tone) {
      let nu = tone.omega / (2 * Math.PI);
      nu -= Math.floor(nu + 0.5);
      if (nu >= 0.5) nu -= 1;
      return { nu, correlation: Math.min(1, this.power(nu) / (n * xn2)), projection: this.project(nu) };
    }
    fft(this.outBuf, this.inBuf, this.nFft);
    let kBest = 0;
    let best = -1;
    for (let k = 0; k < this.nFft; k++) {
      const p = (this.outBuf[2 * k] as number) ** 2 + (this.outBuf[2 * k + 1] as number) ** 2;
      if (p > best) {
        best = p;
        kBest = k;
      }
    }
    const lo = (kBest - 1) / this.nFft;
    const hi = (kBest + 1) / this.nFft;
    const r = brentMaximize(this.f, lo, hi, 1e-13 / n, 200);
    let nuR = r.x;
    // Newton polish on S'(ν) = 0 (Brent compares function values, which resolves ν to about √ε)
    for (let k = 0; k < 2; k++) {
      const step = this.newtonStep(nuR);
      if (!(Math.abs(step) < 0.5 / this.nFft)) break;
      nuR -= step;
    }
    let nu = nuR - Math.floor(nuR + 0.5);
    if (nu >= 0.5) nu -= 1;
    const proj = this.project(nu);
    return { nu, correlation: Math.min(1, this.power(nu) / (n * xn2)), projection: proj };
  }

  /** S'(ν)/S''(ν) for S(ν) = |X(ν)|², X(ν) = Σ_i x_i e^{−j2πν(i − c)} with centred index (c = (N−1)/2). */
  private newtonStep(nu: number): number {
    const x = this.x;
    const o = 2 * this.off;
    const c = (this.n - 1) / 2;
    let x0r = 0;
    let x0i = 0;
    let x1r = 0;
    let x1i = 0;
    let x2r = 0;
    let x2i = 0;
    // e^{−j2πν(i − c)} by recurrence: one complex multiply a step
    const step = -2 * Math.PI * nu;
    const sr = Math.cos(step);
    const si = Math.sin(step);
    let er = Math.cos(-step * c);
    let ei = Math.sin(-step * c);
    for (let i = 0; i < this.n; i++) {
      const t = i - c;
      if (i > 0) {
        const tr = er * sr - ei * si;
        ei = er * si + ei * sr;
        er = tr;
      }
      const xr = x[o + 2 * i] as number;
      const xi = x[o + 2 * i + 1] as number;
      const vr = xr * er - xi * ei;
      const vi = xr * ei + xi * er;
      const w = -2 * Math.PI * t; // d/dν multiplies by j w
      x0r += vr;
      x0i += vi;
      x1r += -w * vi;
      x1i += w * vr;
      x2r += -w * w * vr;
      x2i += -w * w * vi;
    }
    const d1 = 2 * (x0r * x1r + x0i * x1i);
    const d2 = 2 * (x1r * x1r + x1i * x1i + x0r * x2r + x0i * x2i);
    return d2 < 0 ? d1 / d2 : 0;
  }

  /** |Σ_i x_i e^{−j2πν i}|² (i from 0: the magnitude does not depend on the index origin). */
  private power(nu: number): number {
    const w = -2 * Math.PI * nu;
    const cr = Math.cos(w);
    const ci = Math.sin(w);
    let zr = 1;
    let zi = 0;
    let sr = 0;
    let si = 0;
    const x = this.x;
    const o = 2 * this.off;
    for (let i = 0; i < this.n; i++) {
      const xr = x[o + 2 * i] as number;
      const xi = x[o + 2 * i + 1] as number;
      sr += xr * zr - xi * zi;
      si += xr * zi + xi * zr;
      const t = zr * cr - zi * ci;
      zi = zr * ci + zi * cr;
      zr = t;
    }
    return sr * sr + si * si;
  }

  /** a(ν)ᴴ x = Σ_{i=1..N} e^{−j2πν i} x_i (exact phases, index from 1 as in eqs. 2, 33, 34). */
  private project(nu: number): [number, number] {
    const w = -2 * Math.PI * nu;
    let sr = 0;
    let si = 0;
    const x = this.x;
    const o = 2 * this.off;
    for (let i = 0; i < this.n; i++) {
      const ph = w * (i + 1);
      const zr = Math.cos(ph);
      const zi = Math.sin(ph);
      const xr = x[o + 2 * i] as number;
      const xi = x[o + 2 * i + 1] as number;
      sr += xr * zr - xi * zi;
      si += xr * zi + xi * zr;
    }
    return [sr, si];
  }
}
