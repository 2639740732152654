import { SPEED_OF_LIGHT } from './constants.js';
import type { SystemParams, Target, Vec2 } from './scenario-types.js';

/** Geometry of one AP-target pair (model notes, Constants and conventions). */
export interface PairGeometry {
  /** Θ = x_u − x_l */
  dx: number;
  /** ε = y_u − y_l */
  dy: number;
  /** r = η = hypot(Θ, ε), m */
  range: number;
  /** θ_l = atan2(ε, Θ), rad (AoA, from +x) */
  aoa: number;
  /** τ_l = 2r/c, s */
  delay: number;
  /** f_D,l = −2 f_c v cos(θ_l − θ_u)/c, Hz (eq. 1) */
  doppler: number;
}

export function pairGeometry(ap: Vec2, target: Target, sys: SystemParams): PairGeometry {
  const dx = target.position[0] - ap[0];
  const dy = target.position[1] - ap[1];
  const range = Math.hypot(dx, dy);
  const aoa = Math.atan2(dy, dx);
  return {
    dx,
    dy,
    range,
    aoa,
    delay: (2 * range) / SPEED_OF_LIGHT,
    doppler:
      (-2 * sys.carrierHz * target.velocity.speed * Math.cos(aoa - target.velocity.heading)) / SPEED_OF_LIGHT,
  };
}

/** Position of a target after `dt` seconds of straight motion. */
export function advance(target: Target, dt: number): Target {
  const { speed, heading } = target.velocity;
  return {
    position: [
      target.position[0] + speed * Math.cos(heading) * dt,
      target.position[1] + speed * Math.sin(heading) * dt,
    ],
    velocity: { speed, heading },
  };
}

/** Cartesian velocity (v cos θ_u, v sin θ_u). */
export function cartesianVelocity(v: { speed: number; heading: number }): Vec2 {
  return [v.speed * Math.cos(v.heading), v.speed * Math.sin(v.heading)];
}
