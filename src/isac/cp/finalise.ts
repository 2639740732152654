import type { CpFactors } from './als.js';
import { tripleGramSum } from './als.js';
import { crossGram } from './small-hermitian.js';

/** Σ_r ||A_r||²||B_r||²||C_r||² / ||[[A, B, C]]||² (1 for orthogonal components; ≫ 1 when they cancel). */
export function degeneracyIndex(f: CpFactors): number {
  const { na, nc, m, R, a, b, c } = f;
  if (R === 0) return 0;
  const wa = new Float64Array(2 * R * R);
  const wb = new Float64Array(2 * R * R);
  const wc = new Float64Array(2 * R * R);
  crossGram(a, a, na, R, wa);
  crossGram(b, b, nc, R, wb);
  crossGram(c, c, m, R, wc);
  let sum = 0;
  for (let r = 0; r < R; r++) {
    const k = 2 * (r * R + r);
    sum += (wa[k] as number) * (wb[k] as number) * (wc[k] as number);
  }
  const model = tripleGramSum(wa, wb, wc, R);
  return model > 0 ? sum / model : sum > 0 ? Infinity : 0;
}

/** The scaled factors in the documented convention, component by component (see types.ts). */
export interface NormalisedFactors {
  angle: Float64Array;
  delay: Float64Array;
  doppler: Float64Array;
  /** max over r ≠ s of |d_rᴴ d_s| |f_rᴴ f_s| */
  maxCongruence: number;
  /** the pair reaching maxCongruence (or [-1, -1]) */
  congruentPair: [number, number];
}

/**
 * Applies the CP scaling convention (types.ts): delay and Doppler columns to unit norm with the phase
 * of their first element removed, norm and phase moved into the angle column. A component with a
 * zero delay or Doppler column gets zero amplitude and flat (ν = 0) unit factors.
 */
export function normaliseFactors(f: CpFactors): NormalisedFactors {
  const { na, nc, m, R, a, b, c } = f;
  const angle = new Float64Array(2 * na * R);
  const delay = new Float64Array(2 * nc * R);
  const doppler = new Float64Array(2 * m * R);
  for (let r = 0; r < R; r++) {
    const sb = unitColumn(b, nc, R, r, delay, r * nc);
    const sc = unitColumn(c, m, R, r, doppler, r * m);
    // s = sb · sc (complex): the scale moved into the angle factor
    const sr = sb[0] * sc[0] - sb[1] * sc[1];
    const si = sb[0] * sc[1] + sb[1] * sc[0];
    for (let p = 0; p < na; p++) {
      const ar = a[2 * (p * R + r)] as number;
      const ai = a[2 * (p * R + r) + 1] as number;
      angle[2 * (r * na + p)] = ar * sr - ai * si;
      angle[2 * (r * na + p) + 1] = ar * si + ai * sr;
    }
  }
  let maxCongruence = 0;
  let congruentPair: [number, number] = [-1, -1];
  for (let r = 0; r < R; r++) {
    for (let s = r + 1; s < R; s++) {
      const k = absDot(delay, r * nc, s * nc, nc) * absDot(doppler, r * m, s * m, m);
      if (k > maxCongruence) {
        maxCongruence = k;
        congruentPair = [r, s];
      }
    }
  }
  return { angle, delay, doppler, maxCongruence: Math.min(1, maxCongruence), congruentPair };
}

/**
 * Writes column r of x (rows x R) divided by its norm and by the phase of its first element into
 * out[off..off+rows) and returns the removed scale ||x_r|| e^{j arg x_r[0]} as [re, im].
 */
function unitColumn(
  x: Float64Array,
  rows: number,
  R: number,
  r: number,
  out: Float64Array,
  off: number,
): [number, number] {
  let s = 0;
  for (let i = 0; i < rows; i++)
    s += (x[2 * (i * R + r)] as number) ** 2 + (x[2 * (i * R + r) + 1] as number) ** 2;
  const nrm = Math.sqrt(s);
  const x0r = x[2 * r] as number;
  const x0i = x[2 * r + 1] as number;
  const x0 = Math.hypot(x0r, x0i);
  if (!(nrm > 0) || !Number.isFinite(nrm)) {
    for (let i = 0; i < rows; i++) out[2 * (off + i)] = 1 / Math.sqrt(rows);
    return [0, 0];
  }
  // unit phasor of the first element (1 when it is exactly zero)
  const ur = x0 > 0 ? x0r / x0 : 1;
  const ui = x0 > 0 ? x0i / x0 : 0;
  for (let i = 0; i < rows; i++) {
    const xr = x[2 * (i * R + r)] as number;
    const xi = x[2 * (i * R + r) + 1] as number;
    // x · conj(u) / nrm
    out[2 * (off + i)] = (xr * ur + xi * ui) / nrm;
    out[2 * (off + i) + 1] = (xi * ur - xr * ui) / nrm;
  }
  return [nrm * ur, nrm * ui];
}

function absDot(x: Float64Array, i: number, j: number, n: number): number {
  let re = 0;
  let im = 0;
  for (let k = 0; k < n; k++) {
    const ar = x[2 * (i + k)] as number;
    const ai = x[2 * (i + k) + 1] as number;
    const br = x[2 * (j + k)] as number;
    const bi = x[2 * (j + k) + 1] as number;
    re += ar * br + ai * bi;
    im += ar * bi - ai * br;
  }
  return Math.hypot(re, im);
}
