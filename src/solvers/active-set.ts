import type { Box } from './solver.js';

/**
 * Active set of a bound-constrained problem at x with gradient g: coordinate i is active (held
 * fixed) when it sits on a bound and the gradient pushes it outward
 * (x_i <= lower_i and g_i > 0, or x_i >= upper_i and g_i < 0). Writes free[i] = 1 for free
 * coordinates and returns true when the set differs from the previous content of `free`.
 */
export function updateFreeSet(x: Float64Array, g: Float64Array, box: Box, free: Uint8Array): boolean {
  let changed = false;
  for (let i = 0; i < x.length; i++) {
    const gi = g[i]!;
    const active = (x[i]! <= box.lower[i]! && gi > 0) || (x[i]! >= box.upper[i]! && gi < 0);
    const f = active ? 0 : 1;
    if (free[i] !== f) {
      free[i] = f;
      changed = true;
    }
  }
  return changed;
}

/**
 * Inf-norm of the projected gradient step, max_i |P(x − g)_i − x_i|: zero exactly at a
 * first-order (KKT) point of the box-constrained problem; |g|_inf when no bound is active.
 */
export function projectedGradientNorm(x: Float64Array, g: Float64Array, box: Box): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    let t = x[i]! - g[i]!;
    if (t < box.lower[i]!) t = box.lower[i]!;
    else if (t > box.upper[i]!) t = box.upper[i]!;
    const a = Math.abs(t - x[i]!);
    if (a > m) m = a;
  }
  return m;
}
