import { describe, expect, it } from 'vitest';
import { gatedAssignment, type StateEstimate, type Tracker } from '../../../src/isac/tracking/index.js';
import { Rng } from '../../../src/math/rng.js';
import { simulate, trackerRegistry, type Mover } from './simulate.js';

const registry = trackerRegistry();
const MT = 128 * 35.714e-6; // the paper's frame interval M·T, s

/**
 * Three targets of the paper's kind (90-120 m/s, 10-60 m apart, paths that do not cross within the
 * run) sampled every M·T = 4.57 ms (0.46 m per frame at 100 m/s).
 */
const THREE: Mover[] = [
  { position: [150, 160], velocity: [100 * Math.cos(0.6), 100 * Math.sin(0.6)] },
  { position: [200, 140], velocity: [110 * Math.cos(2.1), 110 * Math.sin(2.1)] },
  { position: [170, 210], velocity: [95 * Math.cos(1.2), 95 * Math.sin(1.2)] },
];

const est = (x: number, y: number, speed = 0, heading = 0): StateEstimate => ({
  position: [x, y],
  velocity: { speed, heading },
});

describe('track management', () => {
  for (const name of ['kalman-cv', 'alpha-beta']) {
    it(`${name}: three crossing-free targets keep their ids over 100 frames, estimates in random order`, () => {
      const tracker = registry.create<Tracker>('tracker', name, { gateM: 2 });
      // σ_p = 0.3 m (SFO at about -5 dB), σ_v = 0.5 m/s
      const sim = simulate(tracker, THREE, {
        frames: 100,
        dt: MT,
        sigmaP: 0.3,
        sigmaV: 0.5,
        shuffle: true,
        rng: new Rng(['test', 'ids', name]),
      });
      for (const [f, reports] of sim.reports.entries()) {
        expect(reports.map((t) => t.id)).toEqual([1, 2, 3]);
        for (const t of reports) {
          // every track is on a target (within 5 σ_p)
          const m = sim.truth[f]!.reduce((best, m) =>
            Math.hypot(m.position[0] - t.position[0], m.position[1] - t.position[1]) <
            Math.hypot(best.position[0] - t.position[0], best.position[1] - t.position[1])
              ? m
              : best,
          );
          expect(Math.hypot(m.position[0] - t.position[0], m.position[1] - t.position[1])).toBeLessThan(1.5);
          expect(t.age).toBe(f);
          expect(t.hits).toBe(f + 1);
          expect(t.misses).toBe(0);
          expect(t.confirmed).toBe(true);
        }
      }
      // and on the same target throughout: the target nearest to each id (ids were given in the
      // shuffled order of frame 0) is the same in the first and the last frame
      const nearest = (f: number, t: { position: [number, number] }): number =>
        sim.truth[f]!.map(
          (m, u) => [Math.hypot(m.position[0] - t.position[0], m.position[1] - t.position[1]), u] as const,
        ).sort((a, b) => a[0] - b[0])[0]![1];
      const first = sim.reports[0]!.map((t) => nearest(0, t));
      const last = sim.reports[99]!.map((t) => nearest(99, t));
      expect(last).toEqual(first);
    });
  }

  it('a missed detection does not delete a track within the patience (maxMisses); one more miss does', () => {
    const tracker = registry.create<Tracker>('tracker', 'kalman-cv', { gateM: 2, maxMisses: 3 });
    // target 1 is missed in frames 10-12 (3 misses: kept, coasting) and 30-33 (4 misses: deleted)
    const drop = (f: number, u: number): boolean => u === 1 && ((f >= 10 && f <= 12) || (f >= 30 && f <= 33));
    const sim = simulate(tracker, THREE, {
      frames: 40,
      dt: MT,
      sigmaP: 0.1,
      sigmaV: 0.1,
      drop,
      rng: new Rng(['test', 'misses']),
    });
    const ids = sim.reports.map((r) => r.map((t) => t.id));
    for (let f = 0; f < 30; f++) expect(ids[f]).toEqual([1, 2, 3]);
    const coasting = sim.reports[12]!.find((t) => t.id === 2)!;
    expect(coasting.misses).toBe(3);
    expect(coasting.confirmed).toBe(true);
    // the coasting track was predicted along the straight line: within 0.2 m of the target
    const m = sim.truth[12]![1]!;
    expect(
      Math.hypot(coasting.position[0] - m.position[0], coasting.position[1] - m.position[1]),
    ).toBeLessThan(0.2);
    expect(sim.reports[13]!.find((t) => t.id === 2)!.misses).toBe(0);
    expect(sim.reports[13]!.find((t) => t.id === 2)!.hits).toBe(11);
    // frames 30-32: still there; frame 33 is the 4th miss: deleted; frame 34: a new track, id 4
    expect(ids[32]).toEqual([1, 2, 3]);
    expect(ids[33]).toEqual([1, 3]);
    expect(ids[34]).toEqual([1, 3, 4]);
    const reborn = sim.reports[34]!.find((t) => t.id === 4)!;
    expect(reborn.age).toBe(0);
    expect(reborn.hits).toBe(1);
  });

  it('maxMisses: 0 deletes at the first miss', () => {
    const tracker = registry.create<Tracker>('tracker', 'alpha-beta', { maxMisses: 0 });
    tracker.step({ frame: 0, dt: MT, estimates: [est(0, 0), est(100, 0)] });
    expect(tracker.step({ frame: 1, dt: MT, estimates: [est(0, 0)] }).map((t) => t.id)).toEqual([1]);
  });

  it('an estimate outside the gate starts a new track; the old one coasts', () => {
    const tracker = registry.create<Tracker>('tracker', 'kalman-cv', { gateM: 2 });
    tracker.step({ frame: 0, dt: 1, estimates: [est(0, 0, 1, 0)] });
    // predicted at (1, 0): an estimate at (4, 0) is 3 m away, outside the 2 m gate
    const r = tracker.step({ frame: 1, dt: 1, estimates: [est(4, 0, 1, 0)] });
    expect(r.map((t) => [t.id, t.misses, t.hits])).toEqual([
      [1, 1, 1],
      [2, 0, 1],
    ]);
    expect(r[0]!.position[0]).toBeCloseTo(1, 12);
  });

  it('confirmHits: a track is reported once it has that many hits', () => {
    const tracker = registry.create<Tracker>('tracker', 'alpha-beta', { confirmHits: 2 });
    expect(tracker.step({ frame: 0, dt: MT, estimates: [est(0, 0)] }).map((t) => t.confirmed)).toEqual([
      false,
    ]);
    expect(tracker.step({ frame: 1, dt: MT, estimates: [est(0, 0)] }).map((t) => t.confirmed)).toEqual([
      true,
    ]);
  });

  it('a single frame gives the estimates back; non-finite estimates are ignored; reset restarts the ids', () => {
    for (const name of ['kalman-cv', 'alpha-beta']) {
      const tracker = registry.create<Tracker>('tracker', name);
      const e = [
        est(150.5, 160.25, 100.5, 0.6),
        est(200, 140, 110, 2.1),
        est(NaN, 1, 1, 1),
        est(1, 1, 1, Infinity),
      ];
      const r = tracker.step({ frame: 0, dt: MT, estimates: e });
      expect(r.map((t) => t.id)).toEqual([1, 2]);
      expect(r[0]!.position).toEqual([150.5, 160.25]);
      expect(r[0]!.velocity.speed).toBeCloseTo(100.5, 12);
      expect(r[0]!.velocity.heading).toBeCloseTo(0.6, 12);
      tracker.reset();
      expect(tracker.step({ frame: 0, dt: MT, estimates: [est(0, 0)] }).map((t) => t.id)).toEqual([1]);
    }
  });

  it('no estimates: every track coasts; a bad dt is refused with a clear error', () => {
    const tracker = registry.create<Tracker>('tracker', 'kalman-cv');
    tracker.step({ frame: 0, dt: 0, estimates: [est(0, 0, 10, 0)] });
    const r = tracker.step({ frame: 1, dt: 0.5, estimates: [] });
    expect(r[0]!.misses).toBe(1);
    expect(r[0]!.position[0]).toBeCloseTo(5, 12);
    expect(() => tracker.step({ frame: 2, dt: NaN, estimates: [] })).toThrow(
      /kalman-cv: dt must be a finite number >= 0 s \(got NaN\)/,
    );
  });
});

