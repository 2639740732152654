import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/math/rng.js';
import { synthesizeEcho } from '../../../src/isac/echo-model.js';
import type { Ap, SnrSpec, SystemParams, Target } from '../../../src/isac/scenario-types.js';
import {
  crbVariantTargets,
  EXACT_VARIANT,
  PAPER_VARIANT,
  type CrbDetail,
} from '../../../src/isac/crb/index.js';
import { MlFitter, type Params4 } from './ml-fit.js';

/**
 * Monte Carlo check of the `exact` bound: the ML estimator of (x, y, v, θ_u) with unknown per-AP
 * complex amplitudes, run on the explicit signal of src/isac/echo-model.ts at high SNR, attains
 * the joint unknown-amplitude CRB.
 *
 * Tolerance: if the estimator is efficient and its errors Gaussian, n·MSE_k/CRB_kk ~ χ²_n for each
 * parameter k, so MSE/CRB has relative standard deviation √(2/n) (≈ 0.026 for n = 3000). We
 * allow 4 standard deviations (two-sided false-alarm ≈ 6e-5 per check, the seed is fixed anyway).
 * The bias test uses the standard error of a mean, √(CRB_kk/n), also at 4 sd.
 */
const sys: SystemParams = {
  carrierHz: 3.5e9,
  subcarrierSpacingHz: 30e3,
  subcarriers: 16,
  symbols: 16,
  symbolDurationS: 35.714e-6,
  antennaSpacingWavelengths: 0.5,
};
const aps: Ap[] = [
  { position: [0, 0], antennas: 8 },
  { position: [350, 0], antennas: 8 },
];
const target: Target = { position: [150.37, 160.82], velocity: { speed: 100.3, heading: 0.6 } };
const snr: SnrSpec = { db: 10, referenceRangeM: 250, pathLoss: 'none' };
const TRIALS = 3000;

describe('exact CRB vs Monte Carlo ML estimator', () => {
  it('MSE of every parameter matches the joint unknown-amplitude CRB within 4·√(2/n)', () => {
    const exact = crbVariantTargets(aps, [target], sys, snr, EXACT_VARIANT)[0] as CrbDetail;
    const paper = crbVariantTargets(aps, [target], sys, snr, PAPER_VARIANT)[0] as CrbDetail;
    expect('singular' in exact).toBe(false);
    const truth: Params4 = [
      target.position[0],
      target.position[1],
      target.velocity.speed,
      target.velocity.heading,
    ];
    const fitter = new MlFitter(sys, aps);
    const sum = [0, 0, 0, 0];
    const sumSq = [0, 0, 0, 0];
    for (let trial = 0; trial < TRIALS; trial++) {
      const rng = new Rng(['crb-monte-carlo', trial]);
      const ys = aps.map((ap, l) => synthesizeEcho(sys, ap, [target], snr, rng.fork('ap', l)).tensor.data);
      const est = fitter.fit(ys, truth, 4); // converged to ~1e-6 relative after 3 Gauss-Newton steps from the truth
      for (let k = 0; k < 4; k++) {
        const e = (est[k] as number) - (truth[k] as number);
        sum[k] = (sum[k] as number) + e;
        sumSq[k] = (sumSq[k] as number) + e * e;
      }
    }
    const tol = 4 * Math.sqrt(2 / TRIALS);
    const ratios: number[] = [];
    for (let k = 0; k < 4; k++) {
      const crbKk = exact.crb[5 * k] as number;
      const mse = (sumSq[k] as number) / TRIALS;
      ratios.push(mse / crbKk);
      expect(Math.abs(mse / crbKk - 1)).toBeLessThan(tol);
      expect(Math.abs((sum[k] as number) / TRIALS)).toBeLessThan(4 * Math.sqrt(crbKk / TRIALS));
    }
    const msePos = ((sumSq[0] as number) + (sumSq[1] as number)) / TRIALS;
    const mseVel = ((sumSq[2] as number) + (sumSq[3] as number)) / TRIALS;
    const trP = exact.bound.sqrtTrP ** 2;
    const trA = exact.bound.sqrtTrA ** 2;
    expect(Math.abs(msePos / trP - 1)).toBeLessThan(tol);
    expect(Math.abs(mseVel / trA - 1)).toBeLessThan(tol);
    // The decoupled known-amplitude `paper` bound lies below what the ML estimator achieves.
    expect(paper.bound.sqrtTrP).toBeLessThan(exact.bound.sqrtTrP);
    expect(paper.bound.sqrtTrA).toBeLessThan(exact.bound.sqrtTrA);
    expect(msePos / paper.bound.sqrtTrP ** 2).toBeGreaterThan(1 + tol);
    console.log(
      'MSE/CRB (x, y, v, θ_u):',
      ratios.map((r) => r.toFixed(3)).join(', '),
      'pos',
      (msePos / trP).toFixed(3),
      'vel',
      (mseVel / trA).toFixed(3),
      'paper/exact √trP',
      (paper.bound.sqrtTrP / exact.bound.sqrtTrP).toFixed(3),
      '√trA',
      (paper.bound.sqrtTrA / exact.bound.sqrtTrA).toFixed(3),
    );
  });
});
