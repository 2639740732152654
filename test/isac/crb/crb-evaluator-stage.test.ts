import { describe, expect, it } from 'vitest';
import type { Frame, StageContext } from '../../../src/core/frame.js';
import { IsacflowError } from '../../../src/core/errors.js';
import { PluginRegistry } from '../../../src/core/plugin-registry.js';
import { defaultScenario } from '../../../src/isac/default-scenario.js';
import type { Target } from '../../../src/isac/scenario-types.js';
import { Rng } from '../../../src/math/rng.js';
import {
  crbEvaluator,
  crbEvaluatorParams,
  CrbEvaluatorStage,
  type CrbRecordEntry,
  type CrbFrameData,
} from '../../../stages/crb-evaluator/crb-evaluator.js';
import { createStageContext } from '../../../src/core/stage-context.js';
import { keyOf } from '../../../src/core/port.js';

function frameOf(branch = ''): Frame {
  const scenario = defaultScenario();
  const truth = scenario.targets as Target[];
  return {
    trial: 0,
    frame: 0,
    point: {},
    pointKey: '',
    scenario,
    aps: scenario.aps.map((a) => ({ position: [...a.position] as [number, number], antennas: a.antennas })),
    truth,
    branch,
    data: {},
    record: { point: {}, trial: 0, frame: 0, seed: 1, truth, timings: {} },
  };
}

const registry = new PluginRegistry();
registry.register(crbEvaluator);
const ctxOf = (frame: Frame): StageContext =>
  createStageContext(frame, { stageId: 'crb', rng: new Rng(['crb-stage-test']), registry });

describe('crb-evaluator stage', () => {
  it('default scenario, default params: exact bounds per target in the record and in frame.data', () => {
    const stage = new CrbEvaluatorStage(crbEvaluatorParams.parse({}));
    const frame = frameOf();
    stage.process(frame, ctxOf(frame));
    const rec = (frame.record.crb as Record<string, Record<string, CrbRecordEntry[]>>).crb!.exact!;
    expect(Object.keys((frame.record.crb as Record<string, object>).crb!)).toEqual(['exact']);
    expect(rec).toHaveLength(3);
    for (const e of rec) {
      if ('singular' in e) throw new Error(e.reason);
      expect(Object.keys(e).sort()).toEqual([
        'crbA',
        'crbP',
        'sqrtTrA',
        'sqrtTrP',
        'sqrtTrVelXY',
        'stdHeading',
        'stdSpeed',
      ]);
      // model notes: default scenario, exact mode, √tr CRB_p ≈ 2.2-3.0 cm, std v ≈ 6-9 mm/s at 0 dB
      expect(e.sqrtTrP).toBeGreaterThan(0.022);
      expect(e.sqrtTrP).toBeLessThan(0.03);
      expect(e.stdSpeed).toBeGreaterThan(0.006);
      expect(e.stdSpeed).toBeLessThan(0.009);
      expect(e.sqrtTrP ** 2).toBeCloseTo(e.crbP[0][0] + e.crbP[1][1], 15);
      expect(e.crbP[0][1]).toBe(e.crbP[1][0]);
    }
    const data = frame.data.crb as CrbFrameData;
    expect(data.exact).toHaveLength(3);
    expect(JSON.parse(JSON.stringify(frame.record))).toEqual(frame.record); // plain JSON, no NaN
  });

  it('modes: several at once; paper is below exact as the model notes say (ratios 0.60-0.92 / 0.54-0.70)', () => {
    const stage = new CrbEvaluatorStage(
      crbEvaluatorParams.parse({ modes: ['exact', 'paper', 'paper-printed'] }),
    );
    const frame = frameOf();
    stage.process(frame, ctxOf(frame));
    const rec = (frame.record.crb as Record<string, Record<string, CrbRecordEntry[]>>).crb!;
    expect(Object.keys(rec).sort()).toEqual(['exact', 'paper', 'paper-printed']);
    for (let u = 0; u < 3; u++) {
      const ex = rec.exact![u]!;
      const pa = rec.paper![u]!;
      const pp = rec['paper-printed']![u]!;
      if ('singular' in ex || 'singular' in pa || 'singular' in pp) throw new Error('unexpected singular');
      const rp = pa.sqrtTrP / ex.sqrtTrP;
      const ra = pa.sqrtTrA / ex.sqrtTrA;
      expect(rp).toBeGreaterThanOrEqual(0.6);
      expect(rp).toBeLessThanOrEqual(0.92);
      expect(ra).toBeGreaterThanOrEqual(0.54);
      expect(ra).toBeLessThanOrEqual(0.7);
      // printed T makes the speed bound far too small (model notes: 29-337x on √tr CRB_a)
      expect(ex.sqrtTrA / pp.sqrtTrA).toBeGreaterThan(29);
    }
  });

  it('writes record.crb[resultKey][mode] inside a variant branch (resultKey = the branch); singular targets get a reason', () => {
    const stage = new CrbEvaluatorStage(crbEvaluatorParams.parse({ mode: 'paper' }));
    const frame = frameOf('proposed');
    frame.aps = [frame.aps[0]!];
    stage.process(frame, ctxOf(frame));
    const all = frame.record.crb as Record<string, Record<string, CrbRecordEntry[]>>;
    expect(Object.keys(all)).toEqual(['proposed']);
    expect(Object.keys(all.proposed!)).toEqual(['paper']);
    for (const e of all.proposed!.paper!) {
      expect(e).toMatchObject({ singular: true });
      if ('singular' in e) expect(e.reason).toMatch(/one AP/);
    }
  });

  it('bad params: invalid-option naming the stage and option, and the list of valid modes', () => {
    expect(crbEvaluator.reads).toEqual([]);
    expect(crbEvaluator.adds.map(keyOf)).toEqual(['crb']);
    let err: unknown;
    try {
      registry.parseParams('stage', 'crb-evaluator', { mode: 'exat' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(IsacflowError);
    const ie = err as IsacflowError;
    expect(ie.kind).toBe('invalid-option');
    expect(ie.message).toMatch(/crb-evaluator/);
    expect(ie.message).toMatch(/mode/);
    expect(ie.message).toMatch(/paper-printed/);
    expect(() => registry.parseParams('stage', 'crb-evaluator', { modes: [] })).toThrow(IsacflowError);
    expect(() => registry.parseParams('stage', 'crb-evaluator', { mdoe: 'exact' })).toThrow(/mdoe/);
  });
});
