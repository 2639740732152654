import { describe, expect, it } from 'vitest';
import type { FrameRecord } from '../../src/core/frame.js';
import { boundSeries, manyBoundKeys, summariseBounds } from '../../src/results/crb-bound.js';

const entry = (s: number) => ({ sqrtTrP: s, sqrtTrVelXY: s / 10, stdSpeed: s / 20, stdHeading: 1e-4 });
const rec = (crb: unknown): FrameRecord => ({
  point: {},
  trial: 0,
  frame: 0,
  seed: 0,
  truth: [],
  timings: {},
  crb,
});

describe('bound series of record.crb[resultKey][mode]', () => {
  it('one result key: series named by mode, as in the earlier crb[mode] layout', () => {
    const records = [rec({ crb: { exact: [entry(0.03)], paper: [entry(0.02)] } })];
    expect(manyBoundKeys(records)).toBe(false);
    expect([...boundSeries(records[0]!.crb).keys()]).toEqual(['exact', 'paper']);
    expect([...boundSeries({ exact: [entry(0.03)] }).keys()]).toEqual(['exact']); // earlier layout
  });

  it('several result keys (a crb stage after variants): mode@key, as the earlier crb["mode@branch"]', () => {
    const records = [rec({ initial: { exact: [entry(0.04)] }, optimal: { exact: [entry(0.03)] } })];
    expect(manyBoundKeys(records)).toBe(true);
    expect([...boundSeries(records[0]!.crb, true).keys()]).toEqual(['exact@initial', 'exact@optimal']);
    // the ARMSE-comparable bound: mean over targets of √(mean over frames of b²)
    const two = [rec({ initial: { exact: [entry(0.03)] } }), rec({ initial: { exact: [entry(0.04)] } })];
    expect(summariseBounds(two, ['exact'], false).exact!.position).toBeCloseTo(
      Math.sqrt((0.03 ** 2 + 0.04 ** 2) / 2),
      15,
    );
  });
});
