import { describe, expect, it } from 'vitest';
import {
  initialLayout,
  violations,
  type PlacementOutcome,
  type PlacementProblem,
  type PlacementStrategy,
} from '../../../src/isac/placement/index.js';
import { Rng } from '../../../src/math/rng.js';
import { defaultProblem, registry } from './helpers.js';

const STRATEGIES = ['admm', 'direct', 'initial', 'random', 'toward-targets'] as const;

function place(name: string, p: PlacementProblem, params: Record<string, unknown> = {}): PlacementOutcome {
  return registry
    .create<PlacementStrategy>('placement', name, params)
    .place(p, new Rng(['placement-test', 'strategy', name]));
}

/** Every constraint of (P0): discs, integer antennas, Σ N <= N_max, N >= 1. */
function expectFeasible(p: PlacementProblem, z: Float64Array, integer: boolean): void {
  const v = violations(p, z, integer);
  expect(v.disc).toBeLessThanOrEqual(1e-12 * Math.max(1, p.radius));
  expect(v.sum).toBe(0);
  expect(v.lower).toBe(0);
  expect(v.integrality).toBe(0);
  for (const x of z) expect(Number.isFinite(x)).toBe(true);
}

describe('placement strategies on the default case (L = 4, N_max = 32, ε = 10 m, 3 design targets)', () => {
  const p = defaultProblem();
  const f0 = p.objective.worst(initialLayout(p));
  const out = Object.fromEntries(STRATEGIES.map((s) => [s, place(s, p)])) as Record<
    (typeof STRATEGIES)[number],
    PlacementOutcome
  >;

  it('admm (Algorithm 2) and direct (epigraph, augmented Lagrangian) reach the same continuous optimum within 1e-6 relative', () => {
    expect(out.admm.stopReason).toBe('converged');
    const fa = p.objective.worst(out.admm.continuous);
    const fd = p.objective.worst(out.direct.continuous);
    expect(Math.abs(fa - fd) / fd).toBeLessThan(1e-6);
    // same layout too (positions to a millimetre, antennas to 1e-4)
    for (let i = 0; i < 8; i++)
      expect(Math.abs(out.admm.continuous[i]! - out.direct.continuous[i]!)).toBeLessThan(1e-3);
    for (let i = 8; i < 12; i++)
      expect(Math.abs(out.admm.continuous[i]! - out.direct.continuous[i]!)).toBeLessThan(1e-4);
  });

  it('the optimum is never worse than Initial, and the ADMM trace ends with small residuals', () => {
    for (const s of ['admm', 'direct', 'toward-targets'] as const) {
      expect(p.objective.worst(out[s].continuous)).toBeLessThan(f0);
      expect(p.objective.worst(out[s].final)).toBeLessThan(f0);
    }
    const last = out.admm.trace[out.admm.trace.length - 1] as unknown as { primal: number[]; dual: number[] };
    for (const r of [...last.primal, ...last.dual]) expect(r).toBeLessThanOrEqual(1e-8);
    // the optimiser is at least as good as the honest baseline (model notes: within 1 % at ε = 10 m)
    const fo = p.objective.worst(out.admm.final);
    const ft = p.objective.worst(out.direct.final);
    const fb = p.objective.worst(out['toward-targets'].final);
    expect(Math.min(fo, ft)).toBeLessThanOrEqual(fb * (1 + 1e-12));
    expect(fb / Math.min(fo, ft)).toBeLessThan(1.02);
  });

  it('every returned layout satisfies all constraints (discs, integer antennas, Σ <= N_max, >= 1)', () => {
    for (const s of STRATEGIES) {
      expectFeasible(p, out[s].final, true);
      expectFeasible(p, out[s].continuous, s === 'initial' || s === 'random');
    }
  });

  it('the optimised layouts use the active budget: Σ N = N_max, and APs sit on their disc boundary', () => {
    for (const s of ['admm', 'direct'] as const) {
      const z = out[s].final;
      expect(z.subarray(8).reduce((a, b) => a + b, 0)).toBe(32);
      const zc = out[s].continuous;
      expect(zc.subarray(8).reduce((a, b) => a + b, 0)).toBeCloseTo(32, 8);
      for (let l = 0; l < 4; l++) {
        expect(
          Math.hypot(zc[2 * l]! - p.nominal[2 * l]!, zc[2 * l + 1]! - p.nominal[2 * l + 1]!),
        ).toBeCloseTo(10, 6);
      }
    }
  });

  it('initial keeps the nominal layout with the equal split; random draws a feasible layout using all antennas', () => {
    expect(Array.from(out.initial.final)).toEqual([0, 0, 350, 0, 0, 350, 350, 350, 8, 8, 8, 8]);
    expect(out.random.final.subarray(8).reduce((a, b) => a + b, 0)).toBe(32);
  });
});

describe('never worse than Initial', () => {
  it('admm and direct, integer layouts, paper mode, ε = 25 m, four target draws', () => {
    for (const seed of ['n1', 'n2', 'n3', 'n4']) {
      const p = defaultProblem({ mode: 'paper', radius: 25, seed });
      const f0 = p.objective.worst(initialLayout(p));
      for (const s of ['admm', 'direct'] as const) {
        const o = place(s, p, s === 'admm' ? { maxIterations: 400 } : { starts: 2 });
        expect(p.objective.worst(o.final)).toBeLessThanOrEqual(f0);
        expectFeasible(p, o.final, true);
      }
    }
  });
});

describe('edge cases', () => {
  it('ε = 0: no AP moves; the strategies optimise the antennas only and still agree', () => {
    const p = defaultProblem({ radius: 0 });
    const f0 = p.objective.worst(initialLayout(p));
    const a = place('admm', p);
    const d = place('direct', p);
    for (const o of [a, d, place('toward-targets', p), place('random', p)]) {
      expect(Array.from(o.final.subarray(0, 8))).toEqual(Array.from(p.nominal));
    }
    const fa = p.objective.worst(a.continuous);
    const fd = p.objective.worst(d.continuous);
    expect(Math.abs(fa - fd) / fd).toBeLessThan(1e-6);
    expect(p.objective.worst(d.final)).toBeLessThanOrEqual(f0);
  });

  it('N_max = L: every AP gets exactly one antenna', () => {
    const p = defaultProblem({ maxAntennas: 4 });
    for (const s of STRATEGIES) expect(Array.from(place(s, p).final.subarray(8))).toEqual([1, 1, 1, 1]);
  });
});
