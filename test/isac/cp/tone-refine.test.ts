import { describe, expect, it } from 'vitest';
import { toneRefine } from '../../../src/isac/cp/tone-refine.js';
import { Rng } from '../../../src/math/rng.js';

interface Tone {
  nu: number;
  mu: number;
  g: number[]; // interleaved complex, N_A values
}

/** Σ_r g_r ∘ x(ν_r) ∘ z(μ_r) + CN(0, σ²) noise, layout (p N_c + n) M + k (eq. 31 with tone factors). */
function tensor(na: number, nc: number, m: number, tones: Tone[], sigma: number, rng?: Rng): Float64Array {
  const y = new Float64Array(2 * na * nc * m);
  for (const t of tones)
    for (let p = 0; p < na; p++)
      for (let n = 0; n < nc; n++)
        for (let k = 0; k < m; k++) {
          const ph = 2 * Math.PI * (t.nu * n + t.mu * k);
          const c = Math.cos(ph);
          const s = Math.sin(ph);
          const gr = t.g[2 * p]!;
          const gi = t.g[2 * p + 1]!;
          const o = 2 * ((p * nc + n) * m + k);
          y[o] = y[o]! + gr * c - gi * s;
          y[o + 1] = y[o + 1]! + gr * s + gi * c;
        }
  if (rng && sigma > 0) for (let i = 0; i < y.length; i++) y[i] = y[i]! + sigma * Math.SQRT1_2 * rng.normal();
  return y;
}

const norm2 = (y: Float64Array) => y.reduce((s, v) => s + v * v, 0);
const cyc = (a: number, b: number) => a - b - Math.round(a - b);

