import { describe, expect, it } from 'vitest';
import { IsacflowError } from '../../../src/core/errors.js';
import type { Frame, StageContext } from '../../../src/core/frame.js';
import { defaultScenario } from '../../../src/isac/default-scenario.js';
import type { Target } from '../../../src/isac/scenario-types.js';
import { Rng } from '../../../src/math/rng.js';
import {
  placementOptimizer,
  PlacementOptimizerStage,
  type PlacementData,
} from '../../../stages/placement-optimizer/placement-optimizer.js';
import type { PlacementRecord } from '../../../stages/placement-optimizer/placement-record.js';
import { registry } from './helpers.js';
import { createStageContext } from '../../../src/core/stage-context.js';
import { keyOf } from '../../../src/core/port.js';
import { summarizePlacement } from '../../../stages/placement-optimizer/placement-summary.js';

function frameOf(branch = '', truth?: Target[]): Frame {
  const scenario = defaultScenario();
  const t = truth ?? (scenario.targets as Target[]);
  return {
    trial: 0,
    frame: 0,
    point: {},
    pointKey: '',
    scenario,
    aps: scenario.aps.map((a) => ({ position: [...a.position] as [number, number], antennas: a.antennas })),
    truth: t,
    branch,
    data: {},
    record: { point: {}, trial: 0, frame: 0, seed: 1, truth: t, timings: {} },
  };
}

const ctx = (frame: Frame, resultKey?: string): StageContext =>
  createStageContext(frame, {
    stageId: 'placement',
    rng: new Rng(['placement-stage-test']),
    registry,
    ...(resultKey ? { resultKey } : {}),
  });

/** A frame and its stage context, as process() arguments. */
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

