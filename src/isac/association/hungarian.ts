/**
 * Minimum-cost assignment (Hungarian algorithm, Kuhn-Munkres with potentials; O(n² m)) of the n rows
 * of a cost matrix to distinct columns, n <= m. `cost` is row-major n x m. Returns for each row its
 * column. Non-finite costs are treated as a large finite cost, so the result is always a complete
 * assignment.
 */
export function hungarian(cost: Float64Array | readonly number[], n: number, m: number): Int32Array {
  if (n > m) throw new RangeError(`hungarian: more rows (${n}) than columns (${m})`);
  const result = new Int32Array(n);
  if (n === 0) return result;
  let maxFinite = 0;
  for (let k = 0; k < n * m; k++) {
    const v = cost[k] as number;
    if (Number.isFinite(v)) maxFinite = Math.max(maxFinite, Math.abs(v));
  }
  const big = (maxFinite + 1) * (n + 1) * 4;
  const at = (i: number, j: number): number => {
    const v = cost[i * m + j] as number;
    return Number.isFinite(v) ? v : big;
  };
  // 1-based arrays as in the classic formulation; column 0 is a virtual column
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1); // p[j]: row assigned to column j (0 = none)
  const way = new Int32Array(m + 1);
  const minv = new Float64Array(m + 1);
  const used = new Uint8Array(m + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    minv.fill(Infinity);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = p[j0] as number;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = at(i0 - 1, j - 1) - (u[i0] as number) - (v[j] as number);
        if (cur < (minv[j] as number)) {
          minv[j] = cur;
          way[j] = j0;
        }
        if ((minv[j] as number) < delta) {
          delta = minv[j] as number;
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[p[j] as number] = (u[p[j] as number] as number) + delta;
          v[j] = (v[j] as number) - delta;
        } else minv[j] = (minv[j] as number) - delta;
      }
      j0 = j1;
    } while ((p[j0] as number) !== 0);
    do {
      const j1 = way[j0] as number;
      p[j0] = p[j1] as number;
      j0 = j1;
    } while (j0 !== 0);
  }
  for (let j = 1; j <= m; j++) if ((p[j] as number) > 0) result[(p[j] as number) - 1] = j - 1;
  return result;
}
