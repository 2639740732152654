import { describe, expect, it } from 'vitest';
import type { Tracker } from '../../../src/isac/tracking/index.js';
import { Rng } from '../../../src/math/rng.js';
import {
  add,
  errorCovarianceAtFrame,
  fixedGainErrorCovariance,
  I2,
  inv,
  mul,
  processNoise,
  riccatiSteadyState,
  sub,
  tr,
  transition,
  type M2,
} from './cv-theory.js';
import { simulate, THREE_APART, trackerRegistry } from './simulate.js';

const registry = trackerRegistry();

// A generic tracking set-up whose Riccati recursion converges in ~150 steps (the isacflow frame
// interval M·T = 4.6 ms with q = 1 needs thousands): dt = 0.1 s, σ_p = 1 m, σ_v = 1 m/s, q = 0.5.
const DT = 0.1;
const SIGMA_P = 1;
const SIGMA_V = 1;
const Q = 0.5;
const FRAMES = 200;
const RUNS = 400;

/**
 * Empirical std of the tracked position and velocity errors at the last frame, per axis, over
 * RUNS independent runs x 3 targets x 2 axes. Track u+1 is target u (born in frame 0 in target
 * order; the ids test checks they are kept).
 */
function lastFrameErrorStd(
  params: Record<string, unknown>,
  truthQ: number,
  label: string,
): { position: number; velocity: number; meanPosition: number; n: number } {
  let sp = 0;
  let sv = 0;
  let mp = 0;
  let n = 0;
  for (let run = 0; run < RUNS; run++) {
    const tracker = registry.create<Tracker>('tracker', 'kalman-cv', params);
    const sim = simulate(tracker, THREE_APART, {
      frames: FRAMES,
      dt: DT,
      sigmaP: SIGMA_P,
      sigmaV: SIGMA_V,
      truthQ,
      rng: new Rng(['test', 'kalman-steady-state', label, run]),
    });
    const last = sim.reports[FRAMES - 1]!;
    const truth = sim.truth[FRAMES - 1]!;
    expect(last.map((t) => t.id)).toEqual([1, 2, 3]);
    last.forEach((t, u) => {
      const m = truth[u]!;
      const v = [
        t.velocity.speed * Math.cos(t.velocity.heading),
        t.velocity.speed * Math.sin(t.velocity.heading),
      ];
      for (let a = 0; a < 2; a++) {
        const ep = t.position[a]! - m.position[a]!;
        sp += ep * ep;
        mp += ep;
        sv += (v[a]! - m.velocity[a]!) ** 2;
        n++;
      }
    });
  }
  return { position: Math.sqrt(sp / n), velocity: Math.sqrt(sv / n), meanPosition: mp / n, n };
}

/*
 * Tolerance: the errors are zero-mean Gaussian (a linear filter of Gaussian noise) and the n =
 * 2400 samples are independent (independent runs, targets and axes: the noise is isotropic and the
 * filter decouples the axes), so the sample std has relative standard error 1/√(2(n−1)) = 1.4 %.
 * 5 % is 3.5 standard errors. The frame is late enough for the steady state: the exact
 * time-varying error covariance at that frame (errorCovarianceAtFrame) is within 0.1 % of it
 * (checked in each test).
 */
const TOL = 0.05;

