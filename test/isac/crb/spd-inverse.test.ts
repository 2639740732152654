import { describe, expect, it } from 'vitest';
import { RCOND_MIN, SpdStatus, spdInverse, spdLast } from '../../../src/isac/crb/index.js';

/**
 * The equilibrated inverse against a closed form: A = D H D with H the 4×4 Hilbert matrix
 * (H⁻¹ has known integer entries, cond ≈ 1.6e4) and D spanning 1e9..1e-4, like a FIM over
 * (τ, sin θ, f_D)-scaled parameters. A⁻¹ = D⁻¹ H⁻¹ D⁻¹ exactly; a plain Cholesky on A would lose
 * the small scales, the equilibrated one keeps ~cond·eps ≈ 1e-12 relative accuracy.
 */
const HILBERT_INV = [
  [16, -120, 240, -140],
  [-120, 1200, -2700, 1680],
  [240, -2700, 6480, -4200],
  [-140, 1680, -4200, 2800],
];

describe('spdInverse', () => {
  it('inverts a badly scaled Hilbert matrix to ≤ 1e-10 relative error per entry', () => {
    const d = [1e9, 1e3, 1, 1e-4];
    const a = new Float64Array(16);
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < 4; j++) a[4 * i + j] = ((d[i] as number) * (d[j] as number)) / (i + j + 1);
    const out = new Float64Array(16);
    expect(spdInverse(a, 4, out)).toBe(SpdStatus.Ok);
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) {
        const want = (HILBERT_INV[i]![j] as number) / ((d[i] as number) * (d[j] as number));
        expect(Math.abs((out[4 * i + j] as number) - want)).toBeLessThanOrEqual(1e-10 * Math.abs(want));
      }
    }
    // rcond of the equilibrated Hilbert matrix: 1/(‖B‖₁‖B⁻¹‖₁), same order as 1/cond(H)
    expect(spdLast.rcond).toBeGreaterThan(1e-6);
    expect(spdLast.rcond).toBeLessThan(1e-3);
  });

  it('reports a zero diagonal, a rank-deficient and an ill-conditioned matrix, leaving out untouched', () => {
    const out = new Float64Array(16).fill(42);
    const zeroDiag = Float64Array.from([2, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5]);
    expect(spdInverse(zeroDiag, 4, out)).toBe(SpdStatus.ZeroDiagonal);
    expect(spdLast.index).toBe(2);
    // rank 3: sum of three outer products
    const v = [
      [1, 2, 3, 4],
      [0, 1, -1, 2],
      [3, 0, 1, 1],
    ];
    const rank3 = new Float64Array(16);
    for (const w of v)
      for (let i = 0; i < 4; i++)
        for (let j = 0; j < 4; j++)
          rank3[4 * i + j] = (rank3[4 * i + j] as number) + (w[i] as number) * (w[j] as number);
    const s = spdInverse(rank3, 4, out);
    expect(s === SpdStatus.NotPositiveDefinite || s === SpdStatus.IllConditioned).toBe(true);
    // nearly singular 2×2: correlation 1 − 1e-14 → rcond ≈ 2.5e-15 < RCOND_MIN
    const near = Float64Array.from([1, 1 - 1e-14, 1 - 1e-14, 1]);
    const s2 = spdInverse(near, 2, out);
    expect(s2 === SpdStatus.NotPositiveDefinite || s2 === SpdStatus.IllConditioned).toBe(true);
    expect(Array.from(out).every((x) => x === 42)).toBe(true);
    // well inside the threshold still inverts: correlation 1 − 1e-6
    const ok = Float64Array.from([4, 2 * (1 - 1e-6), 2 * (1 - 1e-6), 1]);
    expect(spdInverse(ok, 2, out)).toBe(SpdStatus.Ok);
    expect(spdLast.rcond).toBeGreaterThan(RCOND_MIN);
  });
});
