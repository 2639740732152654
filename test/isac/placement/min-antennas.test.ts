import { describe, expect, it } from 'vitest';
import { IsacflowError } from '../../../src/core/errors.js';
import type { Frame, StageContext } from '../../../src/core/frame.js';
import { defaultScenario } from '../../../src/isac/default-scenario.js';
import {
  improveBySwaps,
  initialLayout,
  projectAntennas,
  randomLayout,
  roundAntennas,
  violations,
  type PlacementOutcome,
  type PlacementProblem,
  type PlacementStrategy,
} from '../../../src/isac/placement/index.js';
import type { Target } from '../../../src/isac/scenario-types.js';
import { Rng } from '../../../src/math/rng.js';
import { PlacementOptimizerStage } from '../../../stages/placement-optimizer/placement-optimizer.js';
import type { PlacementRecord } from '../../../stages/placement-optimizer/placement-record.js';
import { defaultProblem, registry } from './helpers.js';
import { createStageContext } from '../../../src/core/stage-context.js';

const STRATEGIES = ['admm', 'direct', 'initial', 'random', 'toward-targets'] as const;
const rng = new Rng(['placement-test', 'min-antennas']);

const antennas = (p: PlacementProblem, z: Float64Array): number[] =>
  Array.from(z.subarray(2 * p.objective.L));
const sum = (a: readonly number[]): number => a.reduce((s, x) => s + x, 0);

function place(name: string, p: PlacementProblem, params: Record<string, unknown> = {}): PlacementOutcome {
  return registry
    .create<PlacementStrategy>('placement', name, params)
    .place(p, new Rng(['placement-test', 'min-antennas', name]));
}

/** Every constraint of (P0) with the floor: discs, Σ N <= N_max, N_l >= b_min, integer when asked. */
function expectFeasible(p: PlacementProblem, z: Float64Array, integer: boolean): void {
  const v = violations(p, z, integer);
  expect(v.disc).toBeLessThanOrEqual(1e-12 * Math.max(1, p.radius));
  expect(v.sum).toBe(0);
  expect(v.lower).toBe(0);
  expect(v.integrality).toBe(0);
  for (const n of antennas(p, z)) expect(n).toBeGreaterThanOrEqual(p.minAntennas ?? 1);
  expect(sum(antennas(p, z))).toBeLessThanOrEqual(p.maxAntennas * (1 + 1e-12));
}

describe('P2.2 with a floor: projection onto {Σ b <= N_max, b >= b_min}', () => {
  it('satisfies the KKT conditions on random inputs (b_min 1-6, including N_max = L·b_min and inactive budgets)', () => {
    const b = new Float64Array(12);
    for (let k = 0; k < 2000; k++) {
      const L = 1 + rng.int(10);
      const bmin = 1 + rng.int(6);
      const maxAntennas = L * bmin + (k % 5 === 0 ? 0 : rng.int(40));
      const v = Float64Array.from({ length: L }, () => rng.uniformIn(-10, 40) * (k % 7 === 0 ? 0.1 : 1));
      const out = b.subarray(0, L);
      const mu = projectAntennas(v, maxAntennas, out, bmin);
      let s = 0;
      const tol = 1e-9 * maxAntennas;
      for (let l = 0; l < L; l++) {
        const bl = out[l]!;
        s += bl;
        expect(bl).toBeGreaterThanOrEqual(bmin); // primal feasibility b >= b_min
        // stationarity b − v + μ·1 − κ = 0 defines κ_l, the multiplier of b_l >= b_min: κ_l >= 0 ...
        const kappa = bl - v[l]! + mu;
        expect(kappa).toBeGreaterThanOrEqual(-tol);
        // ... and complementary slackness κ_l (b_l − b_min) = 0
        expect(Math.abs(kappa * (bl - bmin))).toBeLessThanOrEqual(tol * (1 + Math.abs(kappa) + Math.abs(bl)));
      }
      expect(s).toBeLessThanOrEqual(maxAntennas + tol); // Σ b <= N_max
      expect(mu).toBeGreaterThanOrEqual(0); // μ >= 0
      expect(Math.abs(mu * (s - maxAntennas))).toBeLessThanOrEqual(tol * (1 + mu)); // μ (Σ b − N_max) = 0
    }
  });

  it('closed forms: an equal split, a single free AP, and N_max = L·b_min', () => {
    const w = Float64Array.from([10, 10, 10, 10]);
    projectAntennas(w, 32, w, 4);
    expect(Array.from(w)).toEqual([8, 8, 8, 8]);
    // v = (0, 0, 20, 40), b_min = 4: with F = {4}, μ = (40 − 32 + 4·3)/1 = 20, and 20 − 20 = 0 < 4 keeps AP 3 at the floor
    const out = new Float64Array(4);
    expect(projectAntennas([0, 0, 20, 40], 32, out, 4)).toBeCloseTo(20, 12);
    expect(Array.from(out)).toEqual([4, 4, 4, 20]);
    projectAntennas([1, 50, 3, 2], 16, out, 4);
    expect(Array.from(out)).toEqual([4, 4, 4, 4]);
  });
});

