import { describe, expect, it } from 'vitest';
import type { Objective } from '../../../src/solvers/solver.js';
import { AdmmSubproblem, EpigraphLagrangian, randomLayout } from '../../../src/isac/placement/index.js';
import { Rng } from '../../../src/math/rng.js';
import { defaultProblem, fdGradient } from './helpers.js';

/** max_i |g_i − fd_i| / max(|fd|_∞ over the same coordinate class) */
function expectClose(g: Float64Array, fd: Float64Array, tol: number): void {
  let norm = 0;
  for (let i = 0; i < fd.length; i++) norm = Math.max(norm, Math.abs(fd[i]!));
  for (let i = 0; i < fd.length; i++) expect(Math.abs(g[i]! - fd[i]!)).toBeLessThanOrEqual(tol * norm);
}

const rng = new Rng(['placement-test', 'gradients']);

describe('gradients used by tn / bfgs agree with central differences', () => {
  for (const mode of ['exact', 'paper'] as const) {
    it(`h_u(z) = α ψ_p tr CRB_p + (1 − α) ψ_a tr CRB_a, ${mode} mode, random continuous layouts`, () => {
      const p = defaultProblem({ mode, radius: 40 });
      const obj = p.objective;
      const scale = [...Array(8).fill(10), ...Array(4).fill(3)];
      const h = new Float64Array(obj.U);
      const G = new Float64Array(obj.U * obj.dim);
      for (let k = 0; k < 5; k++) {
        const z = randomLayout(p, rng.fork(mode, k));
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
            scale,
          );
          expectClose(G.subarray(u * obj.dim, (u + 1) * obj.dim), fd, 1e-6);
        }
      }
    });
  }

  it('(P2.4) augmented Lagrangian in z, eq. (29)', () => {
    const p = defaultProblem({ mode: 'exact' });
    const { L, U } = p.objective;
    const r = rng.fork('p24');
    const rand = (n: number, s: number) => Float64Array.from({ length: n }, () => s * r.normal());
    const sub = new AdmmSubproblem(
      p.objective,
      p.nominal,
      rand(2 * L, 5),
      rand(L, 3).map((x) => 8 + x),
      rand(U, 0.2).map((x) => 0.8 + x),
      rand(2 * L, 0.1),
      rand(L, 0.1),
      rand(U, 0.5),
      [0.05, 0.02, 0.6],
    );
    const z = randomLayout(p, r.fork('z'));
    const g = new Float64Array(sub.dim);
    sub.gradient(z, g);
    expectClose(
      g,
      fdGradient((x) => sub.value(x), z, [...Array(8).fill(10), ...Array(4).fill(3)]),
      1e-6,
    );
  });

  it('epigraph augmented Lagrangian Φ_ρ(z, t) of the direct method, with active and inactive constraints', () => {
    const p = defaultProblem({ mode: 'paper' });
    const { U } = p.objective;
    const phi = new EpigraphLagrangian(p, true, true);
    phi.rho = 30;
    for (let i = 0; i < phi.m; i++) phi.mu[i] = i < U ? 1 / U : 0.05;
    const z = randomLayout(p, rng.fork('phi'));
    const x = new Float64Array(phi.dim);
    x.set(z);
    x[phi.dim - 1] = 0.95;
    const g = new Float64Array(phi.dim);
    phi.gradient(x, g);
    // some h-constraints active (q > 0) and the budget active: Σ N = N_max
    expect(Array.from(phi.g.subarray(0, U)).some((v) => 30 * v + 1 / U > 0)).toBe(true);
    const objective: Objective = phi;
    expectClose(
      g,
      fdGradient((y) => objective.value(y), x, [...Array(8).fill(10), ...Array(4).fill(3), 1]),
      1e-6,
    );
  });
});
