import { describe, expect, it } from 'vitest';
import { complexSolve } from '../../../src/isac/cp/complex-lu.js';
import { espritInit } from '../../../src/isac/cp/esprit-init.js';
import { fftInit } from '../../../src/isac/cp/fft-init.js';
import { lmFinish } from '../../../src/isac/cp/lm-finish.js';
import { residualNorm2 } from '../../../src/isac/cp/residual.js';
import { smallEig } from '../../../src/isac/cp/small-eig.js';
import { choleskyInPlace, choleskySolveRows } from '../../../src/isac/cp/small-hermitian.js';
import { trialTargets } from '../../../src/core/engine.js';
import { defaultScenario, sectionVRandomTargets } from '../../../src/isac/default-scenario.js';
import { synthesizeEcho } from '../../../src/isac/echo-model.js';
import { pairGeometry } from '../../../src/isac/geometry.js';
import type { Target } from '../../../src/isac/scenario-types.js';
import { cnorm2 } from '../../../src/math/complex.js';
import { Rng } from '../../../src/math/rng.js';

/** y = A x for a row-major complex n x n matrix. */
function matVec(a: Float64Array, x: Float64Array, n: number): Float64Array {
  const y = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const ar = a[2 * (i * n + j)]!;
      const ai = a[2 * (i * n + j) + 1]!;
      y[2 * i] = y[2 * i]! + ar * x[2 * j]! - ai * x[2 * j + 1]!;
      y[2 * i + 1] = y[2 * i + 1]! + ar * x[2 * j + 1]! + ai * x[2 * j]!;
    }
  }
  return y;
}

function maxAbsDiff(x: Float64Array, y: Float64Array): number {
  let m = 0;
  for (let k = 0; k < x.length; k++) m = Math.max(m, Math.abs(x[k]! - y[k]!));
  return m;
}

describe('small complex linear algebra', () => {
  it('smallEig: A v = λ v for random general matrices (n = 1..8), incl. triangular ones', () => {
    const rng = new Rng(['kernels', 'eig']);
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + (trial % 8);
      const a = new Float64Array(2 * n * n);
      rng.addComplexNormal(a, n * n, 1);
      if (trial % 5 === 0)
        for (let i = 0; i < n; i++)
          for (let j = 0; j < i; j++) a.fill(0, 2 * (i * n + j), 2 * (i * n + j) + 2);
      const e = smallEig(a, n);
      expect(e.converged).toBe(true);
      for (let j = 0; j < n; j++) {
        const v = new Float64Array(2 * n);
        for (let i = 0; i < n; i++)
          v.set([e.vectors[2 * (i * n + j)]!, e.vectors[2 * (i * n + j) + 1]!], 2 * i);
        const av = matVec(a, v, n);
        const lr = e.values[2 * j]!;
        const li = e.values[2 * j + 1]!;
        const lv = new Float64Array(2 * n);
        for (let i = 0; i < n; i++) {
          lv[2 * i] = lr * v[2 * i]! - li * v[2 * i + 1]!;
          lv[2 * i + 1] = lr * v[2 * i + 1]! + li * v[2 * i]!;
        }
        expect(maxAbsDiff(av, lv)).toBeLessThan(1e-10);
      }
    }
  });

  it('complexSolve and the Hermitian Cholesky solve reproduce the right-hand side', () => {
    const rng = new Rng(['kernels', 'solve']);
    for (let n = 1; n <= 9; n++) {
      const a = new Float64Array(2 * n * n);
      rng.addComplexNormal(a, n * n, 1);
      const x = new Float64Array(2 * n);
      rng.addComplexNormal(x, n, 1);
      const b = matVec(a, x, n);
      const s = a.slice();
      const sol = b.slice();
      expect(complexSolve(s, sol, n)).toBe(true);
      expect(maxAbsDiff(sol, x)).toBeLessThan(1e-9);
      // G = Aᴴ A + I (Hermitian positive definite)
      const g = new Float64Array(2 * n * n);
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) {
          let re = i === j ? 1 : 0;
          let im = 0;
          for (let k = 0; k < n; k++) {
            const ar = a[2 * (k * n + i)]!;
            const ai = -a[2 * (k * n + i) + 1]!;
            const br = a[2 * (k * n + j)]!;
            const bi = a[2 * (k * n + j) + 1]!;
            re += ar * br - ai * bi;
            im += ar * bi + ai * br;
          }
          g.set([re, im], 2 * (i * n + j));
        }
      const gb = matVec(g, x, n);
      const l = g.slice();
      expect(choleskyInPlace(l, n, 0, 1e-300)).toBe(0);
      choleskySolveRows(l, n, gb, 1);
      expect(maxAbsDiff(gb, x)).toBeLessThan(1e-9);
    }
    expect(complexSolve(new Float64Array(8), new Float64Array(4), 2)).toBe(false);
  });
});

