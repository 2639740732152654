/**
 * Minimum-cost assignment of rows to columns (linear sum assignment) on a dense row-major cost
 * matrix. When rows ≠ cols, min(rows, cols) pairs are formed and the rest stay unassigned.
 * Costs must be finite. Ties are broken deterministically (first minimum found).
 */

export interface Assignment {
  /** column of each row, −1 when the row is unassigned (only when rows > cols) */
  rowToCol: Int32Array;
  /** sum of the costs of the assigned pairs */
  total: number;
}

/** Largest side for which `minCostAssignment` enumerates permutations instead of Hungarian. */
export const BRUTE_FORCE_MAX = 7;

function checkCost(cost: ArrayLike<number>, rows: number, cols: number): void {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
    throw new RangeError(`assignment: bad shape ${rows}x${cols}`);
  }
  if (cost.length < rows * cols)
    throw new RangeError(`assignment: cost has ${cost.length} < ${rows * cols} entries`);
  for (let k = 0; k < rows * cols; k++) {
    if (!Number.isFinite(cost[k])) throw new RangeError(`assignment: cost[${k}] = ${cost[k]} is not finite`);
  }
}

function transpose(cost: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const t = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) t[j * rows + i] = cost[i * cols + j] as number;
  return t;
}

/** Runs `solveWide` (rows ≤ cols) on the matrix or its transpose and maps back to rows. */
function solve(
  cost: ArrayLike<number>,
  rows: number,
  cols: number,
  solveWide: (c: ArrayLike<number>, n: number, m: number) => Int32Array,
): Assignment {
  checkCost(cost, rows, cols);
  const rowToCol = new Int32Array(rows).fill(-1);
  if (rows === 0 || cols === 0) return { rowToCol, total: 0 };
  if (rows <= cols) {
    rowToCol.set(solveWide(cost, rows, cols));
  } else {
    const colToRow = solveWide(transpose(cost, rows, cols), cols, rows);
    for (let j = 0; j < cols; j++) rowToCol[colToRow[j] as number] = j;
  }
  let total = 0;
  for (let i = 0; i < rows; i++) {
    const j = rowToCol[i] as number;
    if (j >= 0) total += cost[i * cols + j] as number;
  }
  return { rowToCol, total };
}

/** Exhaustive search over the injective maps rows → cols (n ≤ m), lexicographic order. */
function bruteWide(cost: ArrayLike<number>, n: number, m: number): Int32Array {
  const best = new Int32Array(n);
  const cur = new Int32Array(n);
  const used = new Uint8Array(m);
  let bestTotal = Infinity;
  const visit = (i: number, acc: number): void => {
    if (i === n) {
      if (acc < bestTotal) {
        bestTotal = acc;
        best.set(cur);
      }
      return;
    }
    for (let j = 0; j < m; j++) {
      if (used[j]) continue;
      used[j] = 1;
      cur[i] = j;
      visit(i + 1, acc + (cost[i * m + j] as number));
      used[j] = 0;
    }
  };
  visit(0, 0);
  return best;
}

/**
 * Hungarian algorithm with potentials (Kuhn–Munkres, shortest augmenting paths), O(n² m) for
 * n ≤ m. Returns the column of each row.
 */
function hungarianWide(cost: ArrayLike<number>, n: number, m: number): Int32Array {
  // 1-based potentials u (rows), v (cols); p[j] = row matched to column j (0 = none).
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1);
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
        const c = (cost[(i0 - 1) * m + (j - 1)] as number) - (u[i0] as number) - (v[j] as number);
        if (c < (minv[j] as number)) {
          minv[j] = c;
          way[j] = j0;
        }
        if ((minv[j] as number) < delta) {
          delta = minv[j] as number;
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          const r = p[j] as number;
          u[r] = (u[r] as number) + delta;
          v[j] = (v[j] as number) - delta;
        } else {
          minv[j] = (minv[j] as number) - delta;
        }
      }
      j0 = j1;
    } while ((p[j0] as number) !== 0);
    do {
      const j1 = way[j0] as number;
      p[j0] = p[j1] as number;
      j0 = j1;
    } while (j0 !== 0);
  }
  const out = new Int32Array(n).fill(-1);
  for (let j = 1; j <= m; j++) {
    const r = p[j] as number;
    if (r > 0) out[r - 1] = j - 1;
  }
  return out;
}

/** Optimal assignment by exhaustive enumeration (reference; use for max(rows, cols) ≤ 7). */
export function bruteForceAssignment(cost: ArrayLike<number>, rows: number, cols: number): Assignment {
  return solve(cost, rows, cols, bruteWide);
}

/** Optimal assignment by the Hungarian algorithm, O(min³·max)-ish, any size. */
export function hungarianAssignment(cost: ArrayLike<number>, rows: number, cols: number): Assignment {
  return solve(cost, rows, cols, hungarianWide);
}

/** Brute force when max(rows, cols) ≤ BRUTE_FORCE_MAX, Hungarian above. */
export function minCostAssignment(cost: ArrayLike<number>, rows: number, cols: number): Assignment {
  return Math.max(rows, cols) <= BRUTE_FORCE_MAX
    ? bruteForceAssignment(cost, rows, cols)
    : hungarianAssignment(cost, rows, cols);
}
