import { describe, expect, it } from 'vitest';
import { powerSums, powerSumsReal } from '../../../src/isac/crb/joint-gram.js';
import { defaultScenario } from '../../../src/isac/default-scenario.js';
import { PlacementObjective, randomLayout, type DesignTarget } from '../../../src/isac/placement/index.js';
import type { SnrSpec } from '../../../src/isac/scenario-types.js';
import { Rng } from '../../../src/math/rng.js';
import { defaultProblem, fdGradient, maxAbs } from './helpers.js';

const rng = new Rng(['placement-test', 'joint-objective']);
const SCALE = [...Array(8).fill(10), ...Array(4).fill(3)];

describe('steering sums for a real antenna count (analytic continuation)', () => {
  it('equal the integer sums Σ k^q e^{jΔωk} at integer N, in the Taylor and the closed-form branch', () => {
    const a = new Float64Array(6);
    const b = new Float64Array(6);
    for (const n of [1, 2, 3, 7, 8, 16, 32]) {
      for (const dw of [
        0, 1e-9, 1e-5, 1e-3, 0.003, 0.01, 0.05, 0.2, 1, 2.5, 3.14, -3.14159, 4, -6.28, 6.2831, -1.7,
      ]) {
        powerSums(dw, n, a);
        powerSumsReal(dw, n, b);
        // S_q grows like N^{q+1}; relative to that, round-off only
        for (let i = 0; i < 6; i++)
          expect(Math.abs(a[i]! - b[i]!) / n ** ((i >> 1) + 1), `N ${n} Δω ${dw} entry ${i}`).toBeLessThan(
            1e-12,
          );
      }
    }
  });

  it('at Δω = 0 are the exact mode polynomials N, N(N+1)/2, N(N+1)(2N+1)/6 for real N', () => {
    const b = new Float64Array(6);
    for (const n of [1.3, 4.5, 7.25, 20.9]) {
      powerSumsReal(0, n, b);
      expect(b[0]! / n - 1).toBeCloseTo(0, 14);
      expect(b[2]! / ((n * (n + 1)) / 2) - 1).toBeCloseTo(0, 14);
      expect(b[4]! / ((n * (n + 1) * (2 * n + 1)) / 6) - 1).toBeCloseTo(0, 14);
      expect(b[1]).toBe(0);
    }
  });
});