describe('CP starts', () => {
  const sc = defaultScenario();
  const targets = sc.targets as Target[];
  // AP 1 sees the three default echoes several cells apart
  const { tensor } = synthesizeEcho(sc.system, sc.aps[1]!, targets, sc.snr, new Rng(['kernels', 'start']), {
    noise: false,
  });
  const truth = targets.map((t) => pairGeometry(sc.aps[1]!.position, t, sc.system));
  const nuDelay = truth.map((g) => -sc.system.subcarrierSpacingHz * g.delay);
  const nuDoppler = truth.map((g) => sc.system.symbolDurationS * g.doppler);
  const wrapDiff = (a: number, b: number) => a - b - Math.round(a - b);

  it('FFT peaks land within 0.05 bin of every echo (Candan refinement)', () => {
    const r = fftInit(tensor, 3, { threshold: 0.7, maxRank: 8 });
    for (let u = 0; u < 3; u++) {
      const best = Math.min(
        ...r.peaks.map((p) =>
          Math.hypot(wrapDiff(p.nuDelay, nuDelay[u]!) * 128, wrapDiff(p.nuDoppler, nuDoppler[u]!) * 128),
        ),
      );
      expect(best).toBeLessThan(0.05);
    }
  });

  it('a fixed rank: the bounded CLEAN (no subtraction passes) takes the peaks of the classic CLEAN', () => {
    // Fig. 9 frames: 3 random targets, radar path loss, 4 APs, SNR −20..30 dB, 3 and 5 components
    let cases = 0;
    for (const db of [-20, 0, 30]) {
      const fsc = defaultScenario();
      fsc.targets = sectionVRandomTargets();
      fsc.snr = { db, referenceRangeM: 250, pathLoss: 'radar' };
      for (let trial = 0; trial < 3; trial++) {
        const truthTargets = trialTargets(fsc, 11, trial);
        fsc.aps.forEach((ap, l) => {
          const t = synthesizeEcho(
            fsc.system,
            ap,
            truthTargets,
            fsc.snr,
            new Rng(['bounded-clean', db, trial, l]),
          ).tensor;
          for (const R of [3, 5]) {
            const classic = fftInit(t, R, { threshold: 0.1, maxRank: 8, exactClean: true });
            const bounded = fftInit(t, R, { threshold: 0.1, maxRank: 8 });
            expect(bounded.peaks.map((p) => [p.kr, p.kd])).toEqual(classic.peaks.map((p) => [p.kr, p.kd]));
            bounded.peaks.forEach((p, i) => {
              const c = classic.peaks[i]!;
              // the same cells; Candan's samples differ only by the order of the subtractions' rounding
              expect(Math.abs(p.nuDelay - c.nuDelay)).toBeLessThan(1e-12);
              expect(Math.abs(p.nuDoppler - c.nuDoppler)).toBeLessThan(1e-12);
              expect(Math.abs(p.amplitude - c.amplitude)).toBeLessThan(1e-9 * c.amplitude + 1e-300);
            });
            cases++;
          }
        });
      }
    }
    expect(cases).toBe(72);
  });

  it('2-D ESPRIT recovers the delay and Doppler steering vectors of noise-free echoes exactly', () => {
    const f = espritInit(tensor, 3)!;
    expect(f).not.toBeNull();
    for (let u = 0; u < 3; u++) {
      // |b_rᴴ a_d| = 1 for unit-norm tones at the same frequency: look for a column with ~1
      let best = 0;
      for (let r = 0; r < 3; r++) {
        let re = 0;
        let im = 0;
        for (let n = 0; n < 128; n++) {
          const ph = 2 * Math.PI * nuDelay[u]! * (n + 1);
          re += f.b[2 * (n * 3 + r)]! * Math.cos(ph) + f.b[2 * (n * 3 + r) + 1]! * Math.sin(ph);
          im += f.b[2 * (n * 3 + r) + 1]! * Math.cos(ph) - f.b[2 * (n * 3 + r)]! * Math.sin(ph);
        }
        best = Math.max(best, Math.hypot(re, im) / Math.sqrt(128));
      }
      expect(1 - best).toBeLessThan(1e-12);
    }
    expect(espritInit(tensor, 9)).toBeNull(); // R > N_A
  });
});

