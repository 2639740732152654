import { describe, expect, it } from 'vitest';
import { combineNormalised, labelPeaks, localMaxima } from '../../../src/isac/fusion/index.js';
import {
  FusionProfileStage,
  fusionProfileParams,
  summarizeProfiles,
  type ProfileRecord,
} from '../../../stages/fusion-profile/fusion-profile.js';
import { Rng } from '../../../src/math/rng.js';
import { fusionRegistry, observedFrame, scenarioOf, THREE_RANDOM } from './chain.js';
import { createStageContext } from '../../../src/core/stage-context.js';

const registry = fusionRegistry();

describe('profile helpers', () => {
  it('combineNormalised: each surface scaled to its own peak, then the maximum', () => {
    const a = Float64Array.of(1, 2, 4, 0);
    const b = Float64Array.of(10, 5, 0, 0);
    expect([...combineNormalised([a, b], 4)]).toEqual([1, 0.5, 1, 0]);
    expect([...combineNormalised([new Float64Array(4)], 4)]).toEqual([0, 0, 0, 0]);
  });

  it('localMaxima: 8-neighbour peaks above the threshold, one per plateau, periodic x, best first', () => {
    // 5 x 3 grid, rows over y
    const v = Float64Array.of(0.9, 0.1, 0.1, 0.1, 0.8, 0.1, 0.1, 0.75, 0.1, 0.1, 0.2, 0.1, 0.75, 0.1, 0.6);
    const peaks = localMaxima(v, 5, 3, 0.7);
    expect(peaks.map((p) => [p.i, p.j, p.value])).toEqual([
      [0, 0, 0.9],
      [4, 0, 0.8],
      [2, 1, 0.75],
    ]);
    // with x periodic, (4, 0) neighbours (0, 0) = 0.9: no longer a peak
    expect(localMaxima(v, 5, 3, 0.7, true).map((p) => [p.i, p.j])).toEqual([
      [0, 0],
      [2, 1],
    ]);
    expect(localMaxima(v, 5, 3, 0.95)).toEqual([]);
  });

  it('labelPeaks: nearest target within the radius, each target once', () => {
    const truth = [
      [0, 0],
      [10, 0],
    ] as const;
    const d = (p: readonly number[], t: readonly number[]) => Math.hypot(p[0]! - t[0]!, p[1]! - t[1]!);
    expect(
      labelPeaks(
        [
          [0.5, 0],
          [0.2, 0],
          [9, 0],
          [50, 50],
        ],
        truth,
        3,
        d,
      ),
    ).toEqual([0, null, 1, null]);
  });
});

describe('fusion-profile stage (Fig. 8 set-up: three random targets, 0 dB)', () => {
  it('each target peaks within a grid cell of its truth; above the 0.7 threshold: 3 detections, no ghosts', () => {
    const sc = scenarioOf({ db: 0, targets: THREE_RANDOM });
    const stage = new FusionProfileStage(fusionProfileParams.parse({}));
    for (let trial = 0; trial < 2; trial++) {
      const f = observedFrame(sc, 'profile', trial, registry);
      stage.process(f, createStageContext(f, { stageId: 'profile', rng: new Rng(['p']), registry }));
      const p = (f.record.profile as Record<string, ProfileRecord>).profile!;
      // the grid: the paper's area at 1 m, rows over y
      expect(p.location.xs).toHaveLength(101);
      expect(p.location.ys).toHaveLength(101);
      expect(p.location.values).toHaveLength(101);
      expect(p.location.values[0]).toHaveLength(101);
      expect(Math.max(...p.location.values.flat())).toBe(1);
      expect(p.location.aps).toHaveLength(4);
      f.truth.forEach((t, u) => {
        const near = p.location.targetPeaks.some(
          (q) => Math.abs(q[0] - t.position[0]) <= 1 && Math.abs(q[1] - t.position[1]) <= 1,
        );
        expect(near, `target ${u} at ${t.position}`).toBe(true);
      });
      expect(p.location.detected).toBe(3);
      expect(p.location.ghosts).toBe(0);
      expect(p.velocity.detected).toBe(3);
      expect(p.velocity.ghosts).toBe(0);
      expect(p.velocity.values).toHaveLength(p.velocity.ys.length);
      expect(p.velocity.values[0]).toHaveLength(p.velocity.xs.length);
      expect(JSON.parse(JSON.stringify(p))).toEqual(p); // plain JSON, no NaN
      expect(summarizeProfiles([f.record])).toMatch(
        /location 3\/3 detected, 0 ghost\(s\); velocity 3\/3 detected, 0 ghost\(s\)/,
      );
    }
  });
});
