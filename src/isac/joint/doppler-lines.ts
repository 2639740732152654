import { fft } from '../../math/fft.js';
import { SPEED_OF_LIGHT } from '../constants.js';
import type { EchoTensor } from '../echo-model.js';
import type { Ap, SystemParams, Vec2 } from '../scenario-types.js';

/**
 * Doppler lines of one AP at one position: the tensor contracted with a(θ) ⊗ d(τ) of that position
 * (one pass over the N_A N_c M samples), then a 4×-zero-padded FFT over the symbols; returns the
 * angular Doppler frequencies ω_f (rad/symbol, (−π, π]) of the `k` strongest local maxima,
 * refined by a parabola through the log-magnitudes. Targets sharing the AP's range cell and beam
 * show up as separate lines when their radial velocities differ.
 */
export function dopplerLines(y: EchoTensor, ap: Ap, sys: SystemParams, position: Vec2, k: number): number[] {
  const { na, nc, m, data } = y;
  const dx = position[0] - ap.position[0];
  const dy = position[1] - ap.position[1];
  const r = Math.hypot(dx, dy) || 1;
  const wd = (-2 * Math.PI * sys.subcarrierSpacingHz * 2 * r) / SPEED_OF_LIGHT;
  const wa = 2 * Math.PI * sys.antennaSpacingWavelengths * (dy / r);
  const v = new Float64Array(2 * m);
  for (let p = 0; p < na; p++) {
    for (let n = 0; n < nc; n++) {
      const ph = -(wa * (p + 1) + wd * (n + 1));
      const er = Math.cos(ph);
      const ei = Math.sin(ph);
      const o = 2 * (p * nc + n) * m;
      for (let j = 0; j < 2 * m; j += 2) {
        const yr = data[o + j] as number;
        const yi = data[o + j + 1] as number;
        v[j] = (v[j] as number) + er * yr - ei * yi;
        v[j + 1] = (v[j + 1] as number) + er * yi + ei * yr;
      }
    }
  }
  const K = 4 * m;
  const inBuf = new Float64Array(2 * K);
  inBuf.set(v);
  const out = new Float64Array(2 * K);
  fft(out, inBuf, K);
  // FFT bin q ↔ Σ_m v[m] e^{−j2πq m/K}: the matched filter of ω_f = 2πq/K
  const mag = new Float64Array(K);
  for (let q = 0; q < K; q++) mag[q] = Math.hypot(out[2 * q] as number, out[2 * q + 1] as number);
  const peaks: Array<{ q: number; v: number }> = [];
  for (let q = 0; q < K; q++) {
    const a = mag[(q - 1 + K) % K] as number;
    const b = mag[q] as number;
    const c = mag[(q + 1) % K] as number;
    if (b >= a && b > c) peaks.push({ q, v: b });
  }
  peaks.sort((x, z) => z.v - x.v);
  return peaks.slice(0, k).map(({ q }) => {
    const a = Math.log((mag[(q - 1 + K) % K] as number) + 1e-300);
    const b = Math.log((mag[q] as number) + 1e-300);
    const c = Math.log((mag[(q + 1) % K] as number) + 1e-300);
    const den = a - 2 * b + c;
    const off = den < 0 ? (0.5 * (a - c)) / den : 0;
    let w = (2 * Math.PI * (q + off)) / K;
    if (w > Math.PI) w -= 2 * Math.PI;
    return w;
  });
}

/**
 * Velocity (v_x, v_y) by least squares from per-AP Doppler ω_f at a position:
 * f_D,l = ω_f/(2πT) = −(2f_c/c)(v_x cos θ_l + v_y sin θ_l). Returns the velocity and the
 * squared residual in Hz².
 */
export function velocityFromDopplers(
  aps: readonly Ap[],
  sys: SystemParams,
  position: Vec2,
  w: readonly number[],
): { v: Vec2; residual: number } {
  const k = (2 * sys.carrierHz) / SPEED_OF_LIGHT;
  let a11 = 0;
  let a12 = 0;
  let a22 = 0;
  let b1 = 0;
  let b2 = 0;
  const rows: Array<[number, number, number]> = [];
  aps.forEach((ap, l) => {
    const dx = position[0] - ap.position[0];
    const dy = position[1] - ap.position[1];
    const r = Math.hypot(dx, dy) || 1;
    const cx = (-k * dx) / r;
    const cy = (-k * dy) / r;
    const fd = (w[l] as number) / (2 * Math.PI * sys.symbolDurationS);
    rows.push([cx, cy, fd]);
    a11 += cx * cx;
    a12 += cx * cy;
    a22 += cy * cy;
    b1 += cx * fd;
    b2 += cy * fd;
  });
  const det = a11 * a22 - a12 * a12;
  const v: Vec2 = Math.abs(det) > 0 ? [(a22 * b1 - a12 * b2) / det, (a11 * b2 - a12 * b1) / det] : [0, 0];
  let residual = 0;
  for (const [cx, cy, fd] of rows) residual += (cx * v[0] + cy * v[1] - fd) ** 2;
  return { v, residual };
}

/** All permutations of 0..k−1. */
export function permutations(k: number): number[][] {
  if (k <= 1) return [[0]];
  const out: number[][] = [];
  for (const p of permutations(k - 1))
    for (let i = 0; i < k; i++) out.push([...p.slice(0, i), k - 1, ...p.slice(i)]);
  return out;
}

/**
 * Re-associates the Doppler lines of a close group of targets (positions `pos`, sharing cells):
 * per AP the group's `k` strongest lines at the group's centroid; every assignment of lines to
 * targets (per AP a permutation) gives each target a least-squares velocity; returns the velocity
 * sets of the `best` assignments with the smallest total residual.
 */
export function reassociateVelocities(
  echoes: readonly EchoTensor[],
  aps: readonly Ap[],
  sys: SystemParams,
  pos: readonly Vec2[],
  best = 2,
): Vec2[][] {
  const k = pos.length;
  const cx = pos.reduce((s, p) => s + p[0], 0) / k;
  const cy = pos.reduce((s, p) => s + p[1], 0) / k;
  const lines = echoes.map((e, l) => dopplerLines(e, aps[l] as Ap, sys, [cx, cy], k));
  if (lines.some((ls) => ls.length < k)) return [];
  const perms = permutations(k);
  const L = aps.length;
  const choice = new Array<number>(L).fill(0);
  const found: Array<{ cost: number; v: Vec2[] }> = [];
  const total = Math.pow(perms.length, L);
  for (let c = 0; c < total; c++) {
    let x = c;
    for (let l = 0; l < L; l++) {
      choice[l] = x % perms.length;
      x = Math.floor(x / perms.length);
    }
    let cost = 0;
    const vs: Vec2[] = [];
    for (let u = 0; u < k; u++) {
      const w = lines.map((ls, l) => ls[(perms[choice[l] as number] as number[])[u] as number] as number);
      const fit = velocityFromDopplers(aps, sys, pos[u] as Vec2, w);
      cost += fit.residual;
      vs.push(fit.v);
    }
    found.push({ cost, v: vs });
  }
  found.sort((a, b) => a.cost - b.cost);
  return found.slice(0, best).map((f) => f.v);
}