describe('placement-optimizer stage', () => {
  it('is registered with its manifest (reads nothing, adds placement)', () => {
    expect(registry.manifest('stage', 'placement-optimizer')).toBe(placementOptimizer);
    expect(placementOptimizer.reads).toEqual([]);
    expect(placementOptimizer.adds.map(keyOf)).toEqual(['placement']);
  });

  it('direct on the scenario targets: rewrites frame.aps, records objectives, layout and both CRB modes', () => {
    const stage = new PlacementOptimizerStage({ strategy: 'direct' }, registry);
    const frame = frameOf();
    stage.process(frame, ctx(frame));
    const rec = (frame.record.placement as Record<string, PlacementRecord>).placement!;
    expect(rec.strategy).toBe('direct');
    expect(rec.maxAntennas).toBe(32); // default: the scenario's antennas
    // ψ normalised at Initial: the mean over targets of h_u is α + (1 − α) = 1, so the max is >= 1
    expect(rec.objectiveInitial!).toBeGreaterThanOrEqual(1);
    expect(rec.objective!).toBeLessThan(rec.objectiveInitial!);
    expect(rec.objectiveContinuous!).toBeLessThanOrEqual(rec.objective! * (1 + 1e-9));
    expect(rec.reductionPct!).toBeCloseTo(100 * (1 - rec.objective! / rec.objectiveInitial!), 12);
    expect(frame.aps.map((a) => a.position)).toEqual(rec.positions);
    expect(frame.aps.map((a) => a.antennas)).toEqual(rec.antennas);
    expect(rec.antennas.reduce((a, b) => a + b, 0)).toBe(32);
    for (const a of frame.aps) expect(Number.isInteger(a.antennas) && a.antennas >= 1).toBe(true);
    for (const mode of ['exact', 'paper'] as const) {
      expect(rec.crbInitial[mode]).toHaveLength(3);
      expect(rec.crbFinal[mode]).toHaveLength(3);
    }
    // the objective recomputed from the recorded exact-mode traces
    const hs = rec.crbFinal.exact.map((e) => 0.5 * rec.psiP * e.trP! + 0.5 * rec.psiA * e.trA!);
    expect(Math.max(...hs)).toBeCloseTo(rec.objective!, 12);
    // ψ: the mean of the initial traces is 1/ψ
    const meanP = rec.crbInitial.exact.reduce((s, e) => s + e.trP!, 0) / 3;
    expect(rec.psiP * meanP).toBeCloseTo(1, 12);
    const data = frame.data.placement as PlacementData;
    expect(data.continuous).toHaveLength(12);
    expect(JSON.parse(JSON.stringify(frame.record))).toEqual(frame.record); // plain JSON
  });

  it('inside a variant branch writes record.placement[resultKey] and keeps the other branches', () => {
    const frame = frameOf('initial');
    new PlacementOptimizerStage({ strategy: 'initial', crbMode: 'paper' }, registry).process(
      frame,
      ctx(frame, 'initial'),
    );
    const f2 = { ...frame, branch: 'random', aps: frame.aps.map((a) => ({ ...a })) };
    new PlacementOptimizerStage({ strategy: 'random', crbMode: 'paper' }, registry).process(
      f2,
      ctx(f2, 'random'),
    );
    const rec = frame.record.placement as Record<string, PlacementRecord>;
    expect(Object.keys(rec).sort()).toEqual(['initial', 'random']);
    expect(rec.initial!.objective).toBe(rec.initial!.objectiveInitial);
    expect(rec.initial!.crbMode).toBe('paper');
    expect(rec.random!.strategy).toBe('random');
  });

  it('random design targets come from the stage rng (the same in every variant) inside the area', () => {
    const params = { strategy: 'initial', designTargets: { random: { count: 4 } } };
    const f1 = frameOf();
    const f2 = frameOf();
    new PlacementOptimizerStage(params, registry).process(f1, ctx(f1));
    new PlacementOptimizerStage({ ...params, strategy: 'random' }, registry).process(f2, ctx(f2));
    const t1 = (f1.record.placement as Record<string, PlacementRecord>).placement!.designTargets;
    expect(t1).toHaveLength(4);
    expect((f2.record.placement as Record<string, PlacementRecord>).placement!.designTargets).toEqual(t1);
    for (const t of t1) {
      expect(t.position[0]).toBeGreaterThanOrEqual(125);
      expect(t.position[1]).toBeLessThanOrEqual(225);
      expect(t.velocity.speed).toBeGreaterThanOrEqual(90);
      expect(t.velocity.heading).toBeLessThanOrEqual(Math.PI);
    }
  });

  describe('bad input gives a clear invalid-option error', () => {
    it('radiusM < 0, alpha outside (0, 1), non-integer maxAntennas (at construction)', () => {
      for (const [params, key] of [
        [{ radiusM: -1 }, 'radiusM'],
        [{ alpha: 1 }, 'alpha'],
        [{ alpha: 0 }, 'alpha'],
        [{ maxAntennas: 7.5 }, 'maxAntennas'],
        [{ radiusM: 10, radius: 3 }, 'radius'],
      ] as const) {
        const e = errorOf(() => new PlacementOptimizerStage(params, registry));
        expect(e.kind).toBe('invalid-option');
        expect(e.problems[0]!.path).toContain(`placement-optimizer.${key}`);
      }
    });

    it('an unknown strategy names the valid ones, with did-you-mean', () => {
      const e = errorOf(() => new PlacementOptimizerStage({ strategy: 'admn' }, registry));
      expect(e.kind).toBe('unknown-plugin');
      expect(e.message).toContain("did you mean 'admm'");
    });

    it('a bad strategy param is reported under the strategy', () => {
      const e = errorOf(
        () =>
          new PlacementOptimizerStage({ strategy: 'admm', strategyParams: { maxIterations: 0 } }, registry),
      );
      expect(e.kind).toBe('invalid-option');
      expect(e.message).toContain("placement 'admm'");
    });

    it('N_max < L', () => {
      const e = errorOf(() =>
        new PlacementOptimizerStage({ strategy: 'initial', maxAntennas: 3 }, registry).process(
          ...withCtx(frameOf()),
        ),
      );
      expect(e.kind).toBe('invalid-option');
      expect(e.problems[0]!.path).toBe('placement-optimizer.maxAntennas');
      expect(e.message).toContain('maxAntennas >= 4');
    });

    it('a disc that reaches within targetMarginM of a design target (the CRB is unbounded there)', () => {
      // target 150 m from AP 1 at (0, 0): ε = 146 leaves 4 m < the 5 m default margin
      const truth: Target[] = [{ position: [90, 120], velocity: { speed: 100, heading: 1 } }];
      const e = errorOf(() =>
        new PlacementOptimizerStage({ strategy: 'initial', radiusM: 146 }, registry).process(
          ...withCtx(frameOf('', truth)),
        ),
      );
      expect(e.kind).toBe('invalid-option');
      expect(e.problems[0]!.path).toBe('placement-optimizer.radiusM');
      expect(e.message).toContain('AP 1');
      expect(e.message).toContain('radiusM <= 145');
      // ε = 145 is allowed
      new PlacementOptimizerStage({ strategy: 'initial', radiusM: 145 }, registry).process(
        ...withCtx(frameOf('', truth)),
      );
    });
  });

  it('the run summary labels each entry by its result key and strategy (record.placement[resultKey])', () => {
    const plain = frameOf();
    new PlacementOptimizerStage({ strategy: 'initial' }, registry).process(plain, ctx(plain));
    expect(summarizePlacement([plain.record])).toMatch(
      /^ {2}placement \(initial\): .* reduction 0\.0 % \(1 frames\)$/m,
    );
    const branched = frameOf('initial');
    new PlacementOptimizerStage({ strategy: 'initial' }, registry).process(branched, ctx(branched));
    expect(summarizePlacement([branched.record])).toMatch(/^ {2}initial: /m);
  });
});
