import { SPEED_OF_LIGHT } from '../constants.js';
import type { PairTerms } from './pair-terms.js';

/** A 2×3 block of a Jacobian for one AP: rows (x, y) or (v, θ_u), columns (τ, sin θ, f_D). */
export type Block2x3 = [[number, number, number], [number, number, number]];

/**
 * P_l exactly as printed in (13), for `paper-printed` only. Differs from the corrected P in the
 * Doppler column of the y-row: printed −Ξ_l/Θ_l instead of −Ξ_l Θ_l/η_l². Ξ_l is used in its
 * regular form (same value as f_D tan(θ_l − θ_u)). Not finite when Θ_l = 0.
 */
export function printedP(t: PairTerms): Block2x3 {
  const c = SPEED_OF_LIGHT;
  const { dx, dy, r, xi } = t;
  const r2 = r * r;
  const r3 = r2 * r;
  return [
    [(2 * dx) / (r * c), (dy * dx) / -r3, (xi * dy) / r2],
    [(2 * dy) / (r * c), (dx * dx) / r3, -xi / dx],
  ];
}

/**
 * T_l exactly as printed in (15), for `paper-printed` only (its τ and sin θ columns should be 0):
 *
 *     [ εΘ f_D/(ηΞc)   ϖ²/(vχ)   −2f_c ϖ/c   ]
 *     [ εΘ/(2ηc)       cos θ_l   −2f_c v χ/c ]
 *
 * Not finite when Ξ_l = 0 or χ_l = 0 (target moving along the AP's line of sight) or v = 0.
 */
export function printedT(t: PairTerms, speed: number, carrierHz: number): Block2x3 {
  const c = SPEED_OF_LIGHT;
  const { dx, dy, r, fd, xi, varpi, chi } = t;
  return [
    [(dy * dx * fd) / (r * xi * c), (varpi * varpi) / (speed * chi), (-2 * carrierHz * varpi) / c],
    [(dy * dx) / (2 * r * c), t.cosAoa, (-2 * carrierHz * speed * chi) / c],
  ];
}

/**
 * Relative size below which a divisor of (13) or (15) counts as zero: Θ_l/η_l for P, χ_l for T.
 * The printed entries diverge like 1/Θ_l and 1/χ_l; in floating point an exact zero (e.g. a
 * heading of π/4 towards an AP at 45°) comes out as ~1e-17, which would give a finite but absurd
 * bound instead of "not defined".
 */
export const PRINTED_DIVISOR_MIN = 1e-9;

/** Why (13) or (15) is not defined for this pair, or '' when both are. */
export function printedDegeneracy(t: PairTerms, speed: number): string {
  if (!(Math.abs(t.dx) > PRINTED_DIVISOR_MIN * t.r)) return 'P of (13) divides by Θ_l = x_u − x_l = 0';
  if (!(Math.abs(speed) > 0)) return 'T of (15) divides by v = 0';
  if (!(Math.abs(t.chi) > PRINTED_DIVISOR_MIN))
    return 'T of (15) divides by Ξ_l and sin(θ_l − θ_u), which are 0 (motion along the line of sight)';
  return '';
}

/** True when every entry of the block is finite. */
export function isFiniteBlock(b: Block2x3): boolean {
  return b.every((row) => row.every((v) => Number.isFinite(v)));
}
