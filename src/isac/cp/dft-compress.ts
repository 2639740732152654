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
