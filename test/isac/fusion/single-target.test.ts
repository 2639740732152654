import { describe, expect, it } from 'vitest';
import { crbTarget, isSingular } from '../../../src/isac/crb/index.js';
import { SPEED_OF_LIGHT } from '../../../src/isac/constants.js';
import { echoSnr } from '../../../src/isac/echo-model.js';
import type { Scenario, Target } from '../../../src/isac/scenario-types.js';
import {
  fuseFrame,
  fusionRegistry,
  observedFrame,
  ONE_RANDOM,
  rms,
  scenarioOf,
  targetErrors,
} from './chain.js';

const registry = fusionRegistry();

/**
 * √tr of the position bound from the information SFO's (P3) uses: per AP the delay and the sine of
 * the AoA (model notes, exact-mode closed forms j_τ, j_u and Jacobian rows g_τ, g_u), without the
 * Doppler rows that also inform the position in the joint 4x4 bound.
 */
function delayAngleBound(sc: Scenario, t: Target): number {
  const s = sc.system;
  let a = 0;
  let b = 0;
  let c = 0;
  for (const ap of sc.aps) {
    const dx = t.position[0] - ap.position[0];
    const dy = t.position[1] - ap.position[1];
    const r = Math.hypot(dx, dy);
    const snr = echoSnr(sc.snr, r);
    const n = ap.antennas * s.subcarriers * s.symbols;
    const jt = 2 * snr * n * (2 * Math.PI * s.subcarrierSpacingHz) ** 2 * ((s.subcarriers ** 2 - 1) / 12);
    const ju = 2 * snr * n * (2 * Math.PI * s.antennaSpacingWavelengths) ** 2 * ((ap.antennas ** 2 - 1) / 12);
    const gt = [(2 * dx) / (r * SPEED_OF_LIGHT), (2 * dy) / (r * SPEED_OF_LIGHT)];
    const gu = [(-dy * dx) / r ** 3, (dx * dx) / r ** 3];
    a += jt * gt[0]! ** 2 + ju * gu[0]! ** 2;
    b += jt * gt[0]! * gt[1]! + ju * gu[0]! * gu[1]!;
    c += jt * gt[1]! ** 2 + ju * gu[1]! ** 2;
  }
  return Math.sqrt((a + c) / (a * c - b * b));
}

