import { describe, expect, it } from 'vitest';
import { epigraphStep, projectAntennas, projectDisc } from '../../../src/isac/placement/index.js';
import { Rng } from '../../../src/math/rng.js';

const rng = new Rng(['placement-test', 'projections']);

describe('P2.1: projection onto the disc ||a|| <= ε (eq. 24, Appendix B)', () => {
  it('satisfies the KKT conditions of min ||a − v||² s.t. ||a||² <= ε² on random inputs', () => {
    const a = new Float64Array(2);
    for (let k = 0; k < 2000; k++) {
      const eps = k % 10 === 0 ? 0 : rng.uniformIn(0.01, 100);
      const scale = rng.uniformIn(0, 3) * Math.max(eps, 1);
      const vx = rng.normal() * scale;
      const vy = rng.normal() * scale;
      const nu = projectDisc(vx, vy, eps, a, 0);
      const na = Math.hypot(a[0]!, a[1]!);
      // primal feasibility (up to one rounding of the scaling)
      expect(na).toBeLessThanOrEqual(eps * (1 + 4 * Number.EPSILON));
      // dual feasibility
      expect(nu).toBeGreaterThanOrEqual(0);
      if (eps === 0) {
        expect(na).toBe(0);
        continue;
      }
      // stationarity: a − v + ν a = 0
      const tol = 1e-12 * Math.max(1, Math.hypot(vx, vy));
      expect(Math.abs(a[0]! - vx + nu * a[0]!)).toBeLessThanOrEqual(tol);
      expect(Math.abs(a[1]! - vy + nu * a[1]!)).toBeLessThanOrEqual(tol);
      // complementary slackness: ν (||a||² − ε²) = 0
      expect(Math.abs(nu * (na * na - eps * eps))).toBeLessThanOrEqual(1e-9 * eps * eps * (1 + nu));
    }
  });
});

describe('P2.2: projection onto {Σ b <= N_max, b >= 1} by bisection on the multiplier', () => {
  it('satisfies the KKT conditions on random inputs (including N_max = L and inactive budgets)', () => {
    const b = new Float64Array(12);
    for (let k = 0; k < 2000; k++) {
      const L = 1 + rng.int(10);
      const maxAntennas = L + rng.int(40);
      const v = Float64Array.from({ length: L }, () => rng.uniformIn(-10, 30) * (k % 7 === 0 ? 0.1 : 1));
      const out = b.subarray(0, L);
      const mu = projectAntennas(v, maxAntennas, out);
      let sum = 0;
      const tol = 1e-9 * maxAntennas;
      for (let l = 0; l < L; l++) {
        const bl = out[l]!;
        sum += bl;
        expect(bl).toBeGreaterThanOrEqual(1); // b >= 1
        // stationarity b − v + μ·1 − κ = 0 with κ_l >= 0 the multiplier of b_l >= 1 ...
        const kappa = bl - v[l]! + mu;
        expect(kappa).toBeGreaterThanOrEqual(-tol);
        // ... and complementary slackness κ_l (b_l − 1) = 0
        expect(Math.abs(kappa * (bl - 1))).toBeLessThanOrEqual(tol * (1 + Math.abs(kappa) + Math.abs(bl)));
      }
      expect(sum).toBeLessThanOrEqual(maxAntennas + tol); // Σ b <= N_max
      expect(mu).toBeGreaterThanOrEqual(0); // μ >= 0
      expect(Math.abs(mu * (sum - maxAntennas))).toBeLessThanOrEqual(tol * (1 + mu)); // μ (Σ b − N_max) = 0
    }
  });

  it('works in place (out aliasing v) and leaves a feasible point unchanged', () => {
    const v = Float64Array.from([3, 5.5, 1, 2]);
    expect(projectAntennas(v, 32, v)).toBe(0);
    expect(Array.from(v)).toEqual([3, 5.5, 1, 2]);
    const w = Float64Array.from([10, 10, 10, 10]);
    projectAntennas(w, 32, w);
    expect(Array.from(w)).toEqual([8, 8, 8, 8]);
  });
});

describe('P2.3: exact minimiser of U + ρ₃/2 Σ (ϖ_u − w_u)² s.t. ϖ_u <= U (model notes)', () => {
  it('satisfies the KKT conditions on random inputs: μ_u = ρ₃(w_u − ϖ_u) >= 0, Σ μ = 1, μ_u (ϖ_u − U) = 0', () => {
    const varpi = new Float64Array(20);
    const order = new Float64Array(20);
    for (let k = 0; k < 2000; k++) {
      const n = 1 + rng.int(15);
      const rho3 = Math.exp(rng.uniformIn(-5, 8));
      const w = Float64Array.from({ length: n }, () => rng.uniformIn(0, 2));
      const vp = varpi.subarray(0, n);
      const U = epigraphStep(w, rho3, vp, order);
      let sumMu = 0;
      const scale = 1 + Math.max(...w.map(Math.abs));
      for (let u = 0; u < n; u++) {
        expect(vp[u]!).toBeLessThanOrEqual(U); // ϖ_u <= U
        const mu = rho3 * (w[u]! - vp[u]!); // stationarity in ϖ_u defines μ_u
        expect(mu).toBeGreaterThanOrEqual(-1e-12 * rho3 * scale);
        expect(Math.abs(mu * (vp[u]! - U))).toBeLessThanOrEqual(1e-12 * scale * (1 + rho3 * scale));
        sumMu += mu;
      }
      expect(sumMu).toBeCloseTo(1, 9); // stationarity in U: 1 − Σ μ = 0
    }
  });

  it('beats the printed step 3 (eq. 28 with U fixed, then U = max ϖ), which is not the minimiser', () => {
    // w = (1, 0.9, 0.2), ρ₃ = 0.6: printed step from U⁰ = 1 keeps ϖ = w and U = 1, objective 1;
    // the exact minimiser lowers U until Σ (w_u − U)₊ = 1/ρ₃.
    const w = Float64Array.from([1, 0.9, 0.2]);
    const rho3 = 0.6;
    const f = (U: number, v: ArrayLike<number>) =>
      U + (rho3 / 2) * Array.from(v).reduce((s, x, i) => s + (x - w[i]!) ** 2, 0);
    const vp = new Float64Array(3);
    const U = epigraphStep(w, rho3, vp, new Float64Array(3));
    const printed = f(Math.max(...w), w);
    expect(f(U, vp)).toBeLessThan(printed - 0.1);
    // closed form: all three active when (Σw − 1/ρ₃)/3 < 0.2: U = (2.1 − 1.6667)/3 = 0.1444
    expect(U).toBeCloseTo((2.1 - 1 / rho3) / 3, 12);
  });
});
