import { describe, expect, it } from 'vitest';
import { bruteForceAssignment, hungarianAssignment, minCostAssignment } from '../../src/math/assignment.js';
import { Rng } from '../../src/math/rng.js';

function isInjective(rowToCol: Int32Array, rows: number, cols: number): boolean {
  const seen = new Set<number>();
  let assigned = 0;
  for (const j of rowToCol) {
    if (j < 0) continue;
    if (j >= cols || seen.has(j)) return false;
    seen.add(j);
    assigned++;
  }
  return assigned === Math.min(rows, cols);
}

function totalOf(cost: Float64Array, rowToCol: Int32Array, cols: number): number {
  let s = 0;
  rowToCol.forEach((j, i) => {
    if (j >= 0) s += cost[i * cols + j] as number;
  });
  return s;
}

describe('assignment', () => {
  it('Hungarian reaches the brute-force minimum on 600 random matrices (square and rectangular, 1..7)', () => {
    const rng = new Rng(['test', 'assignment']);
    for (let trial = 0; trial < 600; trial++) {
      const rows = 1 + rng.int(7);
      const cols = 1 + rng.int(7);
      const cost = new Float64Array(rows * cols);
      // Half the cases with small integer costs, which have many ties.
      const ints = trial % 2 === 0;
      for (let k = 0; k < cost.length; k++) cost[k] = ints ? rng.int(4) : rng.uniformIn(-5, 100);
      const bf = bruteForceAssignment(cost, rows, cols);
      const hu = hungarianAssignment(cost, rows, cols);
      expect(isInjective(bf.rowToCol, rows, cols)).toBe(true);
      expect(isInjective(hu.rowToCol, rows, cols)).toBe(true);
      expect(hu.total).toBeCloseTo(bf.total, 9);
      expect(totalOf(cost, hu.rowToCol, cols)).toBeCloseTo(hu.total, 9);
    }
  });

  it('Hungarian reaches the brute-force minimum at the sizes where it is used (8 and 9)', () => {
    const rng = new Rng(['test', 'assignment', 'large']);
    for (let trial = 0; trial < 12; trial++) {
      const rows = 8 + (trial % 2);
      const cols = 6 + (trial % 4);
      const cost = Float64Array.from({ length: rows * cols }, () => rng.uniformIn(0, 10));
      expect(minCostAssignment(cost, rows, cols).total).toBeCloseTo(
        bruteForceAssignment(cost, rows, cols).total,
        9,
      );
    }
  });

  it('brute force is the minimum over all permutations (checked against an explicit list for 3x3)', () => {
    const cost = Float64Array.from([4, 1, 3, 2, 0, 5, 3, 2, 2]);
    // The 6 permutations of 3 columns: totals 4+0+2=6, 4+5+2=11, 1+2+2=5, 1+5+3=9, 3+2+2=7, 3+0+3=6.
    const r = bruteForceAssignment(cost, 3, 3);
    expect(r.total).toBe(5);
    expect([...r.rowToCol]).toEqual([1, 0, 2]);
  });

  it('leaves rows unassigned when there are more rows than columns', () => {
    const cost = Float64Array.from([10, 1, 0.5, 9, 7, 7]); // 3 rows x 2 cols
    for (const f of [bruteForceAssignment, hungarianAssignment]) {
      const r = f(cost, 3, 2);
      // rows [10, 1], [0.5, 9], [7, 7]: row 0 -> col 1 (1) and row 1 -> col 0 (0.5) = 1.5 is the
      // smallest of the six injective choices (next best 1 + 7 = 8); row 2 stays unassigned.
      expect([...r.rowToCol]).toEqual([1, 0, -1]);
      expect(r.total).toBe(1.5);
    }
  });

  it('minCostAssignment uses Hungarian above 7 and agrees with a greedy-proof case', () => {
    // Diagonal costs 0, everything else 1: the identity is the unique optimum for any size.
    for (const n of [8, 12, 20]) {
      const cost = new Float64Array(n * n).fill(1);
      for (let i = 0; i < n; i++) cost[i * n + i] = 0;
      const r = minCostAssignment(cost, n, n);
      expect(r.total).toBe(0);
      expect([...r.rowToCol]).toEqual([...Array(n).keys()]);
    }
  });

  it('empty problems and non-finite costs', () => {
    expect(minCostAssignment(new Float64Array(0), 0, 3).total).toBe(0);
    expect([...minCostAssignment(new Float64Array(0), 2, 0).rowToCol]).toEqual([-1, -1]);
    expect(() => minCostAssignment(Float64Array.from([1, NaN]), 1, 2)).toThrow(/not finite/);
  });
});
