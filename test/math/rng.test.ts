import { describe, expect, it } from 'vitest';
import { Rng, seedState, trialRng } from '../../src/math/rng.js';

describe('Rng', () => {
  it('is a pure function of its key (golden values of the documented hash)', () => {
    // SHA-256('["isacflow/rng/v1",2024,"p",0]') first 16 bytes as int32 LE, checked with python hashlib.
    expect(seedState([2024, 'p', 0])).toEqual([-2013936364, 122575882, -1908865532, -724124268]);
    const a = trialRng(2024, 'p', 3);
    const b = trialRng(2024, 'p', 3);
    for (let i = 0; i < 100; i++) expect(a.uniform()).toBe(b.uniform());
    const c = new Rng([2024, 'p', 3]).fork('x');
    const d = trialRng(2024, 'p', 3);
    d.uniform();
    expect(d.fork('x').uniform()).toBe(c.uniform()); // fork independent of draws
  });

  it('uniform has mean 1/2 and variance 1/12 within 5 sigma', () => {
    const r = new Rng(['u']);
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const u = r.uniform();
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      s += u;
      s2 += u * u;
    }
    const mean = s / n;
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(s2 / n - mean * mean - 1 / 12)).toBeLessThan(5 * Math.sqrt(1 / 180 / n));
  });

  it('complex normal noise has E|z|^2 = variance and independent re/im', () => {
    const r = new Rng(['n']);
    const n = 200_000;
    const z = new Float64Array(2 * n);
    r.addComplexNormal(z, n, 2.5);
    let p = 0;
    let cross = 0;
    for (let k = 0; k < n; k++) {
      const re = z[2 * k] as number;
      const im = z[2 * k + 1] as number;
      p += re * re + im * im;
      cross += re * im;
    }
    // |z|^2 ~ variance * Exp(1): sd of the mean = variance / sqrt(n)
    expect(Math.abs(p / n - 2.5)).toBeLessThan((5 * 2.5) / Math.sqrt(n));
    expect(Math.abs(cross / n)).toBeLessThan((5 * 1.25) / Math.sqrt(n));
  });
});
