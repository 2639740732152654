import { describe, expect, it } from 'vitest';
import { hungarian } from '../../../src/isac/association/hungarian.js';
import { Rng } from '../../../src/math/rng.js';

/** Minimum total cost over all injective row → column maps, by enumeration. */
function bruteForce(cost: Float64Array, n: number, m: number): number {
  let best = Infinity;
  const used = new Uint8Array(m);
  const rec = (i: number, acc: number): void => {
    if (i === n) {
      best = Math.min(best, acc);
      return;
    }
    for (let j = 0; j < m; j++) {
      if (used[j]) continue;
      used[j] = 1;
      rec(i + 1, acc + (cost[i * m + j] as number));
      used[j] = 0;
    }
  };
  rec(0, 0);
  return best;
}

describe('hungarian', () => {
  it('finds the minimum-cost assignment (square and rectangular, vs enumeration)', () => {
    const rng = new Rng(['hungarian']);
    for (let trial = 0; trial < 300; trial++) {
      const n = 1 + rng.int(7);
      const m = n + rng.int(3);
      const cost = new Float64Array(n * m);
      // integer costs make ties common, real costs make them rare: test both
      for (let k = 0; k < n * m; k++) cost[k] = trial % 2 === 0 ? rng.int(5) : rng.uniformIn(-3, 10);
      const a = hungarian(cost, n, m);
      expect(new Set(a).size).toBe(n);
      for (const j of a) expect(j >= 0 && j < m).toBe(true);
      const total = Array.from(a).reduce((s, j, i) => s + (cost[i * m + j] as number), 0);
      expect(total).toBeCloseTo(bruteForce(cost, n, m), 9);
    }
  });

  it('handles empty input, non-finite costs and refuses more rows than columns', () => {
    expect(hungarian(new Float64Array(0), 0, 3).length).toBe(0);
    const a = hungarian([Infinity, 1, 2, NaN], 2, 2);
    expect(Array.from(a)).toEqual([1, 0]);
    expect(() => hungarian([1, 2], 2, 1)).toThrow(RangeError);
  });
});
