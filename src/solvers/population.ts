import type { Rng } from '../math/rng.js';
import { uniformInBox } from './box.js';
import type { Box } from './solver.js';

/**
 * Fills a row-major population (n × dim) with points uniform in the box; when `x0` is given it
 * becomes row 0 (a global solver may be seeded with a start point).
 */
export function uniformPopulation(rng: Rng, box: Box, xs: Float64Array, n: number, x0?: Float64Array): void {
  const dim = box.lower.length;
  for (let r = 0; r < n; r++) uniformInBox(rng, box, xs, r * dim);
  if (x0) xs.set(x0, 0);
}

/**
 * Latin hypercube sample of n points in the box (each coordinate's n strata used once, a
 * uniform point inside each stratum), row-major into xs; `x0` replaces row 0 when given.
 */
export function latinHypercube(rng: Rng, box: Box, xs: Float64Array, n: number, x0?: Float64Array): void {
  const dim = box.lower.length;
  for (let i = 0; i < dim; i++) {
    const lo = box.lower[i]!;
    const w = box.upper[i]! - lo;
    const perm = rng.permutation(n);
    for (let r = 0; r < n; r++) xs[r * dim + i] = lo + (w * (perm[r]! + rng.uniform())) / n;
  }
  if (x0) xs.set(x0, 0);
}

/** Index of the smallest of fs[0..n) (the first one on ties). */
export function argMin(fs: Float64Array, n: number): number {
  let b = 0;
  for (let r = 1; r < n; r++) if (fs[r]! < fs[b]!) b = r;
  return b;
}
