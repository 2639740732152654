import { describe, expect, it } from 'vitest';
import type { ApObservation, TargetObservation } from '../../../src/isac/association/types.js';
import { defaultScenario } from '../../../src/isac/default-scenario.js';
import {
  gridAxis,
  latticeAxis,
  periodicAxis,
  velocityWls,
  weightedMeasurements,
  WlsLocationObjective,
  wlsStarts,
} from '../../../src/isac/fusion/index.js';
import { cartesianVelocity, pairGeometry } from '../../../src/isac/geometry.js';
import type { Target } from '../../../src/isac/scenario-types.js';

const sc = defaultScenario();
const sys = sc.system;
const target: Target = { position: [170.37, 160.82], velocity: { speed: 100.3, heading: 0.6 } };

/** Exact (noise-free) per-AP measurements of `target` as an observation; factor lengths set N. */
function exactObservation(snr: number[]): TargetObservation {
  const perAp: ApObservation[] = sc.aps.map((a, l) => {
    const g = pairGeometry(a.position, target, sys);
    return {
      ap: l,
      component: 0,
      angleFactor: new Float64Array(2 * a.antennas),
      delayFactor: new Float64Array(2 * sys.subcarriers),
      dopplerFactor: new Float64Array(2 * sys.symbols),
      amplitude: [Math.sqrt(snr[l]!), 0],
      noiseVariance: 1,
      range: g.range,
      delay: g.delay,
      sinAoa: Math.sin(g.aoa),
      aoa: g.aoa,
      doppler: g.doppler,
    };
  });
  const w = [0.25, 0.25, 0.25, 0.25];
  return {
    perAp,
    weightsPaper: w,
    weightsSnr: w,
    weights: w,
    weightScheme: 'paper',
    fit: { position: [172, 158], velocity: [0, 0], cost: 0 },
  };
}

describe('MLE baseline pieces (mle.ts)', () => {
  it('variances: the model notes closed forms; SNR 0 drops an AP; equal weights use SNR = 1', () => {
    const m = weightedMeasurements(exactObservation([2, 1, 1, 0]), sc.aps, sys, 'crb');
    const n = 8 * 128 * 128;
    const varTau = 1 / (2 * 2 * n * (2 * Math.PI * 30e3) ** 2 * ((128 * 128 - 1) / 12));
    expect(m[0]!.varRange / ((299_792_458 / 2) ** 2 * varTau)).toBeCloseTo(1, 12);
    expect(m[1]!.varRange / m[0]!.varRange).toBeCloseTo(2, 12);
    expect(m[0]!.varSin).toBeCloseTo(1 / (2 * 2 * n * Math.PI ** 2 * (63 / 12)), 20);
    expect(m[3]!.varRange).toBe(Infinity);
    const e = weightedMeasurements(exactObservation([2, 1, 1, 0]), sc.aps, sys, 'equal');
    expect(e[0]!.varRange).toBeCloseTo(e[3]!.varRange, 20);
  });

  it('exact measurements: the least squares is 0 at the target and the velocity is recovered exactly', () => {
    const meas = weightedMeasurements(exactObservation([1, 1, 1, 1]), sc.aps, sys, 'crb');
    const f = new WlsLocationObjective(meas);
    expect(f.value(Float64Array.from(target.position))).toBeLessThan(1e-12);
    const g = new Float64Array(2);
    f.gradient(Float64Array.from(target.position), g);
    expect(Math.hypot(g[0]!, g[1]!)).toBeLessThan(1e-3);
    // gradient against central differences away from the optimum
    const x = Float64Array.of(160, 170);
    f.gradient(x, g);
    const h = 1e-5;
    for (let k = 0; k < 2; k++) {
      const a = Float64Array.from(x);
      const b = Float64Array.from(x);
      a[k]! += h;
      b[k]! -= h;
      expect(g[k]! / ((f.value(a) - f.value(b)) / (2 * h))).toBeCloseTo(1, 5);
    }
    const v = velocityWls(meas, target.position, sys, 500);
    const truth = cartesianVelocity(target.velocity);
    expect(v.vx).toBeCloseTo(truth[0], 6);
    expect(v.vy).toBeCloseTo(truth[1], 6);
    expect(v.limited).toBe(false);
    expect(v.cost).toBeLessThan(1e-6);
    // starts: the fit and 2 per AP, one of each AP's pair on the target
    const starts = wlsStarts(meas, [172, 158]);
    expect(starts).toHaveLength(9);
    expect(starts.some((s) => Math.hypot(s[0] - target.position[0], s[1] - target.position[1]) < 1e-9)).toBe(
      true,
    );
  });

  it('the speed limit binds: |v| = v_max on the circle, along the unconstrained direction for an isotropic fit', () => {
    const meas = weightedMeasurements(exactObservation([1, 1, 1, 1]), sc.aps, sys, 'crb');
    const v = velocityWls(meas, target.position, sys, 50);
    expect(v.limited).toBe(true);
    expect(Math.hypot(v.vx, v.vy)).toBeCloseTo(50, 6);
  });
});

describe('grid axes', () => {
  it('gridAxis includes both ends; latticeAxis uses multiples of the step; periodicAxis covers a period', () => {
    expect(gridAxis(125, 225, 1).count).toBe(101);
    expect(latticeAxis(124.6, 130.2, 1)).toEqual({ start: 125, step: 1, count: 6 });
    expect(latticeAxis(0.2, 0.7, 1).count).toBe(1);
    const p = periodicAxis(-Math.PI, 2 * Math.PI, 0.01);
    expect(p.count).toBe(629);
    expect(p.start + p.count * p.step).toBeCloseTo(Math.PI, 12);
    expect(() => gridAxis(0, 1, 0)).toThrow(/step/);
  });
});
