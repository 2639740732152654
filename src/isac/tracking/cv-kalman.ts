import type { CartesianMeasurement, FilterState, TrackFilter } from './types.js';

/** What a track's measurement holds: position and velocity, or position only. */
export type TrackMeasure = 'position-velocity' | 'position';

export interface CvKalmanOptions {
  /** σ_p: std of a measured position coordinate, m */
  positionStdM: number;
  /** σ_v: std of a measured velocity component, m/s */
  velocityStdMps: number;
  /** q: power spectral density of the white-noise acceleration, m²/s³ */
  accelerationPsd: number;
  /** 'position-velocity' (H = I) or 'position' (H = [1 0]; the velocity only starts a track) */
  measure: TrackMeasure;
}

/**
 * Constant-velocity prediction of one axis' covariance [P_pp, P_pv, P_vv], in place:
 * P⁻ = F P Fᵀ + Q with F = [[1, dt], [0, 1]] and the continuous white-noise-acceleration
 * Q = q·[[dt³/3, dt²/2], [dt²/2, dt]] (Bar-Shalom, Li & Kirubarajan, Estimation with Applications
 * to Tracking and Navigation, 2001, eq. 6.2.2-12). dt in s, q in m²/s³.
 */
export function predictCovariance(p: Float64Array, dt: number, q: number): void {
  const a = p[0] as number;
  const b = p[1] as number;
  const c = p[2] as number;
  const dt2 = dt * dt;
  p[0] = a + 2 * dt * b + dt2 * c + (q * dt2 * dt) / 3;
  p[1] = b + dt * c + (q * dt2) / 2;
  p[2] = c + q * dt;
}

/**
 * Kalman update of one axis with a position-and-velocity measurement (H = I, R = diag(r_p, r_v)),
 * in place: K = P⁻ S⁻¹, S = P⁻ + R; state (pos, vel) ← (pos, vel) + K (z − (pos, vel)),
 * P ← P⁻ − P⁻ S⁻¹ P⁻ (symmetric by construction). `x` holds [x, y, vx, vy]; `axis` is 0 (x) or 1 (y).
 * Gains are computed once by the caller for both axes (they share P): this writes only the state.
 */
function correctAxis(
  x: Float64Array,
  axis: number,
  k11: number,
  k12: number,
  k21: number,
  k22: number,
  zp: number,
  zv: number,
): void {
  const rp = zp - (x[axis] as number);
  const rv = zv - (x[axis + 2] as number);
  x[axis] = (x[axis] as number) + k11 * rp + k12 * rv;
  x[axis + 2] = (x[axis + 2] as number) + k21 * rp + k22 * rv;
}

/**
 * Constant-velocity Kalman filter in Cartesian coordinates, state (x, y, vx, vy). With isotropic
 * measurement noise (σ_p on each position coordinate, σ_v on each velocity component) and
 * isotropic process noise the 4-state filter splits exactly into two identical 2-state filters,
 * (x, vx) and (y, vy), with the same covariance: one 2x2 covariance per track serves both axes.
 * A track starts at its first measurement with P = R (the velocity variance σ_v² also when only
 * the position is measured: the fused velocity is then used to start the track only).
 */
export class CvKalmanFilter implements TrackFilter {
  private readonly rp: number;
  private readonly rv: number;

  constructor(private readonly o: CvKalmanOptions) {
    this.rp = o.positionStdM * o.positionStdM;
    this.rv = o.velocityStdMps * o.velocityStdMps;
  }

  init(z: CartesianMeasurement): FilterState {
    return {
      x: Float64Array.of(z.position[0], z.position[1], z.velocity[0], z.velocity[1]),
      cov: Float64Array.of(this.rp, 0, this.rv),
    };
  }

  predict(s: FilterState, dt: number): void {
    const x = s.x;
    x[0] = (x[0] as number) + dt * (x[2] as number);
    x[1] = (x[1] as number) + dt * (x[3] as number);
    predictCovariance(s.cov, dt, this.o.accelerationPsd);
  }

  update(s: FilterState, z: CartesianMeasurement): void {
    const p = s.cov;
    const a = p[0] as number;
    const b = p[1] as number;
    const c = p[2] as number;
    if (this.o.measure === 'position') {
      // H = [1 0]: S = P_pp + r_p, K = [P_pp, P_pv] / S.
      const sInv = 1 / (a + this.rp);
      const k1 = a * sInv;
      const k2 = b * sInv;
      for (let axis = 0; axis < 2; axis++) {
        const r = (z.position[axis] as number) - (s.x[axis] as number);
        s.x[axis] = (s.x[axis] as number) + k1 * r;
        s.x[axis + 2] = (s.x[axis + 2] as number) + k2 * r;
      }
      p[0] = a - a * k1;
      p[1] = b - a * k2;
      p[2] = c - b * k2;
      return;
    }
    // H = I: S = P⁻ + R, S⁻¹ = [[s22, −b], [−b, s11]] / det.
    const s11 = a + this.rp;
    const s22 = c + this.rv;
    const det = s11 * s22 - b * b;
    const i11 = s22 / det;
    const i12 = -b / det;
    const i22 = s11 / det;
    const k11 = a * i11 + b * i12;
    const k12 = a * i12 + b * i22;
    const k21 = b * i11 + c * i12;
    const k22 = b * i12 + c * i22;
    correctAxis(s.x, 0, k11, k12, k21, k22, z.position[0], z.velocity[0]);
    correctAxis(s.x, 1, k11, k12, k21, k22, z.position[1], z.velocity[1]);
    // P = P⁻ − K P⁻ (= P⁻ − P⁻ S⁻¹ P⁻, symmetric): the off-diagonal from both sides, averaged.
    p[0] = a - (k11 * a + k12 * b);
    p[1] = b - 0.5 * (k11 * b + k12 * c + k21 * a + k22 * b);
    p[2] = c - (k21 * b + k22 * c);
  }
}
