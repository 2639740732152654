import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { brentMaximize } from '../../../src/isac/music/brent-maximize.js';
import { ToneEstimator } from '../../../src/isac/music/tone-frequency.js';
import { Rng } from '../../../src/math/rng.js';

/** x_i = β e^{j2πν i}, i = 1..n */
function tone(nu: number, n: number, br: number, bi: number): Float64Array {
  const x = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const ph = 2 * Math.PI * nu * (i + 1);
    x[2 * i] = br * Math.cos(ph) - bi * Math.sin(ph);
    x[2 * i + 1] = br * Math.sin(ph) + bi * Math.cos(ph);
  }
  return x;
}

describe('brentMaximize', () => {
  it('finds the maximum of smooth functions to the requested tolerance', () => {
    expect(brentMaximize((x) => -((x - 0.3) ** 2), 0, 1, 1e-12).x).toBeCloseTo(0.3, 9);
    expect(brentMaximize((x) => Math.cos(x), -1, 2, 1e-12).x).toBeCloseTo(0, 7);
    const r = brentMaximize((x) => Math.sin(x), 0, 3, 1e-12);
    expect(r.x).toBeCloseTo(Math.PI / 2, 7);
    expect(r.value).toBeCloseTo(1, 12);
  });
});

describe('ToneEstimator (rank-one MUSIC of eqs. 37-39)', () => {
  it('recovers the frequency and complex amplitude of a noise-free tone exactly', () => {
    const rng = new Rng(['tone', 'exact']);
    const est = new ToneEstimator(1024);
    for (let k = 0; k < 50; k++) {
      const n = [8, 64, 128][k % 3]!;
      const nu = rng.uniformIn(-0.5, 0.5);
      const br = rng.normal();
      const bi = rng.normal();
      const r = est.estimate(tone(nu, n, br, bi), n);
      const d = r.nu - nu - Math.round(r.nu - nu);
      expect(Math.abs(d)).toBeLessThan(1e-9);
      expect(r.correlation).toBeCloseTo(1, 10);
      // a(ν)ᴴ x = N β
      expect(r.projection[0] / n).toBeCloseTo(br, 6);
      expect(r.projection[1] / n).toBeCloseTo(bi, 6);
    }
  });

  it('an exact tone takes the direct path (phase step), which agrees with the search on a tone perturbed by 1e-9', () => {
    const rng = new Rng(['tone', 'direct-vs-search']);
    const est = new ToneEstimator(256);
    for (let k = 0; k < 20; k++) {
      const n = [8, 128][k % 2]!;
      const x = tone(rng.uniformIn(-0.5, 0.5), n, rng.normal(), rng.normal());
      const direct = est.estimate(x, n);
      const y = x.slice();
      y[3] = y[3]! + 1e-9; // no longer a tone to 1e-11: the DFT + Brent + Newton search runs
      const search = est.estimate(y, n);
      expect(Math.abs(direct.nu - search.nu)).toBeLessThan(1e-10);
      expect(direct.correlation).toBeCloseTo(1, 12);
    }
  });

  it('finds the peak of the eigen-decomposition MUSIC pseudo-spectrum (independent EVD)', () => {
    // Brute force: noise subspace U_n of R = x xᴴ from ml-matrix's EVD of the real 2N x 2N embedding
    // [[Re R, −Im R], [Im R, Re R]] (eigenvalue 0 has multiplicity 2N − 2), s(ν) = 1/(a(ν)ᴴ U_n U_nᴴ a(ν))
    // on a grid of spacing 1e-5 around the estimate; its argmax must agree within a grid step.
    const n = 16;
    const rng = new Rng(['tone', 'evd']);
    const x = tone(0.1234, n, 1, 0.5);
    rng.addComplexNormal(x, n, 0.05);
    const re = Matrix.zeros(2 * n, 2 * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        // R[i, j] = x_i conj(x_j)
        const rr = x[2 * i]! * x[2 * j]! + x[2 * i + 1]! * x[2 * j + 1]!;
        const ri = x[2 * i + 1]! * x[2 * j]! - x[2 * i]! * x[2 * j + 1]!;
        re.set(i, j, rr);
        re.set(i + n, j + n, rr);
        re.set(i, j + n, -ri);
        re.set(i + n, j, ri);
      }
    }
    const evd = new EigenvalueDecomposition(re, { assumeSymmetric: true });
    const vals = evd.realEigenvalues;
    const vecs = evd.eigenvectorMatrix;
    const noiseCols = vals
      .map((v, i) => [v, i] as const)
      .sort((a, b) => a[0] - b[0])
      .slice(0, 2 * n - 2)
      .map((p) => p[1]);
    const spectrum = (nu: number): number => {
      // a(ν) as a real 2N vector [Re; Im]; projection onto the noise subspace (the embedding doubles it)
      let q = 0;
      for (const c of noiseCols) {
        let s = 0;
        for (let i = 0; i < n; i++) {
          const ph = 2 * Math.PI * nu * (i + 1);
          s += Math.cos(ph) * vecs.get(i, c) + Math.sin(ph) * vecs.get(i + n, c);
        }
        q += s * s;
      }
      return 1 / q;
    };
    const r = new ToneEstimator(256).estimate(x, n);
    let best = -Infinity;
    let arg = 0;
    for (let nu = r.nu - 0.01; nu <= r.nu + 0.01; nu += 1e-5) {
      const s = spectrum(nu);
      if (s > best) {
        best = s;
        arg = nu;
      }
    }
    expect(Math.abs(arg - r.nu)).toBeLessThan(2e-5);
  });

  it('degenerate input: zero vector and a single sample give finite results', () => {
    const est = new ToneEstimator(64);
    const z = est.estimate(new Float64Array(16), 8);
    expect(z.nu).toBe(0);
    expect(z.correlation).toBe(0);
    const one = est.estimate(new Float64Array([0.3, -0.4]), 1);
    expect(Number.isFinite(one.nu)).toBe(true);
    expect(one.correlation).toBe(1);
  });
});
