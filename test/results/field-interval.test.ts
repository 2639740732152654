import { describe, expect, it } from 'vitest';
import type { FrameRecord } from '../../src/core/frame.js';
import { Rng } from '../../src/math/rng.js';
import { fieldStats } from '../../src/results/field-stats.js';
import { logNormalMeanInterval, studentTQuantile } from '../../src/results/stats.js';

const recs = (values: unknown[]): FrameRecord[] =>
  values.map((v, i) => ({ point: {}, trial: i, frame: 0, seed: i, truth: [], timings: {}, x: v }));

describe('field intervals: never across zero for a non-negative quantity', () => {
  it('values of both signs keep the Student-t interval (closed form)', () => {
    const f = fieldStats(recs([-1, 3]), 'x', 0.95, { rng: new Rng(['t']), replicates: 500 }).all!;
    expect(f.interval).toBe('t');
    // mean 1, sd √8, se = √8/√2 = 2, t_{0.975,1} = 12.7062047 (tables)
    expect(f.ci![0]).toBeCloseTo(1 - 2 * 12.7062047, 5);
    expect(f.ci![1]).toBeCloseTo(1 + 2 * 12.7062047, 5);
  });

  it('skewed non-negative values (where t crosses zero) get a bootstrap interval inside [min, max]', () => {
    // exponential-like times with one large value: t interval = mean ± t·sd/√n goes below 0
    const xs = [0, 0.1, 0.2, 0.1, 0.3, 9];
    const g = new Rng(['field', 'skewed']);
    const f = fieldStats(recs(xs), 'x', 0.95, { rng: g, replicates: 2000 }).all!;
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
    expect(m - studentTQuantile(0.975, xs.length - 1) * (sd / Math.sqrt(xs.length))).toBeLessThan(0); // t would cross 0
    expect(f.interval).toBe('bootstrap');
    expect(f.ci![0]).toBeGreaterThanOrEqual(0);
    expect(f.ci![0]).toBeLessThan(m);
    expect(f.ci![1]).toBeGreaterThan(m);
    expect(f.ci![1]).toBeLessThanOrEqual(9);
    // the same stream gives the same interval (summary.json is reproducible)
    expect(
      fieldStats(recs(xs), 'x', 0.95, { rng: new Rng(['field', 'skewed']), replicates: 2000 }).all!.ci,
    ).toEqual(f.ci);
  });

  it('without bootstrap, positive values get the log-normal (Cox) interval; with zeros, none', () => {
    const xs = [1, Math.E, Math.E ** 2];
    const f = fieldStats(recs(xs), 'x', 0.95, { rng: new Rng(['x']), replicates: 0 }).all!;
    expect(f.interval).toBe('log-normal');
    // y = ln x = 0, 1, 2: ȳ = 1, s² = 1; exp(1.5 ± t_{0.975,2}·√(1/3 + 1/4)), t_{0.975,2} = 4.30265273 (tables)
    const half = 4.30265273 * Math.sqrt(1 / 3 + 1 / 4);
    expect(f.ci![0]).toBeCloseTo(Math.exp(1.5 - half), 6);
    expect(f.ci![1]).toBeCloseTo(Math.exp(1.5 + half), 6);
    expect(logNormalMeanInterval([1, 0], 0.95)).toBeNull();
    const z = fieldStats(recs([0, 1, 2]), 'x', 0.95).all!;
    expect([z.interval, z.ci]).toEqual(['none', null]);
  });

  it('booleans keep the Wilson interval', () => {
    const f = fieldStats(recs([true, false, true, true]), 'x', 0.95, {
      rng: new Rng(['w']),
      replicates: 100,
    }).all!;
    expect(f.interval).toBe('wilson');
    expect(f.ci![0]).toBeGreaterThan(0);
    expect(f.ci![1]).toBeLessThanOrEqual(1);
  });

  it('bootstrap coverage of the mean of exponential samples (n = 30) is near the nominal 95 %', () => {
    // 300 data sets; expanded-percentile coverage for n = 30 exponential data is ~0.93-0.95;
    // binomial sd at 300 sets is 1.3 %, so 0.95 ± 0.05 is > 3 sd either way.
    const g = new Rng(['coverage']);
    let cover = 0;
    const sets = 300;
    for (let k = 0; k < sets; k++) {
      const xs = Array.from({ length: 30 }, () => -Math.log(1 - g.uniform()));
      const f = fieldStats(recs(xs), 'x', 0.95, { rng: g.fork('boot', k), replicates: 400 }).all!;
      if (f.ci![0] <= 1 && 1 <= f.ci![1]) cover++;
    }
    expect(cover / sets).toBeGreaterThan(0.9);
    expect(cover / sets).toBeLessThan(1);
  });
});
