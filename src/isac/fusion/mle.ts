import type { Objective } from '../../solvers/solver.js';
import type { ApObservation, TargetObservation } from '../association/types.js';
import { SPEED_OF_LIGHT } from '../constants.js';
import type { Ap, SystemParams, Vec2 } from '../scenario-types.js';

/**
 * Weights of the data-level (MLE) baseline:
 * - 'crb': each measurement weighted by the inverse of its single-tone Cramér-Rao variance at the
 *   AP's estimated SNR |α̂_l|²/σ̂_l² (what a maximum-likelihood fusion of Gaussian estimates does);
 * - 'equal': the same variances with SNR = 1 at every AP (the APs count equally; the three kinds of
 *   measurement keep their relative scale).
 */
export type MleWeights = 'crb' | 'equal';

/** One AP's measurements of one target and their variances (Infinity = not used). */
export interface WeightedMeasurement {
  x: number;
  y: number;
  /** r̂, m */
  range: number;
  /** sin θ̂ */
  sinAoa: number;
  /** f̂_D, Hz */
  doppler: number;
  varRange: number;
  varSin: number;
  varDoppler: number;
}

/**
 * Per-AP measurements with variances (model notes, exact-mode closed forms with N = N_A N_c M and
 * SNR_l = |α̂_l|²/σ̂_l²):
 *   var τ̂ = 1/(2 SNR N (2πΔf)² (N_c²−1)/12),  var r̂ = (c/2)² var τ̂,
 *   var sin θ̂ = 1/(2 SNR N (2πκ)² (N_A²−1)/12)   (no angle with N_A = 1),
 *   var f̂_D = 1/(2 SNR N (2πT)² (M²−1)/12).
 * An AP with SNR 0 (or non-finite estimates) gets infinite variances: it does not count.
 */
export function weightedMeasurements(
  obs: TargetObservation,
  aps: readonly Ap[],
  sys: SystemParams,
  weights: MleWeights,
): WeightedMeasurement[] {
  return obs.perAp.map((o: ApObservation) => {
    const ap = aps[o.ap];
    if (!ap) throw new RangeError(`observation of AP ${o.ap} but the layout has ${aps.length} APs`);
    const na = o.angleFactor.length >> 1;
    const nc = o.delayFactor.length >> 1;
    const m = o.dopplerFactor.length >> 1;
    const power = o.amplitude[0] ** 2 + o.amplitude[1] ** 2;
    const noise = Math.max(o.noiseVariance, 1e-12 * power, 1e-300);
    let snr = weights === 'equal' ? 1 : power / noise;
    if (!Number.isFinite(snr) || snr < 0) snr = 0;
    const n = na * nc * m;
    const base = 2 * snr * n;
    const varTau = 1 / (base * (2 * Math.PI * sys.subcarrierSpacingHz) ** 2 * ((nc * nc - 1) / 12));
    const varSin =
      na >= 2
        ? 1 / (base * (2 * Math.PI * sys.antennaSpacingWavelengths) ** 2 * ((na * na - 1) / 12))
        : Infinity;
    const varDoppler = 1 / (base * (2 * Math.PI * sys.symbolDurationS) ** 2 * ((m * m - 1) / 12));
    const finite = Number.isFinite(o.range) && Number.isFinite(o.sinAoa) && Number.isFinite(o.doppler);
    const fix = (v: number) => (finite && v > 0 && Number.isFinite(v) ? v : Infinity);
    return {
      x: ap.position[0],
      y: ap.position[1],
      range: o.range,
      sinAoa: o.sinAoa,
      doppler: o.doppler,
      varRange: fix((SPEED_OF_LIGHT / 2) ** 2 * varTau),
      varSin: fix(varSin),
      varDoppler: fix(varDoppler),
    };
  });
}

/**
 * Weighted least squares of the per-AP ranges and sines of the AoA (the MLE of [7] for Gaussian
 * estimates): J(p) = Σ_l (|p − c_l| − r̂_l)²/var r̂_l + (sin θ_l(p) − sin θ̂_l)²/var sin θ̂_l,
 * sin θ_l(p) = (y − y_l)/|p − c_l|. An {@link Objective} of dim 2 with its analytic gradient.
 * Unbounded it diverges on bad data (model notes): solve it inside a box.
 */
export class WlsLocationObjective implements Objective {
  readonly dim = 2;
  private readonly wr: Float64Array;
  private readonly ws: Float64Array;
  constructor(private readonly meas: readonly WeightedMeasurement[]) {
    this.wr = Float64Array.from(meas, (m) => (Number.isFinite(m.varRange) ? 1 / m.varRange : 0));
    this.ws = Float64Array.from(meas, (m) => (Number.isFinite(m.varSin) ? 1 / m.varSin : 0));
  }

  value(x: Float64Array): number {
    let s = 0;
    for (let l = 0; l < this.meas.length; l++) {
      const m = this.meas[l]!;
      const dx = x[0]! - m.x;
      const dy = x[1]! - m.y;
      const r = Math.sqrt(dx * dx + dy * dy);
      const er = r - m.range;
      const es = (r > 0 ? dy / r : 0) - m.sinAoa;
      if (this.wr[l]! > 0) s += this.wr[l]! * er * er;
      if (this.ws[l]! > 0) s += this.ws[l]! * es * es;
    }
    return s;
  }

