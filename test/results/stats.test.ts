import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/math/rng.js';
import {
  expandedTail,
  meanConfidenceInterval,
  median,
  normalCdf,
  quantileSorted,
  studentTQuantile,
} from '../../src/results/stats.js';
import { wilsonInterval } from '../../src/results/stats.js';

describe('stats', () => {
  it('Student-t quantiles match printed tables', () => {
    // Two-sided 95 % critical values (e.g. NIST/SEMATECH e-Handbook, Table 1.3.6.7.2).
    const table: Array<[number, number]> = [
      [1, 12.706],
      [2, 4.303],
      [5, 2.571],
      [10, 2.228],
      [30, 2.042],
      [100, 1.984],
    ];
    for (const [nu, t] of table) expect(studentTQuantile(0.975, nu)).toBeCloseTo(t, 3);
    expect(studentTQuantile(0.975, 1e7)).toBeCloseTo(1.959964, 4);
    expect(studentTQuantile(0.025, 10)).toBeCloseTo(-2.228, 3);
    expect(studentTQuantile(0.995, 4)).toBeCloseTo(4.604, 3);
  });

  it('normal CDF and the expanded-percentile tail', () => {
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    // n = 20: Φ(−√(20/19)·2.093) = Φ(−2.1474) ≈ 0.01588
    expect(expandedTail(0.95, 20)).toBeCloseTo(0.01588, 4);
    expect(expandedTail(0.95, 1e6)).toBeCloseTo(0.025, 4);
  });

  it('median and quantiles', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
    expect(quantileSorted([0, 10], 0.25)).toBe(2.5);
  });

  it('t interval of the mean covers about 95 % of the time (normal data, n = 8)', () => {
    // Exact coverage 0.95 for normal data; R = 2000 → sd 0.0049, accept ±4 sd.
    const g = new Rng(['tci']);
    let cover = 0;
    const R = 2000;
    for (let r = 0; r < R; r++) {
      const xs = Array.from({ length: 8 }, () => 5 + 3 * g.normal());
      const ci = meanConfidenceInterval(xs, 0.95)!;
      if (ci[0] <= 5 && 5 <= ci[1]) cover++;
    }
    expect(Math.abs(cover / R - 0.95)).toBeLessThan(4 * Math.sqrt((0.95 * 0.05) / R));
  });
});

describe('wilsonInterval', () => {
  it('matches published Wilson intervals (Newcombe 1998, table I) and stays in [0, 1]', () => {
    // 0/10: [0, 0.2775]; 81/263: [0.2553, 0.3662] (Newcombe 1998, Stat. Med. 17:857, method 3)
    const a = wilsonInterval(0, 10, 0.95)!;
    expect(a[0]).toBe(0);
    expect(a[1]).toBeCloseTo(0.2775, 4);
    const b = wilsonInterval(81, 263, 0.95)!;
    expect(b[0]).toBeCloseTo(0.2553, 4);
    expect(b[1]).toBeCloseTo(0.3662, 4);
    const c = wilsonInterval(10, 10, 0.95)!;
    expect(c[1]).toBeLessThanOrEqual(1);
    expect(c[1]).toBeCloseTo(1, 12);
  });
});