describe('Levenberg-Marquardt finish', () => {
  it('takes exact Gauss-Newton steps: quadratic convergence on a noise-free tensor', () => {
    // From the true factors perturbed by ε, an exact Gauss-Newton step leaves an error O(ε²), so the
    // cost (∝ error²) falls from O(ε²) to O(ε⁴) in one iteration: with ε = 1e-4 by at least 1e-6.
    const na = 4;
    const nc = 6;
    const m = 5;
    const R = 2;
    const rng = new Rng(['kernels', 'lm']);
    const a = new Float64Array(2 * na * R);
    const b = new Float64Array(2 * nc * R);
    const c = new Float64Array(2 * m * R);
    rng.addComplexNormal(a, na * R, 1);
    rng.addComplexNormal(b, nc * R, 1);
    rng.addComplexNormal(c, m * R, 1);
    const y = new Float64Array(2 * na * nc * m);
    for (let p = 0; p < na; p++)
      for (let n = 0; n < nc; n++)
        for (let j = 0; j < m; j++)
          for (let r = 0; r < R; r++) {
            const [ar, ai] = [a[2 * (p * R + r)]!, a[2 * (p * R + r) + 1]!];
            const [br, bi] = [b[2 * (n * R + r)]!, b[2 * (n * R + r) + 1]!];
            const [cr, ci] = [c[2 * (j * R + r)]!, c[2 * (j * R + r) + 1]!];
            const er = ar * br - ai * bi;
            const ei = ar * bi + ai * br;
            const k = 2 * ((p * nc + n) * m + j);
            y[k] = y[k]! + er * cr - ei * ci;
            y[k + 1] = y[k + 1]! + er * ci + ei * cr;
          }
    const eps = 1e-4;
    const pert = (x: Float64Array) => {
      const z = x.slice();
      rng.addComplexNormal(z, z.length / 2, eps * eps);
      return z;
    };
    const f = { na, nc, m, R, a: pert(a), b: pert(b), c: pert(c) };
    const y2 = cnorm2(y);
    const start = residualNorm2(y, na, nc, m, f.a, f.b, f.c, R, new Float64Array(4 * R + 2 * m));
    const one = lmFinish(y, y2, f, 1);
    expect(one.startCost).toBeCloseTo(start, 12);
    expect(one.cost).toBeLessThan(1e-6 * start);
    const done = lmFinish(y, y2, f, 10);
    expect(Math.sqrt(done.cost / y2)).toBeLessThan(1e-13);
    expect(done.converged).toBe(true);
  });
});
