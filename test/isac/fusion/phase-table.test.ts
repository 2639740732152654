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
  phaseTableSize,
  topLocalMaxima,
  VelocityObjective,
} from '../../../src/isac/fusion/index.js';
import type { Ap, SystemParams } from '../../../src/isac/scenario-types.js';
import { detectTone } from '../../../src/math/exact-tone.js';
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

  it('a released table throws on use; its storage serves the next table, which equals a fresh one', () => {
    const rng = new Rng(['phase-table-release']);
    const n = 128;
    const probes = Array.from({ length: 500 }, () => -50 + 100 * rng.uniform());
    const x1 = factor(rng, n, 0.21);
    const x2 = factor(rng, n, 0.64);
    const expected = (() => {
      const fresh = new PhaseTable(x2, 0, n);
      return probes.map((phi) => fresh.abs(phi));
    })();
    const a = new PhaseTable(x1, 0, n);
    a.abs(0.3);
    a.release();
    a.release(); // twice: nothing more
    expect(() => a.abs(0.3)).toThrow(/used after release/);
    const b = new PhaseTable(x2, 0, n); // on a's storage (the tone-built path writes it all too)
    expect(probes.map((phi) => b.abs(phi))).toEqual(expected);
    const tone = detectTone(x1, 0, n);
    const c1 = new PhaseTable(x1, 0, n, undefined, tone);
    const values = probes.map((phi) => c1.abs(phi));
    c1.release();
    const c2 = new PhaseTable(x1, 0, n, undefined, tone);
    expect(probes.map((phi) => c2.abs(phi))).toEqual(values);
  });

  it('an objective releases its surrogate: the old one throws, a new one gives the same values', () => {
    const rng = new Rng(['surrogate-release']);
    const loc = new LocationObjective(observation(rng), aps, sys, [0.1, 0.2, 0.3, 0.4]);
    const pts = Float64Array.from({ length: 200 }, () => 100 + 150 * rng.uniform());
    const before = new Float64Array(100);
    const s1 = loc.surrogate();
    s1.values!(pts, 100, before);
    loc.releaseTables();
    expect(() => s1.value(pts.subarray(0, 2))).toThrow(/used after release/);
    const after = new Float64Array(100);
    loc.surrogate().values!(pts, 100, after);
    expect(after).toEqual(before);
    loc.releaseTables();
    loc.releaseTables(); // none built: nothing
  });

  it("an exact tone's table from its closed form: within the error bound of the Horner sum, as the FFT-built table, also next to the pole", () => {
    const rng = new Rng(['phase-table-tone']);
    for (const n of [8, 128]) {
      for (const omega of [0.37, -2.9, (2 * Math.PI * 5) / 4096, 0]) {
        // x_{k+1} = A e^{jkω} with a complex A (its phase drops out of |P|)
        const x = new Float64Array(2 * n);
        for (let k = 0; k < n; k++) {
          x[2 * k] = 0.3 * Math.cos(k * omega + 1.1);
          x[2 * k + 1] = 0.3 * Math.sin(k * omega + 1.1);
        }
        const tone = detectTone(x, 0, n);
        expect(tone).not.toBeNull();
        const closed = new PhaseTable(x, 0, n, undefined, tone);
        const byFft = new PhaseTable(x, 0, n);
        expect(closed.error).toBe(byFft.error);
        // random phases, and the grid points around the pole φ = −ω where 1 − w vanishes
        const phis = Array.from({ length: 5000 }, () => -50 + 100 * rng.uniform());
        for (let i = -3; i <= 3; i++)
          phis.push(-omega + (2 * Math.PI * i) / 4096, -omega + (2 * Math.PI * (i + 0.5)) / 4096);
        for (const phi of phis) {
          const exact = hornerAbs(x, 0, n, Math.cos(phi), Math.sin(phi));
          expect(Math.abs(closed.abs(phi) - exact)).toBeLessThanOrEqual(closed.error);
          expect(Math.abs(closed.abs(phi) - byFft.abs(phi))).toBeLessThan(1e-12 * 0.3 * n);
        }
      }
    }
  });

  it('the default table size keeps the error bound relative to the peak at the 128-term level for longer factors', () => {
    expect([8, 128, 129, 256, 1024].map(phaseTableSize)).toEqual([4096, 4096, 8192, 8192, 32768]);
    // unit-modulus tones: peak |P| = n; the bound's interpolation part ∝ n³/K², so relative ∝ (n/K)²
    const rel = (n: number) => {
      const x = new Float64Array(2 * n);
      for (let k = 0; k < n; k++) {
        x[2 * k] = Math.cos(0.4 * k);
        x[2 * k + 1] = Math.sin(0.4 * k);
      }
      return new PhaseTable(x, 0, n).error / n;
    };
    expect(rel(256) / rel(128)).toBeCloseTo(1, 1);
    // √2 h²/8 Σk² / n with h = 2π/(32 n), Σk² ≈ n³/3: √2 (2π)² / (8 · 3 · 32²) = 0.227 % of the peak
    expect(rel(256) / ((Math.SQRT2 * 4 * Math.PI ** 2) / (8 * 3 * 1024))).toBeCloseTo(1, 1);
  });

  it('(P4) rows with exact-tone Doppler factors: the closed form along the row, within 1e-9 of the trace (far inside the error bound)', () => {
    const rng = new Rng(['phase-table-tone-row']);
    const obs = observation(rng);
    // the structured CP's factors: exact unit-norm tones
    obs.perAp.forEach((o) => {
      const nu = rng.uniform() - 0.5;
      for (let k = 0; k < sys.symbols; k++) {
        o.dopplerFactor[2 * k] = Math.cos(2 * Math.PI * nu * k + 0.3) / Math.sqrt(sys.symbols);
        o.dopplerFactor[2 * k + 1] = Math.sin(2 * Math.PI * nu * k + 0.3) / Math.sqrt(sys.symbols);
      }
    });
    const vel = new VelocityObjective(obs, aps, sys, obs.weights, [170, 180]);
    const va = vel.approximation();
    const av = gridAxis(0, 150, 0.7);
    const row = new Float64Array(av.count);
    let peak = 0;
    for (const h of [-2.9, -1, 0.2, 1.7, 3]) {
      va.row!(av.start, av.step, av.count, h, row, 0);
      for (let i = 0; i < av.count; i++) {
        const exact = vel.trace(av.start + i * av.step, h);
        peak = Math.max(peak, exact);
        expect(Math.abs(row[i]! - exact)).toBeLessThanOrEqual(1e-9 * Math.max(exact, 1));
        expect(Math.abs(row[i]! - exact)).toBeLessThanOrEqual(va.error);
      }
    }
    expect(peak).toBeGreaterThan(0);
    // and the lattice's separable search still picks the point of the point-by-point scan
    const ah = periodicAxis(-Math.PI, 2 * Math.PI, 0.02);
    const scan = gridArgmax((v, h) => vel.trace(v, h), av, ah);
    const sep = gridArgmaxSeparable((v, h) => vel.trace(v, h), va, av, ah);
    expect([sep.x, sep.y, sep.value]).toEqual([scan.x, scan.y, scan.value]);
  });

  it('topLocalMaxima equals the full scan (every local maximum, stably sorted), ties and wrap-around included', () => {
    const brute = (vals: Float64Array, nx: number, ny: number, count: number, periodic: boolean) => {
      const all: Array<{ i: number; j: number; v: number }> = [];
      for (let j = 0; j < ny; j++)
        for (let i = 0; i < nx; i++) {
          const v = vals[j * nx + i]!;
          let isMax = true;
          for (let dj = -1; dj <= 1; dj++)
            for (let di = -1; di <= 1; di++) {
              let jj = j + dj;
              const ii = i + di;
              if ((di === 0 && dj === 0) || ii < 0 || ii >= nx) continue;
              if (jj < 0 || jj >= ny) {
                if (!periodic) continue;
                jj = (jj + ny) % ny;
              }
              if (vals[jj * nx + ii]! > v) isMax = false;
            }
          if (isMax) all.push({ i, j, v });
        }
      all.sort((p, q) => q.v - p.v);
      return all.slice(0, count).map((p) => [p.i, p.j]);
    };
    const rng = new Rng(['top-local-maxima']);
    for (let trial = 0; trial < 200; trial++) {
      const nx = 1 + rng.int(12);
      const ny = 1 + rng.int(12);
      const levels = 1 + rng.int(6); // few levels: many ties
      const vals = Float64Array.from({ length: nx * ny }, () => rng.int(levels));
      for (const count of [0, 1, 3, 50])
        for (const periodic of [false, true])
          expect(topLocalMaxima(vals, nx, ny, count, periodic)).toEqual(brute(vals, nx, ny, count, periodic));
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
      // (P4)'s row evaluation (hoisted cosines) gives exactly the point-by-point values (table terms)
      const va = vel.approximation();
      const row = new Float64Array(av.count + 2);
      for (const h of [-3, -0.4, 0, 1.3, 3.1]) {
        va.row!(av.start, av.step, av.count, h, row, 2);
        for (let i = 0; i < av.count; i++) expect(row[2 + i]).toBe(va.approx(av.start + i * av.step, h));
      }
    }
  });
});
