import { describe, expect, it } from 'vitest';
import { realCholesky, realCholeskySolve } from '../../src/math/real-cholesky.js';
import { Rng } from '../../src/math/rng.js';

describe('realCholesky / realCholeskySolve', () => {
  it('solve A x = b for random SPD A (A = BᵀB + I), also factorised in place', () => {
    const rng = new Rng(['real-cholesky']);
    for (const n of [1, 2, 6, 13]) {
      const B = Array.from({ length: n * n }, () => rng.normal());
      const a = new Float64Array(n * n);
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) {
          let s = i === j ? 1 : 0;
          for (let k = 0; k < n; k++) s += B[k * n + i]! * B[k * n + j]!;
          a[i * n + j] = s;
        }
      const b = Float64Array.from({ length: n }, () => rng.normal());
      const l = new Float64Array(n * n);
      expect(realCholesky(a, n, l)).toBe(true);
      const x = new Float64Array(n);
      realCholeskySolve(l, n, b, x);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += a[i * n + j]! * x[j]!;
        expect(s).toBeCloseTo(b[i]!, 10);
      }
      const inPlace = a.slice();
      expect(realCholesky(inPlace, n, inPlace)).toBe(true);
      const y = b.slice();
      realCholeskySolve(inPlace, n, y, y);
      for (let i = 0; i < n; i++) expect(y[i]).toBeCloseTo(x[i]!, 12);
    }
  });

  it('refuses a matrix that is not positive definite, or not above the pivot margin', () => {
    expect(realCholesky(Float64Array.from([1, 2, 2, 1]), 2, new Float64Array(4))).toBe(false);
    expect(realCholesky(Float64Array.from([1, 0, 0, 1e-16]), 2, new Float64Array(4), 1e-15)).toBe(false);
    expect(realCholesky(Float64Array.from([Infinity]), 1, new Float64Array(1))).toBe(false);
  });
});
