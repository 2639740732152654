import { describe, expect, it } from 'vitest';
import type { ApObservation, TargetObservation } from '../../../src/isac/association/types.js';
import { defaultScenario } from '../../../src/isac/default-scenario.js';
import {
  gridArgmax,
  gridArgmaxSeparable,
  gridAxis,
  hornerAbs,
  latticeAxis,
  LocationObjective,
  periodicAxis,
  PhaseTable,
  VelocityObjective,
} from '../../../src/isac/fusion/index.js';
import type { Ap, SystemParams } from '../../../src/isac/scenario-types.js';
import { Rng } from '../../../src/math/rng.js';

const sys: SystemParams = defaultScenario().system;
const aps: Ap[] = defaultScenario().aps;

function factor(rng: Rng, n: number, nu: number): Float64Array {
  // a tone plus noise (what a CP factor looks like), unit norm
  const x = new Float64Array(2 * n);
  rng.addComplexNormal(x, n, 0.3);
  for (let k = 0; k < n; k++) {
    x[2 * k] = x[2 * k]! + Math.cos(2 * Math.PI * nu * (k + 1));
    x[2 * k + 1] = x[2 * k + 1]! + Math.sin(2 * Math.PI * nu * (k + 1));
  }
  const s = Math.sqrt(x.reduce((a, v) => a + v * v, 0));
  return x.map((v) => v / s);
}

function observation(rng: Rng): TargetObservation {
  const perAp: ApObservation[] = aps.map((a, l) => ({
    ap: l,
    component: 0,
    angleFactor: factor(rng, a.antennas, rng.uniform()),
    delayFactor: factor(rng, sys.subcarriers, rng.uniform()),
    dopplerFactor: factor(rng, sys.symbols, rng.uniform()),
    amplitude: [1, 0],
    noiseVariance: 1,
    range: 0,
    delay: 0,
    sinAoa: 0,
    aoa: 0,
    doppler: 0,
  }));
  const w = [0.1, 0.2, 0.3, 0.4];
  return {
    perAp,
    weightsPaper: w,
    weightsSnr: w,
    weights: w,
    weightScheme: 'paper',
    fit: { position: [170, 180], velocity: [0, 0], cost: 0 },
  };
}

describe('phase tables (separable grid evaluation)', () => {
  it('|P(φ)| from the table is within its error bound of the Horner sum, and the bound is not loose by more than 1e3', () => {
    const rng = new Rng(['phase-table']);
    for (const n of [8, 128]) {
      const x = factor(rng, n, 0.37);
      const t = new PhaseTable(x, 0, n);
      let worst = 0;
      for (let i = 0; i < 20000; i++) {
        const phi = -50 + 100 * rng.uniform();
        const err = Math.abs(t.abs(phi) - hornerAbs(x, 0, n, Math.cos(phi), Math.sin(phi)));
        expect(err).toBeLessThanOrEqual(t.error);
        worst = Math.max(worst, err);
      }
      expect(worst).toBeGreaterThan(t.error * 1e-3);
    }
  });

  it('the lattice grids evaluated separably choose the same points as the point-by-point scan', () => {
    const rng = new Rng(['phase-table-grid']);
    for (let trial = 0; trial < 4; trial++) {
      const obs = observation(rng);
      const loc = new LocationObjective(obs, aps, sys, obs.weights);
      const ax = latticeAxis(125, 225, 1);
      const a = gridArgmax((x, y) => loc.trace(x, y), ax, ax);
      const b = gridArgmaxSeparable((x, y) => loc.trace(x, y), loc.approximation(), ax, ax);
      expect([b.x, b.y, b.value]).toEqual([a.x, a.y, a.value]);
      expect(b.exactEvaluations).toBeLessThan(a.evaluations / 10);
      const vel = new VelocityObjective(obs, aps, sys, obs.weights, [a.x, a.y]);
      const av = gridAxis(0, 150, 1);
      const ah = periodicAxis(-Math.PI, 2 * Math.PI, 0.01);
      const c = gridArgmax((v, h) => vel.trace(v, h), av, ah);
      const d = gridArgmaxSeparable((v, h) => vel.trace(v, h), vel.approximation(), av, ah);
      expect([d.x, d.y, d.value]).toEqual([c.x, c.y, c.value]);
    }
  });
});
