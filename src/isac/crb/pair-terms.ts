import { SPEED_OF_LIGHT } from '../constants.js';
import { dopplerXi } from './xi.js';

/**
 * Geometry terms of one AP-target pair used by the CRB (model notes, "Constants and conventions";
 * symbols of Section II.B): Θ = x_u − x_l, ε = y_u − y_l, η = hypot(Θ, ε), θ_l = atan2(ε, Θ),
 * ϖ = cos(θ_l − θ_u), χ = sin(θ_l − θ_u), τ = 2η/c, f_D = −2 f_c v ϖ/c, Ξ = −2 f_c v χ/c.
 * cos θ_l = Θ/η and sin θ_l = ε/η, so no trigonometric call is needed besides cos/sin θ_u.
 * A mutable record so that hot loops can reuse one instance.
 */
export interface PairTerms {
  /** Θ, m */
  dx: number;
  /** ε, m */
  dy: number;
  /** η = r, m */
  r: number;
  /** cos θ_l */
  cosAoa: number;
  /** sin θ_l */
  sinAoa: number;
  /** ϖ = cos(θ_l − θ_u) */
  varpi: number;
  /** χ = sin(θ_l − θ_u) */
  chi: number;
  /** τ, s */
  tau: number;
  /** f_D, Hz */
  fd: number;
  /** Ξ, Hz */
  xi: number;
}

export function newPairTerms(): PairTerms {
  return { dx: 0, dy: 0, r: 0, cosAoa: 1, sinAoa: 0, varpi: 1, chi: 0, tau: 0, fd: 0, xi: 0 };
}

/**
 * Fills `out` with the terms of AP (apX, apY) and a target at (x, y) moving with `speed` along
 * `heading` (cos/sin of the heading passed in so a caller can hoist them). Returns `out`.
 * With r = 0 (target on the AP) the angle terms are set to θ_l = 0; callers report that case.
 */
export function pairTerms(
  apX: number,
  apY: number,
  x: number,
  y: number,
  speed: number,
  cosHeading: number,
  sinHeading: number,
  carrierHz: number,
  out: PairTerms,
): PairTerms {
  const dx = x - apX;
  const dy = y - apY;
  const r = Math.hypot(dx, dy);
  const c = r > 0 ? dx / r : 1;
  const s = r > 0 ? dy / r : 0;
  const varpi = c * cosHeading + s * sinHeading;
  const chi = s * cosHeading - c * sinHeading;
  out.dx = dx;
  out.dy = dy;
  out.r = r;
  out.cosAoa = c;
  out.sinAoa = s;
  out.varpi = varpi;
  out.chi = chi;
  out.tau = (2 * r) / SPEED_OF_LIGHT;
  out.fd = (-2 * carrierHz * speed * varpi) / SPEED_OF_LIGHT;
  out.xi = dopplerXi(carrierHz, speed, chi);
  return out;
}
