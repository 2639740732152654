import type { CpFactors } from './als.js';

/**
 * Compression of an echo tensor onto windows of DFT bins (the issue's "compress first"): the 2-D DFT
 * over (subcarrier, symbol) scaled by 1/√(N_c M) is unitary, and a delay or Doppler steering vector
 * (eqs. 33, 34) puts almost all its energy into the few bins around its frequency. Keeping the bins
 * K_d (delay) and K_f (Doppler) in windows around the FFT peaks gives the core
 *   G[p, i, j] = F_p[K_d[i], K_f[j]] / √(N_c M) = Y ×₂ Q_dᴴ ×₃ Q_fᴴ,
 * with Q_d = the columns K_d of the unitary inverse DFT (orthonormal), and the CP model maps to
 * [[A, Q_dᴴB, Q_fᴴC]]. CP-ALS on the core costs |K_d||K_f|/(N_c M) of a full sweep; the factors
 * come back as B = Q_d B' (their energy outside the windows is then missing, which the full-data
 * finish restores).
 */
export interface DftWindows {
  /** delay bins (sorted, distinct), 0..N_c−1 */
  delayBins: Int32Array;
  /** Doppler bins (sorted, distinct), 0..M−1 */
  dopplerBins: Int32Array;
}

/** The distinct bins round(ν N) + k, |k| <= halfWidth (cyclic), over the frequencies ν (cycles/sample). */
export function windowBins(nus: readonly number[], n: number, halfWidth: number): Int32Array {
  const keep = new Uint8Array(n);
  for (const nu of nus) {
    const c = Math.round((((nu % 1) + 1) % 1) * n);
    for (let k = -halfWidth; k <= halfWidth; k++) keep[(((c + k) % n) + n) % n] = 1;
  }
  const out: number[] = [];
  for (let k = 0; k < n; k++) if (keep[k]) out.push(k);
  return Int32Array.from(out);
}

/**
 * The core G (N_A x |K_d| x |K_f|, interleaved, row-major) from the unscaled spectrum F
 * (N_A x nr x nd, F[(p·nr + kr)·nd + kd], as fft-init.ts's range-Doppler map before any subtraction).
 */
export function coreFromSpectrum(
  F: Float64Array,
  na: number,
  nr: number,
  nd: number,
  w: DftWindows,
): Float64Array {
  const kr = w.delayBins;
  const kd = w.dopplerBins;
  const s = 1 / Math.sqrt(nr * nd);
  const out = new Float64Array(2 * na * kr.length * kd.length);
  let o = 0;
  for (let p = 0; p < na; p++) {
    for (let i = 0; i < kr.length; i++) {
      const row = 2 * (p * nr + (kr[i] as number)) * nd;
      for (let j = 0; j < kd.length; j++) {
        const k = row + 2 * (kd[j] as number);
        out[o++] = (F[k] as number) * s;
        out[o++] = (F[k + 1] as number) * s;
      }
    }
  }
  return out;
}

/** e^{−j2πt/N}, t = 0..N−1 (interleaved). */
function twiddles(n: number): Float64Array {
  const w = new Float64Array(2 * n);
  for (let t = 0; t < n; t++) {
    w[2 * t] = Math.cos((2 * Math.PI * t) / n);
    w[2 * t + 1] = -Math.sin((2 * Math.PI * t) / n);
  }
  return w;
}

/** x' = Qᴴx per column: x'[i, r] = Σ_n x[n, r] e^{−j2π K[i] n/N} / √N  (rows x R in, |K| x R out). */
export function toCore(x: Float64Array, n: number, R: number, bins: Int32Array): Float64Array {
  const w = twiddles(n);
  const s = 1 / Math.sqrt(n);
  const out = new Float64Array(2 * bins.length * R);
  for (let i = 0; i < bins.length; i++) {
    const k = bins[i] as number;
    for (let r = 0; r < R; r++) {
      let sr = 0;
      let si = 0;
      for (let t = 0, e = 0; t < n; t++, e = (e + k) % n) {
        const xr = x[2 * (t * R + r)] as number;
        const xi = x[2 * (t * R + r) + 1] as number;
        const wr = w[2 * e] as number;
        const wi = w[2 * e + 1] as number;
        sr += xr * wr - xi * wi;
        si += xr * wi + xi * wr;
      }
      out[2 * (i * R + r)] = sr * s;
      out[2 * (i * R + r) + 1] = si * s;
    }
  }
  return out;
}

