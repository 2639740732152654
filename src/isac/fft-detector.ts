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

/**
 * The `count` strongest local maxima of the spectrum (3-D, cyclic neighbours) as coarse
 * range, Doppler and angle estimates.
 */
export function coarseDetections(t: EchoTensor, sys: SystemParams, count: number, angleBins = 64): CoarseDetection[] {
  const { nc, m } = t;
  const power = rangeDopplerAngleSpectrum(t, angleBins);
  const P = power.length / (nc * m);
  const peaks: Array<{ v: number; q: number; n: number; k: number }> = [];
  let vmaxAll = 0;
  for (let i = 0; i < power.length; i++) if ((power[i] as number) > vmaxAll) vmaxAll = power[i] as number;
  const floor = vmaxAll * 1e-4; // peaks 40 dB below the strongest are not targets worth reporting
  for (let q = 0; q < P; q++) {
    for (let n = 0; n < nc; n++) {
      for (let k = 0; k < m; k++) {
        const v = power[(q * nc + n) * m + k] as number;
        let isMax = v > floor;
        for (let dq = -1; dq <= 1 && isMax; dq++) {
          for (let dn = -1; dn <= 1 && isMax; dn++) {
            for (let dk = -1; dk <= 1 && isMax; dk++) {
              if (dq === 0 && dn === 0 && dk === 0) continue;
              const w = power[(((q + dq + P) % P) * nc + ((n + dn + nc) % nc)) * m + ((k + dk + m) % m)] as number;
              if (w > v) isMax = false;
            }
          }
        }
        if (isMax) peaks.push({ v, q, n, k });
      }
    }
  }
  peaks.sort((a, b) => b.v - a.v);
  const top = peaks.slice(0, count);
  const vmax = top[0]?.v ?? 1;
  return top.map((pk) => {
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
  });
}
