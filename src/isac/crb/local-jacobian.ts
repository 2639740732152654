import { SPEED_OF_LIGHT } from '../constants.js';
import type { PairTerms } from './pair-terms.js';

/**
 * Corrected local Jacobian G_l = ∂(τ_l, sin θ_l, f_D,l)/∂(x_u, y_u, v_u, θ_u), 3×4 row-major into
 * `out[off..off+12)` (model notes, "Corrected Jacobians"):
 *
 *     g_τ = ( 2Θ/(ηc),   2ε/(ηc),   0,          0           )
 *     g_s = ( −εΘ/η³,    Θ²/η³,     0,          0           )
 *     g_f = ( Ξε/η²,     −ΞΘ/η²,    −2f_c ϖ/c,  −2f_c v χ/c )
 *
 * The corrected P of (13) is the transpose of columns 0..1 (P = G[:, 0:2]ᵀ, 2×3 per AP) and the
 * corrected T of (15) the transpose of columns 2..3: delay and AoA do not depend on velocity.
 */
export function localJacobian(
  t: PairTerms,
  speed: number,
  carrierHz: number,
  out: Float64Array,
  off = 0,
): void {
  const c = SPEED_OF_LIGHT;
  const { dx, dy, r } = t;
  const r2 = r * r;
  const r3 = r2 * r;
  const k = (2 * carrierHz) / c;
  out[off] = (2 * dx) / (r * c);
  out[off + 1] = (2 * dy) / (r * c);
  out[off + 2] = 0;
  out[off + 3] = 0;
  out[off + 4] = (-dy * dx) / r3;
  out[off + 5] = (dx * dx) / r3;
  out[off + 6] = 0;
  out[off + 7] = 0;
  out[off + 8] = (t.xi * dy) / r2;
  out[off + 9] = (-t.xi * dx) / r2;
  out[off + 10] = -k * t.varpi;
  out[off + 11] = -k * speed * t.chi;
}

/** Corrected P_l (13) with the Doppler-row typo fixed: 2×3 row-major [x-row; y-row] over (τ, sin θ, f_D). */
export function correctedP(
  t: PairTerms,
  speed: number,
  carrierHz: number,
): [[number, number, number], [number, number, number]] {
  const g = new Float64Array(12);
  localJacobian(t, speed, carrierHz, g);
  return [
    [g[0] as number, g[4] as number, g[8] as number],
    [g[1] as number, g[5] as number, g[9] as number],
  ];
}

/** Corrected T_l (15): 2×3 row-major [v-row; θ_u-row] over (τ, sin θ, f_D); only the Doppler column is non-zero. */
export function correctedT(
  t: PairTerms,
  speed: number,
  carrierHz: number,
): [[number, number, number], [number, number, number]] {
  const g = new Float64Array(12);
  localJacobian(t, speed, carrierHz, g);
  return [
    [g[2] as number, g[6] as number, g[10] as number],
    [g[3] as number, g[7] as number, g[11] as number],
  ];
}

/**
 * Derivatives of G_l (above) with respect to the target position, ∂G/∂x_u and ∂G/∂y_u, each 3×4
 * row-major into `dGx[off..]`, `dGy[off..]`. Since G depends on (x_u − x_l, y_u − y_l), the
 * derivatives with respect to the AP position are the negatives. Used for the analytic gradient
 * of tr CRB with respect to AP positions. With θ = θ_l, k = 2f_c/c:
 * θ_x = −ε/η², θ_y = Θ/η², θ_xx = 2Θε/η⁴, θ_xy = (ε² − Θ²)/η⁴, θ_yy = −2Θε/η⁴;
 * g_f = (kvχθ_x, kvχθ_y, −kϖ, −kvχ) and ∂χ = ϖ∂θ, ∂ϖ = −χ∂θ.
 */
export function localJacobianPositionDerivatives(
  t: PairTerms,
  speed: number,
  carrierHz: number,
  dGx: Float64Array,
  dGy: Float64Array,
  off = 0,
): void {
  const c = SPEED_OF_LIGHT;
  const { dx, dy, r, varpi, chi } = t;
  const r2 = r * r;
  const r3 = r2 * r;
  const r4 = r2 * r2;
  const r5 = r4 * r;
  const k = (2 * carrierHz) / c;
  const kv = k * speed;
  // delay row
  const txx = (2 * dy * dy) / (r3 * c);
  const txy = (-2 * dx * dy) / (r3 * c);
  const tyy = (2 * dx * dx) / (r3 * c);
  // sin θ row
  const sxx = (dy * (2 * dx * dx - dy * dy)) / r5;
  const sxy = (dx * (2 * dy * dy - dx * dx)) / r5;
  const syy = (-3 * dx * dx * dy) / r5;
  // angle derivatives
  const thx = -dy / r2;
  const thy = dx / r2;
  const thxx = (2 * dx * dy) / r4;
  const thxy = (dy * dy - dx * dx) / r4;
  const thyy = (-2 * dx * dy) / r4;
  dGx[off] = txx;
  dGx[off + 1] = txy;
  dGx[off + 2] = 0;
  dGx[off + 3] = 0;
  dGx[off + 4] = sxx;
  dGx[off + 5] = sxy;
  dGx[off + 6] = 0;
  dGx[off + 7] = 0;
  dGx[off + 8] = kv * (varpi * thx * thx + chi * thxx);
  dGx[off + 9] = kv * (varpi * thx * thy + chi * thxy);
  dGx[off + 10] = k * chi * thx;
  dGx[off + 11] = -kv * varpi * thx;
  dGy[off] = txy;
  dGy[off + 1] = tyy;
  dGy[off + 2] = 0;
  dGy[off + 3] = 0;
  dGy[off + 4] = sxy;
  dGy[off + 5] = syy;
  dGy[off + 6] = 0;
  dGy[off + 7] = 0;
  dGy[off + 8] = kv * (varpi * thx * thy + chi * thxy);
  dGy[off + 9] = kv * (varpi * thy * thy + chi * thyy);
  dGy[off + 10] = k * chi * thy;
  dGy[off + 11] = -kv * varpi * thy;
}