describe('minAntennas = 4 on the default case (L = 4, N_max = 32, ε = 10 m)', () => {
  const p1 = defaultProblem();
  const p4: PlacementProblem = { ...defaultProblem(), minAntennas: 4 };
  const out = Object.fromEntries(STRATEGIES.map((s) => [s, place(s, p4)])) as Record<
    (typeof STRATEGIES)[number],
    PlacementOutcome
  >;

  it('every returned layout of every strategy has N_l >= 4 and Σ N <= N_max', () => {
    for (const s of STRATEGIES) {
      expectFeasible(p4, out[s].final, true);
      expectFeasible(p4, out[s].continuous, s === 'initial' || s === 'random');
    }
    // the optimisers spend the whole budget (the CRB decreases in N)
    for (const s of ['admm', 'direct', 'toward-targets'] as const)
      expect(sum(antennas(p4, out[s].final))).toBe(32);
  });

  it('the floor binds (the optimum without it puts < 4 antennas on some AP); admm and direct still agree; it costs objective', () => {
    const free = place('direct', p1);
    expect(Math.min(...antennas(p1, free.continuous))).toBeLessThan(4);
    expect(out.admm.stopReason).toBe('converged');
    const fa = p4.objective.worst(out.admm.continuous);
    const fd = p4.objective.worst(out.direct.continuous);
    expect(Math.abs(fa - fd) / fd).toBeLessThan(1e-6);
    for (let i = 8; i < 12; i++)
      expect(Math.abs(out.admm.continuous[i]! - out.direct.continuous[i]!)).toBeLessThan(1e-4);
    // a smaller feasible set cannot have a better optimum, and it is still better than Initial (8 each satisfies the floor)
    const f1 = p1.objective.worst(free.continuous);
    expect(fd).toBeGreaterThanOrEqual(f1 * (1 - 1e-9));
    expect(fd).toBeLessThan(p4.objective.worst(initialLayout(p4)));
  });

  it('N_max = L·b_min leaves one layout of the antennas: [4, 4, 4, 4] from every strategy', () => {
    const p: PlacementProblem = { ...defaultProblem(), maxAntennas: 16, minAntennas: 4 };
    for (const s of STRATEGIES) expect(antennas(p, place(s, p).final)).toEqual([4, 4, 4, 4]);
  });
});

