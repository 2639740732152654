import { hungarianAssignment } from '../../math/assignment.js';

/**
 * Minimum-cost assignment (Hungarian algorithm, src/math/assignment.ts) of the n rows of a cost
 * matrix to distinct columns, n <= m. `cost` is row-major n x m. Returns for each row its column.
 * Non-finite costs are treated as a large finite cost, so the result is always a complete
 * assignment.
 */
export function hungarian(cost: Float64Array | readonly number[], n: number, m: number): Int32Array {
  if (n > m) throw new RangeError(`hungarian: more rows (${n}) than columns (${m})`);
  if (n === 0) return new Int32Array(0);
  let maxFinite = 0;
  for (let k = 0; k < n * m; k++) {
    const v = cost[k] as number;
    if (Number.isFinite(v)) maxFinite = Math.max(maxFinite, Math.abs(v));
  }
  const big = (maxFinite + 1) * (n + 1) * 4;
  const c = new Float64Array(n * m);
  for (let k = 0; k < n * m; k++) {
    const v = cost[k] as number;
    c[k] = Number.isFinite(v) ? v : big;
  }
  return hungarianAssignment(c, n, m).rowToCol;
}
