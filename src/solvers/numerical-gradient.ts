import type { Box } from './solver.js';

/** Relative step of central differences: eps^(1/3) balances O(h^2) truncation and eps/h rounding. */
export const CENTRAL_STEP = Math.cbrt(Number.EPSILON);

/**
 * Finite-difference gradient that never evaluates outside the box.
 *
 * Per coordinate, h = eps^(1/3)·max(1, |x_i|):
 * - central   g_i = (f(x + h e_i) − f(x − h e_i)) / 2h                  when both points are inside;
 * - backward  g_i = (3f(x) − 4f(x − h e_i) + f(x − 2h e_i)) / 2h         at an upper bound;
 * - forward   g_i = (−3f(x) + 4f(x + h e_i) − f(x + 2h e_i)) / 2h        at a lower bound;
 *   (both one-sided formulas are second-order, like the central one);
 * - in a box narrower than 2h: the secant over the whole interval; 0 when lower == upper.
 *
 * Two evaluations per coordinate; `fx` = f(x) is needed only by one-sided formulas and is taken
 * from `fx` when it is finite, else evaluated once. `work` (length n) is scratch; x is not changed.
 * Returns f(x) when it was known or evaluated, else NaN.
 */
export function numericalGradient(
  f: (x: Float64Array) => number,
  x: Float64Array,
  fx: number,
  box: Box,
  g: Float64Array,
  work: Float64Array,
): number {
  const n = x.length;
  work.set(x);
  let f0 = fx;
  for (let i = 0; i < n; i++) {
    const xi = x[i]!;
    const lo = box.lower[i]!;
    const hi = box.upper[i]!;
    const h = CENTRAL_STEP * Math.max(1, Math.abs(xi));
    let gi: number;
    if (xi - h >= lo && xi + h <= hi) {
      work[i] = xi + h;
      const fp = f(work);
      work[i] = xi - h;
      const fm = f(work);
      gi = (fp - fm) / (2 * h);
    } else if (xi - 2 * h >= lo) {
      if (Number.isNaN(f0)) f0 = f(x);
      work[i] = xi - h;
      const f1 = f(work);
      work[i] = xi - 2 * h;
      const f2 = f(work);
      gi = (3 * f0 - 4 * f1 + f2) / (2 * h);
    } else if (xi + 2 * h <= hi) {
      if (Number.isNaN(f0)) f0 = f(x);
      work[i] = xi + h;
      const f1 = f(work);
      work[i] = xi + 2 * h;
      const f2 = f(work);
      gi = (-3 * f0 + 4 * f1 - f2) / (2 * h);
    } else if (hi > lo) {
      work[i] = hi;
      const fp = f(work);
      work[i] = lo;
      const fm = f(work);
      gi = (fp - fm) / (hi - lo);
    } else {
      gi = 0;
    }
    work[i] = xi;
    g[i] = Number.isFinite(gi) ? gi : 0;
  }
  return f0;
}