describe('placement objective, crbMode joint', () => {
  it('gradient w.r.t. AP positions and antennas agrees with central differences (random continuous layouts)', () => {
    const p = defaultProblem({ mode: 'joint', radius: 40 });
    const obj = p.objective;
    const h = new Float64Array(obj.U);
    const G = new Float64Array(obj.U * obj.dim);
    for (let k = 0; k < 4; k++) {
      const z = randomLayout(p, rng.fork('random', k));
      for (let l = 0; l < 4; l++) z[8 + l] = z[8 + l]! + rng.uniform(); // non-integer antennas
      expect(obj.evaluate(z, h, G)).toBe(true);
      for (let u = 0; u < obj.U; u++) {
        const fd = fdGradient(
          (x) => {
            const hh = new Float64Array(obj.U);
            obj.evaluate(x, hh);
            return hh[u]!;
          },
          z,
          SCALE,
        );
        const g = G.subarray(u * obj.dim, (u + 1) * obj.dim);
        const norm = maxAbs(fd);
        for (let i = 0; i < fd.length; i++)
          expect(Math.abs(g[i]! - fd[i]!), `layout ${k} target ${u} coordinate ${i}`).toBeLessThanOrEqual(
            1e-6 * norm,
          );
      }
    }
  });

  it('gradient agrees with central differences where two design targets share a resolution cell', () => {
    // two targets 1.5 m apart with similar velocity: the joint bound is far above exact here
    const targets: DesignTarget[] = [
      { x: 170, y: 180, speed: 100, heading: 1.0 },
      { x: 171.2, y: 180.9, speed: 101, heading: 1.02 },
      { x: 205, y: 140, speed: 95, heading: 2.2 },
    ];
    const p = defaultProblem({ mode: 'joint', radius: 20, targets });
    const exact = defaultProblem({ mode: 'exact', radius: 20, targets });
    const obj = p.objective;
    const h = new Float64Array(3);
    const he = new Float64Array(3);
    const G = new Float64Array(3 * obj.dim);
    for (let k = 0; k < 3; k++) {
      const z = randomLayout(p, rng.fork('close', k));
      for (let l = 0; l < 4; l++) z[8 + l] = z[8 + l]! + 0.37;
      expect(obj.evaluate(z, h, G)).toBe(true);
      exact.objective.psiP = obj.psiP;
      exact.objective.psiA = obj.psiA;
      exact.objective.evaluate(z, he);
      expect(h[0]!).toBeGreaterThan(1.5 * he[0]!); // sharing a cell costs
      for (let u = 0; u < 3; u++) {
        const fd = fdGradient(
          (x) => {
            const hh = new Float64Array(3);
            obj.evaluate(x, hh);
            return hh[u]!;
          },
          z,
          SCALE,
        );
        const g = G.subarray(u * obj.dim, (u + 1) * obj.dim);
        const norm = maxAbs(fd);
        for (let i = 0; i < fd.length; i++)
          expect(Math.abs(g[i]! - fd[i]!), `layout ${k} target ${u} coordinate ${i}`).toBeLessThanOrEqual(
            1e-5 * norm,
          );
      }
    }
  });

  it('targets far apart: the joint objective and its gradient equal the exact mode ones', () => {
    // as in the joint CRB test: targets far apart in range, angle and Doppler at every AP, a
    // 512 x 512 CPI (cross terms ∝ sidelobes, the bound moves with their square), no path loss
    const sc = defaultScenario();
    const sys = { ...sc.system, subcarriers: 512, symbols: 512 };
    const snr: SnrSpec = { db: 0, referenceRangeM: 250, pathLoss: 'none' };
    const targets: DesignTarget[] = [
      { x: 60, y: 290, speed: 100, heading: 0.3 },
      { x: 290, y: 60, speed: 30, heading: 2.0 },
    ];
    const joint = new PlacementObjective(sys, snr, 'joint', targets, 4, 0.5);
    const exact = new PlacementObjective(sys, snr, 'exact', targets, 4, 0.5);
    const hj = new Float64Array(2);
    const he = new Float64Array(2);
    const gj = new Float64Array(2 * 12);
    const ge = new Float64Array(2 * 12);
    const nominal = [0, 0, 350, 0, 0, 350, 350, 350];
    for (const antennas of [
      [8, 8, 8, 8],
      [5.5, 9.25, 3.7, 13.55],
    ]) {
      const z = Float64Array.from([...nominal.map((c, i) => c + (i % 3) - 1), ...antennas]);
      expect(joint.evaluate(z, hj, gj)).toBe(true);
      expect(exact.evaluate(z, he, ge)).toBe(true);
      for (let u = 0; u < 2; u++) {
        expect(Math.abs(hj[u]! / he[u]! - 1), `h_${u} at N = ${antennas.join(', ')}`).toBeLessThan(1e-6);
        const norm = maxAbs(ge.subarray(12 * u, 12 * u + 12));
        // the cross terms' derivatives are ~N times their share of the value (a sidelobe's slope in N or
        // Δω is N times its height), so the gradients agree to ~1e-5 where the values agree to 1e-6
        for (let i = 0; i < 12; i++)
          expect(Math.abs(gj[12 * u + i]! - ge[12 * u + i]!), `∂h_${u}/∂z_${i}`).toBeLessThan(1e-4 * norm);
      }
    }
  });

  it('coincident design targets: the joint objective is Infinity with a zero gradient (never NaN)', () => {
    const t = { x: 170, y: 180, speed: 100, heading: 1.0 };
    const sc = defaultScenario();
    const obj = new PlacementObjective(sc.system, sc.snr, 'joint', [t, { ...t }], 4, 0.5);
    const z = Float64Array.from([0, 0, 350, 0, 0, 350, 350, 350, 8, 8, 8, 8]);
    const h = new Float64Array(2);
    const G = new Float64Array(24).fill(7);
    expect(obj.evaluate(z, h, G)).toBe(false);
    expect([...h]).toEqual([Infinity, Infinity]);
    expect(maxAbs(G)).toBe(0);
  });
});
