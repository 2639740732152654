import type { CrbBound, Mat2 } from './crb-types.js';

/**
 * Summary of a bound given its (x, y) block `p` and (v, θ_u) block `a`:
 * √tr CRB_p, √tr CRB_a (m/s and rad added, as the paper does), the standard deviations, and the
 * bound on the Cartesian velocity u = (v cos θ_u, v sin θ_u) by the chain rule,
 * CRB_u = G CRB_a Gᵀ with G = ∂u/∂(v, θ_u) = [[cos θ_u, −v sin θ_u], [sin θ_u, v cos θ_u]].
 */
export function summariseBound(p: Mat2, a: Mat2, speed: number, heading: number): CrbBound {
  const c = Math.cos(heading);
  const s = Math.sin(heading);
  const g: Mat2 = [
    [c, -speed * s],
    [s, speed * c],
  ];
  const vel = congruence2(g, a);
  return {
    sqrtTrP: Math.sqrt(p[0][0] + p[1][1]),
    sqrtTrA: Math.sqrt(a[0][0] + a[1][1]),
    stdX: Math.sqrt(p[0][0]),
    stdY: Math.sqrt(p[1][1]),
    stdSpeed: Math.sqrt(a[0][0]),
    stdHeading: Math.sqrt(a[1][1]),
    sqrtTrVelXY: Math.sqrt(vel[0][0] + vel[1][1]),
    crbP: p,
    crbA: a,
    crbVelXY: vel,
  };
}

/** G A Gᵀ for 2×2 G and symmetric A. */
export function congruence2(g: Mat2, a: Mat2): Mat2 {
  const ga00 = g[0][0] * a[0][0] + g[0][1] * a[1][0];
  const ga01 = g[0][0] * a[0][1] + g[0][1] * a[1][1];
  const ga10 = g[1][0] * a[0][0] + g[1][1] * a[1][0];
  const ga11 = g[1][0] * a[0][1] + g[1][1] * a[1][1];
  const m00 = ga00 * g[0][0] + ga01 * g[0][1];
  const m01 = ga00 * g[1][0] + ga01 * g[1][1];
  const m11 = ga10 * g[1][0] + ga11 * g[1][1];
  return [
    [m00, m01],
    [m01, m11],
  ];
}

/** The 2×2 block of a 4×4 row-major matrix starting at (b0, b0). */
export function block2(m: Float64Array, b0: number): Mat2 {
  return [
    [m[4 * b0 + b0] as number, m[4 * b0 + b0 + 1] as number],
    [m[4 * (b0 + 1) + b0] as number, m[4 * (b0 + 1) + b0 + 1] as number],
  ];
}