describe('toneRefine (structured CP, eqs. 31, 33, 34)', () => {
  it('noise-free: from starts 0.3 bin off, the exact frequencies and a fit at double precision', () => {
    const na = 4;
    const nc = 64;
    const m = 32;
    const tones: Tone[] = [
      { nu: 0.1234, mu: -0.21, g: [1, 0.2, -0.3, 0.9, 0.5, 0.5, 0.1, -1] },
      { nu: -0.3, mu: 0.33, g: [0.4, -0.8, 0.7, 0.1, -0.2, 0.6, 0.9, 0.3] },
      // a third tone 0.6 bin from the first in both modes (shares its resolution cell)
      { nu: 0.1234 + 0.6 / nc, mu: -0.21 + 0.6 / m, g: [0.6, 0.1, 0.2, -0.7, -0.4, 0.3, 0.5, 0.5] },
    ];
    const y = tensor(na, nc, m, tones, 0);
    const yn = norm2(y);
    const r = toneRefine(
      y,
      yn,
      na,
      nc,
      m,
      tones.map((t) => t.nu + 0.3 / nc),
      tones.map((t) => t.mu - 0.3 / m),
      30,
      1e-8,
    );
    expect(r.converged).toBe(true);
    expect(Math.sqrt(r.cost / yn)).toBeLessThan(1e-13);
    tones.forEach((t, i) => {
      expect(Math.abs(cyc(r.nu[i]!, t.nu))).toBeLessThan(1e-13);
      expect(Math.abs(cyc(r.mu[i]!, t.mu))).toBeLessThan(1e-13);
      for (let p = 0; p < 2 * na; p++)
        expect(r.factors.a[2 * (Math.floor(p / 2) * 3 + i) + (p % 2)]).toBeCloseTo(t.g[p]!, 11);
    });
  });

  it('one noisy tone: the frequency errors have the variance of the CRB (ML is efficient at high integrated SNR)', () => {
    // CRB of ν with the angle vector g unknown: σ² / (2 (2π)² ||g||² M Σ_n (n − n̄)²), Σ_n (n − n̄)² = N(N² − 1)/12;
    // the ν-μ coupling vanishes (Σ (n − n̄)(k − k̄) = 0). Per-sample SNR 1 on 2 x 16 x 16 samples: 27 dB integrated.
    const na = 2;
    const nc = 16;
    const m = 16;
    const sigma = 1;
    const g = [0.8, 0.6, -0.6, 0.8]; // ||g||² = 2
    const crbNu = sigma ** 2 / (2 * 4 * Math.PI ** 2 * 2 * m * ((nc * (nc * nc - 1)) / 12));
    const crbMu = sigma ** 2 / (2 * 4 * Math.PI ** 2 * 2 * nc * ((m * (m * m - 1)) / 12));
    const trials = 400;
    let seNu = 0;
    let seMu = 0;
    let seNoise = 0;
    for (let i = 0; i < trials; i++) {
      const rng = new Rng(['tone-refine-crb', i]);
      const tone = { nu: 0.2 + 0.05 * rng.uniform(), mu: -0.1 + 0.05 * rng.uniform(), g };
      const y = tensor(na, nc, m, [tone], sigma, rng);
      const r = toneRefine(y, norm2(y), na, nc, m, [tone.nu + 0.2 / nc], [tone.mu - 0.2 / m], 30, 1e-8);
      expect(r.converged).toBe(true);
      seNu += cyc(r.nu[0]!, tone.nu) ** 2;
      seMu += cyc(r.mu[0]!, tone.mu) ** 2;
      seNoise += r.cost / (na * nc * m - (na + 1));
    }
    // MSE / CRB ~ χ²_400 / 400 for an efficient unbiased estimator: sd 0.071, bounds at ±4.5 sd
    expect(seNu / trials / crbNu).toBeGreaterThan(0.68);
    expect(seNu / trials / crbNu).toBeLessThan(1.32);
    expect(seMu / trials / crbMu).toBeGreaterThan(0.68);
    expect(seMu / trials / crbMu).toBeLessThan(1.32);
    // σ̂² over the model's residual degrees of freedom is unbiased: mean of 400 x 509 complex samples, sd ~0.0025
    expect(seNoise / trials).toBeGreaterThan(0.99);
    expect(seNoise / trials).toBeLessThan(1.01);
  });

  it('R = 4 (two groups of the pass over the tensor) and R = 2 noise-free: exact', () => {
    const na = 3;
    const nc = 16;
    const m = 24;
    const all: Tone[] = [0, 1, 2, 3].map((i) => ({
      nu: -0.4 + 0.21 * i,
      mu: 0.37 - 0.17 * i,
      g: [1, 0.1 * i, -0.5, 0.3, 0.2 * i, -0.7],
    }));
    for (const tones of [all, all.slice(0, 2)]) {
      const y = tensor(na, nc, m, tones, 0);
      const yn = norm2(y);
      const r = toneRefine(
        y,
        yn,
        na,
        nc,
        m,
        tones.map((t) => t.nu + 0.2 / nc),
        tones.map((t) => t.mu + 0.2 / m),
        30,
        1e-8,
      );
      expect(Math.sqrt(r.cost / yn)).toBeLessThan(1e-13);
      tones.forEach((t, i) => expect(Math.abs(cyc(r.nu[i]!, t.nu))).toBeLessThan(1e-13));
    }
  });

  it('two coinciding tones (not separable): finite factors and the fit of one tone, no NaN', () => {
    const na = 2;
    const nc = 16;
    const m = 16;
    const y = tensor(na, nc, m, [{ nu: 0.1, mu: 0.2, g: [1, 0, 0, 1] }], 0);
    const yn = norm2(y);
    const r = toneRefine(y, yn, na, nc, m, [0.1, 0.1], [0.2, 0.2], 30, 1e-8);
    expect(r.factors.a.every(Number.isFinite)).toBe(true);
    expect(r.factors.b.every(Number.isFinite)).toBe(true);
    expect(Number.isFinite(r.cost)).toBe(true);
    expect(Math.sqrt(r.cost / yn)).toBeLessThan(1e-6);
  });
});