describe('kalman-cv steady state against the Riccati recursion', () => {
  const params = { positionStdM: SIGMA_P, velocityStdMps: SIGMA_V, accelerationPsd: Q, gateM: 20 };

  it('targets flying straight: the error std is what the steady-state gain predicts (Lyapunov), well below σ', () => {
    const ss = riccatiSteadyState(DT, Q, SIGMA_P ** 2, SIGMA_V ** 2, false);
    const actual = fixedGainErrorCovariance(DT, ss.gain, SIGMA_P ** 2, SIGMA_V ** 2, false);
    const atFrame = errorCovarianceAtFrame(DT, Q, 0, SIGMA_P ** 2, SIGMA_V ** 2, false, FRAMES);
    expect(Math.abs(atFrame[0] / actual.covariance[0] - 1)).toBeLessThan(1e-3);
    expect(Math.abs(atFrame[3] / actual.covariance[3] - 1)).toBeLessThan(1e-3);
    expect(actual.rho).toBeLessThan(1);
    const expectedP = Math.sqrt(actual.covariance[0]);
    const expectedV = Math.sqrt(actual.covariance[3]);
    // theory: 0.293 σ_p and 0.313 σ_v (the filter's own covariance says 0.298 and 0.435: it
    // allows for manoeuvres the straight-flying targets do not make)
    expect(expectedP).toBeCloseTo(0.2934, 3);
    const got = lastFrameErrorStd(params, 0, 'straight');
    expect(got.n).toBe(RUNS * 6);
    expect(Math.abs(got.position / expectedP - 1)).toBeLessThan(TOL);
    expect(Math.abs(got.velocity / expectedV - 1)).toBeLessThan(TOL);
    // the mean error is 0 within 4 standard errors
    expect(Math.abs(got.meanPosition)).toBeLessThan((4 * expectedP) / Math.sqrt(got.n));
    expect(got.position / SIGMA_P).toBeLessThan(0.32);
  });

  it('targets driven by the modelled process noise: the error covariance is the Riccati fixed point', () => {
    const ss = riccatiSteadyState(DT, Q, SIGMA_P ** 2, SIGMA_V ** 2, false);
    const atFrame = errorCovarianceAtFrame(DT, Q, Q, SIGMA_P ** 2, SIGMA_V ** 2, false, FRAMES);
    expect(Math.abs(atFrame[0] / ss.covariance[0] - 1)).toBeLessThan(1e-3);
    const got = lastFrameErrorStd(params, Q, 'manoeuvring');
    expect(Math.abs(got.position / Math.sqrt(ss.covariance[0]) - 1)).toBeLessThan(TOL);
    expect(Math.abs(got.velocity / Math.sqrt(ss.covariance[3]) - 1)).toBeLessThan(TOL);
  });

  it("measure: 'position' follows the position-only Riccati recursion (H = [1 0])", () => {
    const ss = riccatiSteadyState(DT, Q, SIGMA_P ** 2, SIGMA_V ** 2, true);
    const actual = fixedGainErrorCovariance(DT, ss.gain, SIGMA_P ** 2, SIGMA_V ** 2, true);
    const atFrame = errorCovarianceAtFrame(DT, Q, 0, SIGMA_P ** 2, SIGMA_V ** 2, true, FRAMES);
    expect(Math.abs(atFrame[0] / actual.covariance[0] - 1)).toBeLessThan(1e-3);
    const got = lastFrameErrorStd({ ...params, measure: 'position' }, 0, 'position-only');
    expect(Math.abs(got.position / Math.sqrt(actual.covariance[0]) - 1)).toBeLessThan(TOL);
    expect(Math.abs(got.velocity / Math.sqrt(actual.covariance[3]) - 1)).toBeLessThan(TOL);
    // without the velocity measurement the filter is worse (0.384 vs 0.293 σ_p)
    expect(Math.sqrt(actual.covariance[0])).toBeGreaterThan(0.37);
  });
});

describe('kalman-cv against a textbook Kalman filter', () => {
  it('gives the same states frame by frame as general-matrix predict/update per axis (random dt, both measure modes)', () => {
    for (const measure of ['position-velocity', 'position'] as const) {
      const rp = 0.3 ** 2;
      const rv = 0.7 ** 2;
      const q = 2;
      const tracker = registry.create<Tracker>('tracker', 'kalman-cv', {
        positionStdM: 0.3,
        velocityStdMps: 0.7,
        accelerationPsd: q,
        measure,
        gateM: 100,
      });
      const rng = new Rng(['test', 'kalman-reference', measure]);
      const H: M2 = measure === 'position' ? [1, 0, 0, 0] : I2;
      // reference state per axis: x = [p, v] and P
      const xs: Array<[number, number]> = [];
      let P: M2 = [rp, 0, 0, rv];
      let frame = 0;
      for (let k = 0; k < 40; k++) {
        const dt = k === 0 ? 0 : 0.01 + 0.2 * rng.uniform();
        frame += k === 0 ? 0 : 1 + rng.int(3);
        const z = [rng.normal(), rng.normal()];
        const zv = [5 + rng.normal(), -3 + rng.normal()];
        const out = tracker.step({
          frame,
          dt,
          estimates: [
            {
              position: [z[0]!, z[1]!],
              velocity: { speed: Math.hypot(zv[0]!, zv[1]!), heading: Math.atan2(zv[1]!, zv[0]!) },
            },
          ],
        });
        if (k === 0) {
          xs.push([z[0]!, zv[0]!], [z[1]!, zv[1]!]);
        } else {
          const F = transition(dt);
          const Pm = add(mul(mul(F, P), tr(F)), processNoise(dt, q));
          const R: M2 = measure === 'position' ? [rp, 0, 0, 1] : [rp, 0, 0, rv];
          // K = P⁻ Hᵀ (H P⁻ Hᵀ + R)⁻¹; with H = [1 0] the (2,2) entry of R only keeps S invertible
          const S = add(mul(mul(H, Pm), tr(H)), R);
          const Kfull = mul(mul(Pm, tr(H)), inv(S));
          const K: M2 = measure === 'position' ? [Kfull[0], 0, Kfull[2], 0] : Kfull;
          for (let a = 0; a < 2; a++) {
            const x = xs[a]!;
            const px = x[0] + dt * x[1];
            const vx = x[1];
            const r0 = z[a]! - px;
            const r1 = measure === 'position' ? 0 : zv[a]! - vx;
            xs[a] = [px + K[0] * r0 + K[1] * r1, vx + K[2] * r0 + K[3] * r1];
          }
          P = mul(sub(I2, mul(K, H)), Pm);
        }
        const t = out[0]!;
        expect(out).toHaveLength(1);
        for (let a = 0; a < 2; a++) {
          expect(t.position[a]).toBeCloseTo(xs[a]![0], 10);
          const v =
            a === 0
              ? t.velocity.speed * Math.cos(t.velocity.heading)
              : t.velocity.speed * Math.sin(t.velocity.heading);
          expect(v).toBeCloseTo(xs[a]![1], 10);
        }
      }
    }
  });
});
