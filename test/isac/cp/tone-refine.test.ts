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

  it('the unchecked last step: what it leaves is below the tolerance, g and the cost as a pass would give them', () => {
    // 3 tones, 8 x 64 x 64, mean per-sample SNR −22, −14 and −10 dB, starts up to 0.3 bin off, 40 seeds
    const na = 8;
    const nc = 64;
    const m = 64;
    let taken = 0;
    for (let s = 0; s < 40; s++) {
      const rng = new Rng(['tone-refine-unchecked', s]);
      const tones: Tone[] = [0, 1, 2].map((i) => ({
        nu: rng.uniform() - 0.5,
        mu: rng.uniform() - 0.5,
        g: Array.from({ length: 2 * na }, () => (0.2 + 0.3 * i) * (rng.uniform() - 0.5)),
      }));
      const y = tensor(na, nc, m, tones, 0);
      rng.addComplexNormal(y, na * nc * m, 1);
      const yn = norm2(y);
      const off = (n: number) => ((rng.uniform() - 0.5) * 0.6) / n;
      const r = toneRefine(
        y,
        yn,
        na,
        nc,
        m,
        tones.map((t) => t.nu + off(nc)),
        tones.map((t) => t.mu + off(m)),
        30,
        1e-8,
      );
      expect(r.converged).toBe(true);
      if (!r.uncheckedLastStep) continue;
      taken++;
      // a checked refinement from the returned frequencies stops at its first pass: the model predicts
      // less than relTolerance (1e-8) of the cost from there
      const more = toneRefine(y, yn, na, nc, m, r.nu, r.mu, 30, 1e-8);
      expect(more.passes).toBe(1);
      // one pass at the returned frequencies (no step): the exact projection g and cost there. The
      // first-order update of g errs by O((2π·step)²) <= (2π·2e-3)² = 1.6e-4 of |g|; the cost by the
      // Gauss-Newton model's error, a small fraction of the predicted decrease (<= 1e-4 of the cost)
      const exact = toneRefine(y, yn, na, nc, m, r.nu, r.mu, 1, 1e-8);
      expect(
        Math.sqrt(norm2(r.factors.a.map((v, i) => v - exact.factors.a[i]!)) / norm2(exact.factors.a)),
      ).toBeLessThan(1.6e-4);
      expect(Math.abs(r.cost - exact.cost) / exact.cost).toBeLessThan(1e-6);
    }
    // the step is the common way to stop (27 of the 40 seeds take it)
    expect(taken).toBeGreaterThan(20);
  });

  it('a start on the range-Doppler grid: the sums from the spectra equal a pass over the tensor (zero padding included)', () => {
    for (const [nc, m] of [
      [8, 16],
      [6, 12], // zero padded to 8 x 16
    ] as const) {
      const na = 2;
      const nr = 8;
      const nd = 16;
      const rng = new Rng(['tone-refine-grid', nc]);
      const tones: Tone[] = [
        { nu: 0.13, mu: -0.27, g: [1, 0.5, -0.2, 0.8] },
        { nu: -0.31, mu: 0.08, g: [0.3, -0.6, 0.9, 0.1] },
      ];
      const y = tensor(na, nc, m, tones, 0);
      rng.addComplexNormal(y, na * nc * m, 0.5);
      // the zero-padded 2-D DFT, summed directly
      const F = new Float64Array(2 * na * nr * nd);
      for (let p = 0; p < na; p++)
        for (let a = 0; a < nr; a++)
          for (let b = 0; b < nd; b++) {
            let re = 0;
            let im = 0;
            for (let n = 0; n < nc; n++)
              for (let k = 0; k < m; k++) {
                const ph = -2 * Math.PI * ((a * n) / nr + (b * k) / nd);
                const o = 2 * ((p * nc + n) * m + k);
                re += y[o]! * Math.cos(ph) - y[o + 1]! * Math.sin(ph);
                im += y[o]! * Math.sin(ph) + y[o + 1]! * Math.cos(ph);
              }
            F[2 * ((p * nr + a) * nd + b)] = re;
            F[2 * ((p * nr + a) * nd + b) + 1] = im;
          }
      const kr = [1, 6]; // 0.125 and −0.25 cycles
      const kd = [12, 1]; // −0.25 and 0.0625 cycles
      const yn = norm2(y);
      const nu0 = kr.map((k) => k / nr);
      const mu0 = kd.map((k) => k / nd);
      const grid = { F, nr, nd, kr, kd };
      // at the start point (no step): g and the cost
      const fromSpectrum = toneRefine(y, yn, na, nc, m, [0, 0], [0, 0], 0, 1e-8, grid);
      const fromTensor = toneRefine(y, yn, na, nc, m, nu0, mu0, 1, 1e-8);
      expect(fromSpectrum.passes).toBe(0);
      expect(fromTensor.passes).toBe(1);
      expect(Math.abs(fromSpectrum.cost - fromTensor.cost) / fromTensor.cost).toBeLessThan(1e-12);
      fromSpectrum.factors.a.forEach((v, i) => expect(v).toBeCloseTo(fromTensor.factors.a[i]!, 11));
      // the first step uses Sn and Sk: the same frequencies after it
      const stepS = toneRefine(y, yn, na, nc, m, [0, 0], [0, 0], 1, 1e-8, grid);
      const stepT = toneRefine(y, yn, na, nc, m, nu0, mu0, 2, 1e-8);
      expect(stepS.passes).toBe(1);
      for (let r = 0; r < 2; r++) {
        expect(Math.abs(cyc(stepS.nu[r]!, stepT.nu[r]!))).toBeLessThan(1e-12);
        expect(Math.abs(cyc(stepS.mu[r]!, stepT.mu[r]!))).toBeLessThan(1e-12);
        expect(Math.abs(cyc(stepS.nu[r]!, nu0[r]!))).toBeGreaterThan(1e-4); // a step was taken
      }
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