  gradient(x: Float64Array, g: Float64Array): number {
    let s = 0;
    let gx = 0;
    let gy = 0;
    for (let l = 0; l < this.meas.length; l++) {
      const m = this.meas[l]!;
      const dx = x[0]! - m.x;
      const dy = x[1]! - m.y;
      const r = Math.sqrt(dx * dx + dy * dy);
      if (!(r > 0)) continue;
      const er = r - m.range;
      const es = dy / r - m.sinAoa;
      const wr = this.wr[l]!;
      const ws = this.ws[l]!;
      if (wr > 0) {
        s += wr * er * er;
        gx += (2 * wr * er * dx) / r;
        gy += (2 * wr * er * dy) / r;
      }
      if (ws > 0) {
        s += ws * es * es;
        const r3 = r * r * r;
        gx -= (2 * ws * es * dy * dx) / r3;
        gy += (2 * ws * es * dx * dx) / r3;
      }
    }
    g[0] = gx;
    g[1] = gy;
    return s;
  }
}

/**
 * Start points of the bounded location search: the association's fit and, per AP, the two points at
 * range r̂_l along the bearings θ and π − θ that share sin θ̂_l.
 */
export function wlsStarts(meas: readonly WeightedMeasurement[], fit: Vec2): Vec2[] {
  const out: Vec2[] = [];
  if (Number.isFinite(fit[0]) && Number.isFinite(fit[1])) out.push([fit[0], fit[1]]);
  for (const m of meas) {
    if (!Number.isFinite(m.range)) continue;
    const s = Math.max(-1, Math.min(1, Number.isFinite(m.sinAoa) ? m.sinAoa : 0));
    const c = Math.sqrt(1 - s * s);
    out.push([m.x + m.range * c, m.y + m.range * s]);
    out.push([m.x - m.range * c, m.y + m.range * s]);
  }
  return out;
}

/** Result of the bounded velocity least squares. */
export interface VelocityFit {
  /** Cartesian velocity, m/s */
  vx: number;
  vy: number;
  /** Σ_l (f_l(v) − f̂_l)²/var f̂_l at the solution */
  cost: number;
  /** true when the speed limit was active */
  limited: boolean;
}

/**
 * Velocity by weighted least squares of the per-AP Dopplers given the location p̂:
 * f_l(v) = −(2f_c/c)(v_x cos θ_l + v_y sin θ_l), θ_l = atan2 from p̂ (linear in v), subject to
 * |v| <= v_max: the unconstrained 2 x 2 solution, or on the circle |v| = v_max the solution of
 * (A + μI)v = b with μ >= 0 found by bisection (|v(μ)| decreases in μ).
 */
export function velocityWls(
  meas: readonly WeightedMeasurement[],
  p: Vec2,
  sys: SystemParams,
  speedMax: number,
): VelocityFit {
  const k = (2 * sys.carrierHz) / SPEED_OF_LIGHT;
  let a11 = 0;
  let a12 = 0;
  let a22 = 0;
  let b1 = 0;
  let b2 = 0;
  let scale = 0;
  for (const m of meas) {
    if (!Number.isFinite(m.varDoppler)) continue;
    const th = Math.atan2(p[1] - m.y, p[0] - m.x);
    const w = 1 / m.varDoppler;
    const ax = -k * Math.cos(th);
    const ay = -k * Math.sin(th);
    a11 += w * ax * ax;
    a12 += w * ax * ay;
    a22 += w * ay * ay;
    b1 += w * ax * m.doppler;
    b2 += w * ay * m.doppler;
    scale += w * k * k;
  }
  const solve = (mu: number): Vec2 => {
    // a tiny ridge keeps a rank-deficient geometry (all APs on one bearing) defined
    const d11 = a11 + mu + 1e-12 * scale;
    const d22 = a22 + mu + 1e-12 * scale;
    const det = d11 * d22 - a12 * a12;
    if (!(det > 0)) return [0, 0];
    return [(d22 * b1 - a12 * b2) / det, (d11 * b2 - a12 * b1) / det];
  };
  let v = solve(0);
  let limited = false;
  if (Math.hypot(v[0], v[1]) > speedMax) {
    limited = true;
    let lo = 0;
    let hi = Math.max(scale, 1e-300);
    while (Math.hypot(...solve(hi)) > speedMax && hi < 1e300) hi *= 4;
    for (let it = 0; it < 200; it++) {
      const mid = 0.5 * (lo + hi);
      if (Math.hypot(...solve(mid)) > speedMax) lo = mid;
      else hi = mid;
      if (hi - lo <= 1e-14 * hi) break;
    }
    v = solve(hi);
  }
  let cost = 0;
  for (const m of meas) {
    if (!Number.isFinite(m.varDoppler)) continue;
    const th = Math.atan2(p[1] - m.y, p[0] - m.x);
    const e = -k * (v[0] * Math.cos(th) + v[1] * Math.sin(th)) - m.doppler;
    cost += (e * e) / m.varDoppler;
  }
  return { vx: v[0], vy: v[1], cost, limited };
}