describe('fusion of one target (no association errors possible)', () => {
  it('SFO at high SNR: location RMSE within 1.5x √tr CRB_p (exact) and velocity RMSE within 1.5x its bound', () => {
    // N_c = M = 32 (processing gain 8·32·32 ≈ 39 dB) at 10 dB keeps the test fast; the bound is the
    // exact CRB of that same system. Expected ratios: SFO's location uses only delays and angles, so
    // its RMSE approaches delayAngleBound (≈ 1.1x the joint bound here, which also gets position
    // information from the Dopplers); its velocity approaches the joint velocity bound.
    // Spread: with N trials the RMSE of a 2-D Gaussian error has relative std ≈ 1/(2√N) = 5 % for
    // N = 100, so 1.5x leaves > 5 standard deviations over the expected ratio.
    const target: Target = { position: [170.37, 160.82], velocity: { speed: 100.3, heading: 0.6 } };
    const sc = scenarioOf({ n: 32, db: 10, targets: [target] });
    const crb = crbTarget(sc.aps, target, sc.system, sc.snr, 'exact');
    if (isSingular(crb)) throw new Error(crb.reason);
    const pos: number[] = [];
    const vel: number[] = [];
    for (let trial = 0; trial < 100; trial++) {
      const f = observedFrame(sc, 'one-target-crb', trial, registry);
      fuseFrame(f, { scheme: 'sfo' }, 'sfo', registry);
      const [e] = targetErrors(f, 'sfo');
      pos.push(e!.position);
      vel.push(e!.velocity);
    }
    const used = delayAngleBound(sc, target);
    expect(used / crb.sqrtTrP).toBeGreaterThan(1);
    expect(rms(pos)).toBeLessThan(1.5 * crb.sqrtTrP);
    expect(rms(vel)).toBeLessThan(1.5 * crb.sqrtTrVelXY);
    // and SFO is nearly efficient for the information it uses. Not fully: the paper's weights are
    // equal while radar path loss gives the APs different SNRs, and the printed (P3) weights the
    // delay term √(N_c/N_A) = 2x more than the Fisher information does; that costs ≲ 10 % here.
    // With the 5 % Monte Carlo spread (3σ = 15 %): [0.85, 1.3] x the delay-and-angle bound.
    expect(rms(pos)).toBeLessThan(1.3 * used);
    expect(rms(pos)).toBeGreaterThan(0.85 * used);
  });

  it('MLE (data-level) is worse than SFO at low SNR (threshold region of the per-AP estimates)', () => {
    // −24 dB with N_c = M = 32: each AP's own range/angle/Doppler estimates start to break down
    // (outliers), while (P3)/(P4) still fuse the four APs' factors. A random target in the paper's
    // area, searched over that area by both schemes (same frames: paired). (With the unstructured CP
    // this region began at −20 dB; the structured per-AP estimates, cp structure 'tones', hold ~4 dB
    // longer: at −20 dB neither scheme has a gross error in these 40 frames.)
    const sc = scenarioOf({ n: 32, db: -24, targets: ONE_RANDOM });
    const sfo: number[] = [];
    const mle: number[] = [];
    for (let trial = 0; trial < 40; trial++) {
      const f = observedFrame(sc, 'one-target-low-snr', trial, registry);
      fuseFrame(f, { scheme: 'sfo' }, 'sfo', registry);
      fuseFrame(f, { scheme: 'mle' }, 'mle', registry);
      sfo.push(targetErrors(f, 'sfo')[0]!.position);
      mle.push(targetErrors(f, 'mle')[0]!.position);
    }
    // The gap is in the tails: count gross errors (> 20 m) as well as the RMSE.
    const gross = (e: number[]) => e.filter((x) => x > 20).length;
    expect(rms(sfo)).toBeLessThan(rms(mle));
    expect(gross(sfo)).toBeLessThan(gross(mle));
  });

  it('the lattice error floors at its grid step (random off-grid targets), SFO does not', () => {
    // 30 dB: noise errors are millimetres, so the lattice error is the distance to the chosen grid
    // point. For a target uniform in a cell of side g the RMS distance to the nearest point is g/√6
    // (0.41 g); the per-trial squared error has relative std 0.63, so over N = 30 trials the RMSE
    // has relative std ≈ 0.63/(2√30) ≈ 6 %. Bounds [0.3 g, 0.52 g] leave room for the (anisotropic)
    // objective picking a neighbour of the nearest point now and then.
    const sc = scenarioOf({ n: 32, db: 30, targets: ONE_RANDOM });
    const e1: number[] = [];
    const e2: number[] = [];
    const es: number[] = [];
    const v1: number[] = [];
    for (let trial = 0; trial < 30; trial++) {
      const f = observedFrame(sc, 'lattice-floor', trial, registry);
      fuseFrame(f, { scheme: 'lattice', gridM: 1 }, 'lat1', registry);
      fuseFrame(f, { scheme: 'lattice', gridM: 2, speedStepMps: 4 }, 'lat2', registry);
      fuseFrame(f, { scheme: 'sfo' }, 'sfo', registry);
      e1.push(targetErrors(f, 'lat1')[0]!.position);
      v1.push(targetErrors(f, 'lat1')[0]!.velocity);
      e2.push(targetErrors(f, 'lat2')[0]!.position);
      es.push(targetErrors(f, 'sfo')[0]!.position);
    }
    expect(rms(e1)).toBeGreaterThan(0.3);
    expect(rms(e1)).toBeLessThan(0.52);
    expect(rms(e2)).toBeGreaterThan(0.6);
    expect(rms(e2)).toBeLessThan(1.04);
    // velocity grid 1 m/s x 0.01 rad: RMS ≈ √(1²/12 + (v·0.01)²/12) ≈ 0.4 m/s at ~100 m/s
    expect(rms(v1)).toBeGreaterThan(0.2);
    expect(rms(v1)).toBeLessThan(0.7);
    expect(rms(es)).toBeLessThan(0.05);
  });
});
