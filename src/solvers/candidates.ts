import type { Box } from './solver.js';

export interface Candidate {
  x: Float64Array;
  value: number;
}

/** Default number of candidates a global solver reports. */
export const CANDIDATES = 5;

/**
 * Two points are "distinct" when they differ by more than this fraction of the box width in
 * some coordinate (inf-norm in box-normalised coordinates).
 */
export const DISTINCT_FRACTION = 1e-2;

/** True when a and b differ by more than `fraction` of the box width in some coordinate. */
export function distinct(a: Float64Array, b: Float64Array, box: Box, fraction = DISTINCT_FRACTION): boolean {
  for (let i = 0; i < a.length; i++) {
    const w = box.upper[i]! - box.lower[i]!;
    const tol = Number.isFinite(w) ? fraction * w : fraction * Math.max(1, Math.abs(a[i]!));
    if (Math.abs(a[i]! - b[i]!) > tol) return true;
  }
  return false;
}

/**
 * Adds `c` to a best-first list of distinct candidates of at most `k` entries: a point close to a
 * listed one replaces it only when better. Copies nothing: pass a fresh x.
 */
export function offerCandidate(list: Candidate[], c: Candidate, box: Box, k = CANDIDATES): void {
  if (!Number.isFinite(c.value) && list.length > 0) return;
  for (let j = 0; j < list.length; j++) {
    if (!distinct(list[j]!.x, c.x, box)) {
      if (c.value < list[j]!.value) {
        list.splice(j, 1);
        break;
      }
      return;
    }
  }
  let pos = list.length;
  while (pos > 0 && list[pos - 1]!.value > c.value) pos--;
  if (pos >= k) return;
  list.splice(pos, 0, c);
  if (list.length > k) list.length = k;
}

/**
 * The up-to-k best distinct rows of a row-major population (n × dim) with values `fs`,
 * merged into `list` (best first). Copies the chosen rows.
 */
export function offerPopulation(
  list: Candidate[],
  xs: Float64Array,
  fs: Float64Array,
  n: number,
  box: Box,
  k = CANDIDATES,
): void {
  const dim = box.lower.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => fs[a]! - fs[b]!);
  for (const r of order) {
    const v = fs[r]!;
    if (list.length >= k && v >= list[list.length - 1]!.value) break;
    offerCandidate(list, { x: xs.slice(r * dim, (r + 1) * dim), value: v }, box, k);
  }
}
