import { describe, expect, it } from 'vitest';
import type { Tracker } from '../../../src/isac/tracking/index.js';
import { Rng } from '../../../src/math/rng.js';
import { simulate, THREE_APART, trackerRegistry } from './simulate.js';

const registry = trackerRegistry();
const DT = 0.1;
const SIGMA_P = 1;
const SIGMA_V = 1;
const FRAMES = 150;
const RUNS = 400;

/** Per-axis std of the position and velocity errors at the last frame over RUNS x 3 targets x 2 axes. */
function lastFrameErrorStd(
  params: Record<string, unknown>,
  label: string,
): { position: number; velocity: number } {
  let sp = 0;
  let sv = 0;
  let n = 0;
  for (let run = 0; run < RUNS; run++) {
    const tracker = registry.create<Tracker>('tracker', 'alpha-beta', { gateM: 20, ...params });
    const sim = simulate(tracker, THREE_APART, {
      frames: FRAMES,
      dt: DT,
      sigmaP: SIGMA_P,
      sigmaV: SIGMA_V,
      rng: new Rng(['test', 'alpha-beta', label, run]),
    });
    const last = sim.reports[FRAMES - 1]!;
    expect(last.map((t) => t.id)).toEqual([1, 2, 3]);
    last.forEach((t, u) => {
      const m = sim.truth[FRAMES - 1]![u]!;
      const v = [
        t.velocity.speed * Math.cos(t.velocity.heading),
        t.velocity.speed * Math.sin(t.velocity.heading),
      ];
      for (let a = 0; a < 2; a++) {
        sp += (t.position[a]! - m.position[a]!) ** 2;
        sv += (v[a]! - m.velocity[a]!) ** 2;
        n++;
      }
    });
  }
  return { position: Math.sqrt(sp / n), velocity: Math.sqrt(sv / n) };
}

/*
 * Tolerance as in kalman-steady-state.test.ts: 2400 independent Gaussian samples, relative
 * standard error of the std 1.4 %, tolerance 5 %. Fixed gains: the start-up transient decays like
 * the largest eigenvalue of (I − KH)F, 1 − min(α, β) = 0.8 or 1/√2 here, i.e. below 1e-14 after
 * 150 frames.
 */
const TOL = 0.05;

describe('alpha-beta steady state against closed forms', () => {
  it("classical α-β (measure: 'position'): Kalata's noise reduction ratios, Benedict–Bordner β by default", () => {
    const alpha = 0.5;
    const beta = (alpha * alpha) / (2 - alpha); // Benedict–Bordner: what beta: auto must give
    const d = alpha * (4 - 2 * alpha - beta);
    // Kalata (1984): σ_p² / σ² = (2α² + 2β − 3αβ) / (α(4 − 2α − β)), σ_v² / σ² = 2β² / (dt² α(4 − 2α − β))
    const expectedP = SIGMA_P * Math.sqrt((2 * alpha * alpha + 2 * beta - 3 * alpha * beta) / d);
    const expectedV = SIGMA_P * Math.sqrt((2 * beta * beta) / (DT * DT * d));
    expect(expectedP).toBeCloseTo(0.6417, 3);
    const got = lastFrameErrorStd({ alpha, measure: 'position' }, 'classical');
    expect(Math.abs(got.position / expectedP - 1)).toBeLessThan(TOL);
    expect(Math.abs(got.velocity / expectedV - 1)).toBeLessThan(TOL);
  });

  it("measured velocity (measure: 'position-velocity'): the fixed-gain closed form", () => {
    const alpha = 0.3;
    const beta = 0.2;
    // Per axis, with a = 1 − α, b = 1 − β and the errors before the update e_p⁻ = e_p + dt·e_v:
    //   e_v' = b e_v + β n_v           → V = β σ_v² / (2 − β)
    //   e_p' = a (e_p + dt e_v) + α n_p, cov C = E[e_p e_v] = a b (C + dt V) → C = a b dt V / (1 − a b)
    //   P = (a² (2 dt C + dt² V) + α² σ_p²) / (1 − a²)
    const a = 1 - alpha;
    const b = 1 - beta;
    const V = (beta * SIGMA_V ** 2) / (2 - beta);
    const C = (a * b * DT * V) / (1 - a * b);
    const P = (a * a * (2 * DT * C + DT * DT * V) + alpha * alpha * SIGMA_P ** 2) / (1 - a * a);
    const got = lastFrameErrorStd({ alpha, beta }, 'measured');
    expect(Math.abs(got.position / Math.sqrt(P) - 1)).toBeLessThan(TOL);
    expect(Math.abs(got.velocity / Math.sqrt(V) - 1)).toBeLessThan(TOL);
    // the position noise is reduced to about √(α/(2 − α)) = 0.42 of the fused one
    expect(Math.sqrt(P)).toBeLessThan(0.45);
  });
});
