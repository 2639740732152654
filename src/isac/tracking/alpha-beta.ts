import type { TrackMeasure } from './cv-kalman.js';
import type { CartesianMeasurement, FilterState, TrackFilter } from './types.js';

export interface AlphaBetaOptions {
  /** α: position gain, in (0, 1] */
  alpha: number;
  /** β: velocity gain (dimensionless; see `measure`) */
  beta: number;
  /** 'position-velocity': v ← v⁻ + β (z_v − v⁻); 'position': the classical v ← v⁻ + (β/dt)(z_p − p⁻) */
  measure: TrackMeasure;
}

/**
 * Benedict–Bordner gain β = α²/(2 − α) of the classical α-β filter (position-only measurements),
 * the fixed-gain filter that minimises the noise for a given transient (Benedict & Bordner 1962).
 */
export function benedictBordnerBeta(alpha: number): number {
  return (alpha * alpha) / (2 - alpha);
}

/**
 * Fixed-gain α-β filter on the constant-velocity model, per axis:
 * predict p⁻ = p + dt·v, v⁻ = v; correct p = p⁻ + α (z_p − p⁻) and
 * v = v⁻ + β (z_v − v⁻) when the velocity is measured, or the classical
 * v = v⁻ + (β/dt)(z_p − p⁻) when only the position is (Kalata 1984: steady-state position noise
 * ratio (2α² + 2β − 3αβ) / (α(4 − 2α − β))). A track starts at its first measurement (position
 * and velocity). No covariance is kept.
 */
export class AlphaBetaFilter implements TrackFilter {
  constructor(private readonly o: AlphaBetaOptions) {}

  init(z: CartesianMeasurement): FilterState {
    return {
      x: Float64Array.of(z.position[0], z.position[1], z.velocity[0], z.velocity[1]),
      cov: new Float64Array(0),
    };
  }

  predict(s: FilterState, dt: number): void {
    const x = s.x;
    x[0] = (x[0] as number) + dt * (x[2] as number);
    x[1] = (x[1] as number) + dt * (x[3] as number);
  }

  update(s: FilterState, z: CartesianMeasurement, dt: number): void {
    const { alpha, beta, measure } = this.o;
    const x = s.x;
    for (let axis = 0; axis < 2; axis++) {
      const r = (z.position[axis] as number) - (x[axis] as number);
      x[axis] = (x[axis] as number) + alpha * r;
      if (measure === 'position') {
        // A zero step (dt = 0) carries no velocity information: keep the velocity.
        if (dt > 0) x[axis + 2] = (x[axis + 2] as number) + (beta / dt) * r;
      } else {
        x[axis + 2] =
          (x[axis + 2] as number) + beta * ((z.velocity[axis] as number) - (x[axis + 2] as number));
      }
    }
  }
}
