import { fft, ifft, nextPow2 } from '../math/fft.js';
import { SPEED_OF_LIGHT } from './constants.js';
import type { EchoTensor } from './echo-model.js';
import type { SystemParams } from './scenario-types.js';

export interface CoarseDetection {
  /** m, from the delay bin: r = k c / (2 Δf N_c) */
  range: number;
  /** Hz, from the Doppler bin: f_D = k / (M T), k signed */
  doppler: number;
  /** rad, AoA from the angle bin: sin θ = k / (P κ) wrapped to [−1, 1); cos θ >= 0 assumed */
  sinAoa: number;
  /** |peak|² / (N_A N_c M)² relative to the strongest peak (1 for the strongest) */
  relPower: number;
  /** bin indices (angle, delay, Doppler) */
  bins: [number, number, number];
}

/**
 * Range-Doppler-angle spectrum of one echo tensor: FFT over symbols (Doppler, eq. 34), IDFT over
 * subcarriers (delay, eq. 33: the phase is e^{−j2πnΔfτ}), FFT over antennas zero-padded to
 * `angleBins` (eq. 2). Returns |X|² on a (angleBins x N_c x M) grid, row-major.
 */
export function rangeDopplerAngleSpectrum(t: EchoTensor, angleBins: number): Float64Array {
  const { na, nc, m } = t;
  const P = Math.max(nextPow2(angleBins), nextPow2(na), 2);
  const work = new Float64Array(2 * P * nc * m); // (P x nc x m) complex, rows p < na filled
  const inBuf = new Float64Array(2 * Math.max(P, nc, m));
  const outBuf = new Float64Array(2 * Math.max(P, nc, m));
  // Doppler: FFT along m for each (p, n)
  for (let p = 0; p < na; p++) {
    for (let n = 0; n < nc; n++) {
      const base = 2 * (p * nc + n) * m;
      for (let j = 0; j < 2 * m; j++) inBuf[j] = t.data[base + j] as number;
      fft(outBuf, inBuf, m);
      for (let j = 0; j < 2 * m; j++) work[base + j] = outBuf[j] as number;
    }
  }
  // Delay: IDFT along n for each (p, k_m)
  for (let p = 0; p < na; p++) {
    for (let k = 0; k < m; k++) {
      for (let n = 0; n < nc; n++) {
        const i = 2 * ((p * nc + n) * m + k);
        inBuf[2 * n] = work[i] as number;
        inBuf[2 * n + 1] = work[i + 1] as number;
      }
      ifft(outBuf, inBuf, nc);
      for (let n = 0; n < nc; n++) {
        const i = 2 * ((p * nc + n) * m + k);
        work[i] = outBuf[2 * n] as number;
        work[i + 1] = outBuf[2 * n + 1] as number;
      }
    }
  }
  // Angle: FFT along p (zero padded to P) for each (n, k): the phase e^{+j2πpκ sinθ} peaks at q/P = κ sinθ.
  const power = new Float64Array(P * nc * m);
  for (let n = 0; n < nc; n++) {
    for (let k = 0; k < m; k++) {
      inBuf.fill(0, 0, 2 * P);
      for (let p = 0; p < na; p++) {
        const i = 2 * ((p * nc + n) * m + k);
        inBuf[2 * p] = work[i] as number;
        inBuf[2 * p + 1] = work[i + 1] as number;
      }
      fft(outBuf, inBuf, P);
      for (let q = 0; q < P; q++) {
        const re = outBuf[2 * q] as number;
        const im = outBuf[2 * q + 1] as number;
        power[(q * nc + n) * m + k] = re * re + im * im;
      }
    }
  }
  return power;
}

/** One local maximum of the spectrum: its power and bin indices (angle q, delay n, Doppler k). */
export interface SpectrumPeak {
  v: number;
  q: number;
  n: number;
  k: number;
}

/** The largest value of the spectrum. */
function maxOf(power: Float64Array): number {
  let vmax = 0;
  for (let i = 0; i < power.length; i++) if ((power[i] as number) > vmax) vmax = power[i] as number;
  return vmax;
}

/**
 * Whether no cyclic neighbour of bin (q, n, k) (the 26 cells of its 3 x 3 x 3 block) exceeds `v`.
 * Ties count as maxima, as before.
 */
function isLocalMax(
  power: Float64Array,
  P: number,
  nc: number,
  m: number,
  q: number,
  n: number,
  k: number,
  v: number,
): boolean {
  for (let dq = -1; dq <= 1; dq++) {
    const rowQ = ((q + dq + P) % P) * nc;
    for (let dn = -1; dn <= 1; dn++) {
      const rowN = (rowQ + ((n + dn + nc) % nc)) * m;
      for (let dk = -1; dk <= 1; dk++) {
        if (dq === 0 && dn === 0 && dk === 0) continue;
        if ((power[rowN + ((k + dk + m) % m)] as number) > v) return false;
      }
    }
  }
  return true;
}

/**
 * Every local maximum (3-D, cyclic neighbours) of a (P x nc x m) spectrum above `floor`, in scan
 * order (q, n, k).
 */
export function spectrumPeaks(
  power: Float64Array,
  P: number,
  nc: number,
  m: number,
  floor: number,
): SpectrumPeak[] {
  const peaks: SpectrumPeak[] = [];
  for (let q = 0; q < P; q++) {
    for (let n = 0; n < nc; n++) {
      const base = (q * nc + n) * m;
      for (let k = 0; k < m; k++) {
        const v = power[base + k] as number;
        if (v > floor && isLocalMax(power, P, nc, m, q, n, k, v)) peaks.push({ v, q, n, k });
      }
    }
  }
  return peaks;
}

/** A peak's bins as range (delay bin), Doppler (signed bin) and sin θ (angle bin, wrapped to [−1/(2κ), 1/(2κ))). */
function toDetection(
  pk: SpectrumPeak,
  P: number,
  nc: number,
  m: number,
  sys: SystemParams,
  vmax: number,
): CoarseDetection {
  const kSigned = pk.k >= m / 2 ? pk.k - m : pk.k;
  let s = pk.q / (P * sys.antennaSpacingWavelengths);
  const period = 1 / sys.antennaSpacingWavelengths;
  while (s >= period / 2) s -= period;
  return {
    range: (pk.n * SPEED_OF_LIGHT) / (2 * sys.subcarrierSpacingHz * nc),
    doppler: kSigned / (m * sys.symbolDurationS),
    sinAoa: s,
    relPower: pk.v / vmax,
    bins: [pk.q, pk.n, pk.k],
  };
}

/**
 * The `count` strongest local maxima of the spectrum (3-D, cyclic neighbours) as coarse
 * range, Doppler and angle estimates: spectrum -> peaks above a floor 40 dB below the strongest
 * cell -> the strongest `count` -> bins to physical units.
 */
export function coarseDetections(
  t: EchoTensor,
  sys: SystemParams,
  count: number,
  angleBins = 64,
): CoarseDetection[] {
  const { nc, m } = t;
  const power = rangeDopplerAngleSpectrum(t, angleBins);
  const P = power.length / (nc * m);
  const floor = maxOf(power) * 1e-4; // peaks 40 dB below the strongest are not targets worth reporting
  const top = spectrumPeaks(power, P, nc, m, floor)
    .sort((a, b) => b.v - a.v)
    .slice(0, count);
  const vmax = top[0]?.v ?? 1;
  return top.map((pk) => toDetection(pk, P, nc, m, sys, vmax));
}