/** x = Q x' per column: x[n, r] = Σ_i x'[i, r] e^{+j2π K[i] n/N} / √N  (|K| x R in, N x R out). */
export function fromCore(xc: Float64Array, n: number, R: number, bins: Int32Array): Float64Array {
  const w = twiddles(n);
  const s = 1 / Math.sqrt(n);
  const out = new Float64Array(2 * n * R);
  for (let t = 0; t < n; t++) {
    for (let r = 0; r < R; r++) {
      let sr = 0;
      let si = 0;
      for (let i = 0; i < bins.length; i++) {
        const e = ((bins[i] as number) * t) % n;
        const wr = w[2 * e] as number;
        const wi = -(w[2 * e + 1] as number);
        const xr = xc[2 * (i * R + r)] as number;
        const xi = xc[2 * (i * R + r) + 1] as number;
        sr += xr * wr - xi * wi;
        si += xr * wi + xi * wr;
      }
      out[2 * (t * R + r)] = sr * s;
      out[2 * (t * R + r) + 1] = si * s;
    }
  }
  return out;
}

/** The factors of the core problem: A as is, B' = Q_dᴴB, C' = Q_fᴴC. */
export function factorsToCore(f: CpFactors, w: DftWindows): CpFactors {
  return {
    na: f.na,
    nc: w.delayBins.length,
    m: w.dopplerBins.length,
    R: f.R,
    a: f.a.slice(),
    b: toCore(f.b, f.nc, f.R, w.delayBins),
    c: toCore(f.c, f.m, f.R, w.dopplerBins),
  };
}

/** Back to the full tensor's factors: A as is, B = Q_d B', C = Q_f C'. */
export function factorsFromCore(fc: CpFactors, nc: number, m: number, w: DftWindows): CpFactors {
  return {
    na: fc.na,
    nc,
    m,
    R: fc.R,
    a: fc.a.slice(),
    b: fromCore(fc.b, nc, fc.R, w.delayBins),
    c: fromCore(fc.c, m, fc.R, w.dopplerBins),
  };
}

/** Share of a core column's energy a tone must explain before its out-of-window bins are extrapolated. */
export const TONE_EXTENSION_MIN_SHARE = 0.5;

/**
 * c(ν) = Qᴴv(ν) for the unit tone v(ν)[n] = e^{j2πνn}/√N: c_i = D(x)/N, x = ν − K_i/N, with the
 * Dirichlet kernel D(x) = Σ_{n<N} e^{j2πxn} = e^{jπx(N−1)} sin(πxN)/sin(πx) (period 1 in x).
 * Into out (|K| interleaved); returns ||c||².
 */
function toneCore(nu: number, n: number, bins: Int32Array, out: Float64Array): number {
  let s2 = 0;
  for (let i = 0; i < bins.length; i++) {
    let x = nu - (bins[i] as number) / n;
    x -= Math.round(x); // [−1/2, 1/2]
    const sx = Math.sin(Math.PI * x);
    const mag = Math.abs(sx) < 1e-15 ? 1 : Math.sin(Math.PI * x * n) / (n * sx);
    const ph = Math.PI * x * (n - 1);
    const re = mag * Math.cos(ph);
    const im = mag * Math.sin(ph);
    out[2 * i] = re;
    out[2 * i + 1] = im;
    s2 += re * re + im * im;
  }
  return s2;
}

/** |c(ν)ᴴβ|² / ||c(ν)||² for core column r of xc (|K| x R): the energy of β explained by a tone at ν. */
function toneEnergy(
  nu: number,
  n: number,
  bins: Int32Array,
  xc: Float64Array,
  R: number,
  r: number,
  c: Float64Array,
): number {
  const s2 = toneCore(nu, n, bins, c);
  if (!(s2 > 0)) return 0;
  let pr = 0;
  let pi = 0;
  for (let i = 0; i < bins.length; i++) {
    const cr = c[2 * i] as number;
    const ci = c[2 * i + 1] as number;
    const br = xc[2 * (i * R + r)] as number;
    const bi = xc[2 * (i * R + r) + 1] as number;
    pr += cr * br + ci * bi;
    pi += cr * bi - ci * br;
  }
  return (pr * pr + pi * pi) / s2;
}

