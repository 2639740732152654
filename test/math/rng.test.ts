import { describe, expect, it } from 'vitest';
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
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

  it('draws pure-rand’s xoroshiro128+ stream: uniform() = 53 bits from two of its next() (Rng steps it inline)', () => {
    for (const key of [[2024, 'p', 0], [7], ['a', 'b', 12345]] as const) {
      const g = xoroshiro128plusFromState(seedState(key)) as unknown as { next(): number };
      const r = new Rng(key);
      for (let i = 0; i < 10_000; i++) {
        const want = ((g.next() >>> 5) * 67108864 + (g.next() >>> 6)) * 2 ** -53;
        expect(r.uniform()).toBe(want);
      }
    }
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

describe('ziggurat complex normal draws', () => {
  it('are N(0, 1) per real dimension: variance, kurtosis and tail mass within 4 sd over 2 M draws', () => {
    const n = 1_000_000;
    const z = new Float64Array(2 * n);
    new Rng(['ziggurat-moments']).addComplexNormal(z, n, 2); // variance 1 per real dimension
    const N = 2 * n;
    let m1 = 0;
    let m2 = 0;
    let m4 = 0;
    let tail = 0;
    for (let i = 0; i < N; i++) {
      const x = z[i]!;
      m1 += x;
      m2 += x * x;
      m4 += x ** 4;
      if (Math.abs(x) > 3) tail++;
    }
    const p3 = 0.0026997960632601866; // P(|X| > 3)
    expect(Math.abs(m1 / N)).toBeLessThan(4 / Math.sqrt(N));
    expect(Math.abs(m2 / N - 1)).toBeLessThan(4 * Math.sqrt(2 / N));
    expect(Math.abs(m4 / N - 3)).toBeLessThan(4 * Math.sqrt(96 / N));
    expect(Math.abs(tail / N - p3)).toBeLessThan(4 * Math.sqrt((p3 * (1 - p3)) / N));
  });

  it('continue the seeded stream: same key -> same numbers, and the scalar draws after them agree', () => {
    const a = new Rng(['ziggurat-stream']);
    const b = new Rng(['ziggurat-stream']);
    const za = new Float64Array(2001 * 2);
    const zb = new Float64Array(2001 * 2);
    a.addComplexNormal(za, 2001, 1);
    b.addComplexNormal(zb.subarray(0, 2 * 1000), 1000, 1);
    b.addComplexNormal(zb.subarray(2 * 1000), 1001, 1);
    expect(a.uniform()).toBe(b.uniform());
    expect(new Rng(['ziggurat-stream']).uniform()).not.toBe(a.uniform()); // the state advanced
    const c = new Rng(['ziggurat-stream']);
    const zc = new Float64Array(2001 * 2);
    c.addComplexNormal(zc, 2001, 1);
    expect(Array.from(zc)).toEqual(Array.from(za));
  });
});