describe('gatedAssignment (global nearest neighbour)', () => {
  it('finds the best joint assignment, not the greedy one', () => {
    // Track 0 at (0, 0) is 0.9 m from estimate 0 and 1.8 m from estimate 1; track 1 at (2, 0) is
    // 1.1 m from estimate 0 and out of the 2 m gate of estimate 1. Greedy (nearest first) pairs
    // 0→0 and leaves track 1 empty: 0.81 + g² = 4.81; the joint optimum 0→1, 1→0 costs 3.24 + 1.21.
    const tracks: Array<[number, number]> = [
      [0, 0],
      [2, 0],
    ];
    const estimates: Array<[number, number]> = [
      [0.9, 0],
      [0, 1.8],
    ];
    expect([...gatedAssignment(tracks, estimates, 2)]).toEqual([1, 0]);
    const d = (a: [number, number], b: [number, number]): number => (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2;
    expect(d(tracks[0]!, estimates[1]!) + d(tracks[1]!, estimates[0]!)).toBeLessThan(
      d(tracks[0]!, estimates[0]!) + 4,
    );
  });

  it('leaves out-of-gate pairs unassigned and handles empty sides', () => {
    expect([...gatedAssignment([[0, 0]], [[3, 0]], 2)]).toEqual([-1]);
    expect([...gatedAssignment([], [[3, 0]], 2)]).toEqual([]);
    expect([...gatedAssignment([[0, 0]], [], 2)]).toEqual([-1]);
    // more tracks than estimates (and vice versa), Hungarian sizes included
    const many: Array<[number, number]> = Array.from({ length: 9 }, (_, k) => [10 * k, 0]);
    const shifted: Array<[number, number]> = many.slice(0, 6).map(([x, y]) => [x + 0.5, y]);
    expect([...gatedAssignment(many, shifted, 2)]).toEqual([0, 1, 2, 3, 4, 5, -1, -1, -1]);
    expect([...gatedAssignment(shifted, many, 2)]).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