/**
 * Warm start of the full-data finish: column r of x (= Q xc, the core factor mapped back, N x R) gets
 * the out-of-window part of the tone that best explains its core column, x_r += α (v(ν) − Q c(ν)),
 * ν = argmax |c(ν)ᴴβ|²/||c(ν)||² (golden section within one bin of the strongest core bin),
 * α = c(ν)ᴴβ / ||c(ν)||². A delay or Doppler factor (eqs. 33, 34) is such a tone plus noise, so this
 * restores most of the energy the window cut off (exactly, without noise). Columns a tone explains
 * less than TONE_EXTENSION_MIN_SHARE of are left as they are. In place on x.
 */
export function extendTones(x: Float64Array, xc: Float64Array, n: number, R: number, bins: Int32Array): void {
  const K = bins.length;
  if (K === 0 || K >= n) return;
  const c = new Float64Array(2 * K);
  const w = twiddles(n);
  const sq = 1 / Math.sqrt(n);
  for (let r = 0; r < R; r++) {
    let e2 = 0;
    for (let i = 0; i < K; i++)
      e2 += (xc[2 * (i * R + r)] as number) ** 2 + (xc[2 * (i * R + r) + 1] as number) ** 2;
    if (!(e2 > 0)) continue;
    // the strongest core bin: the tone lies within one bin of it
    let best = 0;
    let bestE = -1;
    for (let i = 0; i < K; i++) {
      const en = (xc[2 * (i * R + r)] as number) ** 2 + (xc[2 * (i * R + r) + 1] as number) ** 2;
      if (en > bestE) {
        bestE = en;
        best = (bins[i] as number) / n;
      }
    }
    // golden section on [best − 1 bin, best + 1 bin]
    const g = (Math.sqrt(5) - 1) / 2;
    let lo = best - 1 / n;
    let hi = best + 1 / n;
    let x1 = hi - g * (hi - lo);
    let x2 = lo + g * (hi - lo);
    let f1 = toneEnergy(x1, n, bins, xc, R, r, c);
    let f2 = toneEnergy(x2, n, bins, xc, R, r, c);
    for (let it = 0; it < 60 && hi - lo > 1e-12 / n; it++) {
      if (f1 >= f2) {
        hi = x2;
        x2 = x1;
        f2 = f1;
        x1 = hi - g * (hi - lo);
        f1 = toneEnergy(x1, n, bins, xc, R, r, c);
      } else {
        lo = x1;
        x1 = x2;
        f1 = f2;
        x2 = lo + g * (hi - lo);
        f2 = toneEnergy(x2, n, bins, xc, R, r, c);
      }
    }
    const nu = f1 >= f2 ? x1 : x2;
    if (Math.max(f1, f2) < TONE_EXTENSION_MIN_SHARE * e2) continue;
    // α = c(ν)ᴴβ / ||c(ν)||²
    const s2 = toneCore(nu, n, bins, c);
    let ar = 0;
    let ai = 0;
    for (let i = 0; i < K; i++) {
      const cr = c[2 * i] as number;
      const ci = c[2 * i + 1] as number;
      const br = xc[2 * (i * R + r)] as number;
      const bi = xc[2 * (i * R + r) + 1] as number;
      ar += cr * br + ci * bi;
      ai += cr * bi - ci * br;
    }
    ar /= s2;
    ai /= s2;
    // x_r[t] += α (v(ν)[t] − Σ_i c_i e^{+j2πK_i t/N}/√N)
    for (let t = 0; t < n; t++) {
      let ur = Math.cos(2 * Math.PI * nu * t) * sq;
      let ui = Math.sin(2 * Math.PI * nu * t) * sq;
      for (let i = 0; i < K; i++) {
        const e = ((bins[i] as number) * t) % n;
        const wr = w[2 * e] as number;
        const wi = -(w[2 * e + 1] as number);
        const cr = c[2 * i] as number;
        const ci = c[2 * i + 1] as number;
        ur -= (cr * wr - ci * wi) * sq;
        ui -= (cr * wi + ci * wr) * sq;
      }
      const k = 2 * (t * R + r);
      x[k] = (x[k] as number) + ar * ur - ai * ui;
      x[k + 1] = (x[k + 1] as number) + ar * ui + ai * ur;
    }
  }
}