describe('integer rounding and the random split keep the floor', () => {
  it('rounding floors to >= b_min, fills the budget, and the swap search never goes below b_min', () => {
    const p: PlacementProblem = { ...defaultProblem(), minAntennas: 4 };
    const z = initialLayout(p);
    z.set([3.2, 4.7, 3.9, 20.2], 8);
    roundAntennas(p, z);
    expectFeasible(p, z, true);
    expect(sum(antennas(p, z))).toBe(32);
    // from [4, 4, 4, 20] at the nominal positions the unfloored swap search moves below 4 (the free optimum is
    // ~[1.6, 19.4, 1, 10.1]); with b_min = 4 it must not, and it may only lower the objective
    const start = initialLayout(p);
    start.set([4, 4, 4, 20], 8);
    const zFree = Float64Array.from(start);
    improveBySwaps({ ...p, minAntennas: 1 }, zFree);
    expect(Math.min(...antennas(p, zFree))).toBeLessThan(4);
    const z4 = Float64Array.from(start);
    const f0 = p.objective.worst(z4);
    improveBySwaps(p, z4);
    expectFeasible(p, z4, true);
    expect(p.objective.worst(z4)).toBeLessThanOrEqual(f0);
  });

  it('the random split is a uniform composition with every part >= b_min (χ² over all 35 outcomes)', () => {
    // N_max = 20, L = 4, b_min = 4: the splits are 4 + a composition of M = 20 − 4·3 = 8 into 4 parts >= 1,
    // C(7, 3) = 35 equally likely outcomes. 35 000 draws: 1000 expected per outcome; Pearson's χ² has 34
    // degrees of freedom (mean 34, sd √68 ≈ 8.2); 75 is its 1 − 7e-5 quantile (Wilson-Hilferty), so a
    // correct sampler fails this fixed-seed test with probability < 1e-4, while a missing outcome alone adds 1000.
    const p: PlacementProblem = { ...defaultProblem({ maxAntennas: 20 }), minAntennas: 4 };
    const r = new Rng(['placement-test', 'random-split']);
    const counts = new Map<string, number>();
    const draws = 35000;
    for (let k = 0; k < draws; k++) {
      const z = randomLayout(p, r);
      const n = antennas(p, z);
      for (const x of n) expect(x >= 4 && Number.isInteger(x)).toBe(true);
      expect(sum(n)).toBe(20);
      if (k < 200) expect(violations(p, z, true).disc).toBeLessThanOrEqual(1e-12 * p.radius);
      const key = n.join(',');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(35);
    const e = draws / 35;
    let chi2 = 0;
    for (const c of counts.values()) chi2 += ((c - e) * (c - e)) / e;
    expect(chi2).toBeLessThan(75);
  });
});

describe('placement-optimizer stage option minAntennas', () => {
  function frameOf(): Frame {
    const scenario = defaultScenario();
    const t = scenario.targets as Target[];
    return {
      trial: 0,
      frame: 0,
      point: {},
      pointKey: '',
      scenario,
      aps: scenario.aps.map((a) => ({ position: [...a.position] as [number, number], antennas: a.antennas })),
      truth: t,
      branch: '',
      data: {},
      record: { point: {}, trial: 0, frame: 0, seed: 1, truth: t, timings: {} },
    };
  }
  const ctx = (frame: Frame): StageContext =>
    createStageContext(frame, {
      stageId: 'placement',
      rng: new Rng(['placement-min-antennas-stage']),
      registry,
    });
  const withCtx = (frame: Frame): [Frame, StageContext] => [frame, ctx(frame)];
  function errorOf(fn: () => unknown): IsacflowError {
    try {
      fn();
    } catch (e) {
      if (e instanceof IsacflowError) return e;
      throw e;
    }
    throw new Error('no error thrown');
  }

  it('L · minAntennas > maxAntennas is an invalid-option error naming placement-optimizer.minAntennas', () => {
    // default scenario: L = 4 APs, N_max = 32, so minAntennas <= 8
    const e = errorOf(() =>
      new PlacementOptimizerStage({ strategy: 'initial', minAntennas: 9 }, registry).process(
        ...withCtx(frameOf()),
      ),
    );
    expect(e.kind).toBe('invalid-option');
    expect(e.problems[0]!.path).toBe('placement-optimizer.minAntennas');
    expect(e.message).toContain('minAntennas <= 8');
    const e2 = errorOf(() =>
      new PlacementOptimizerStage({ strategy: 'initial', minAntennas: 4, maxAntennas: 15 }, registry).process(
        ...withCtx(frameOf()),
      ),
    );
    expect(e2.problems[0]!.path).toBe('placement-optimizer.minAntennas');
    expect(e2.message).toContain('maxAntennas >= 16');
    for (const bad of [0, 2.5, -1]) {
      const e3 = errorOf(() => new PlacementOptimizerStage({ minAntennas: bad }, registry));
      expect(e3.kind).toBe('invalid-option');
      expect(e3.problems[0]!.path).toContain('placement-optimizer.minAntennas');
    }
  });

  it('minAntennas = 8 = N_max/L is allowed and forces the equal split; the record carries the floor', () => {
    const frame = frameOf();
    new PlacementOptimizerStage({ strategy: 'random', minAntennas: 8 }, registry).process(frame, ctx(frame));
    const rec = (frame.record.placement as Record<string, PlacementRecord>).placement!;
    expect(rec.antennas).toEqual([8, 8, 8, 8]);
    expect(rec.minAntennas).toBe(8);
  });

  it('direct with minAntennas = 4 rewrites frame.aps with >= 4 antennas each; the default records 1', () => {
    const frame = frameOf();
    new PlacementOptimizerStage({ strategy: 'direct', minAntennas: 4 }, registry).process(frame, ctx(frame));
    const rec = (frame.record.placement as Record<string, PlacementRecord>).placement!;
    expect(rec.minAntennas).toBe(4);
    expect(sum(rec.antennas)).toBe(32);
    for (const a of frame.aps) expect(Number.isInteger(a.antennas) && a.antennas >= 4).toBe(true);
    expect(frame.aps.map((a) => a.antennas)).toEqual(rec.antennas);
    const f2 = frameOf();
    new PlacementOptimizerStage({ strategy: 'initial' }, registry).process(f2, ctx(f2));
    expect((f2.record.placement as Record<string, PlacementRecord>).placement!.minAntennas).toBe(1);
  });
});
