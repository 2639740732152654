import { describe, expect, it } from 'vitest';
import { matchEstimates, targetErrors, wrapAngle } from '../../src/results/match.js';
import type { Target } from '../../src/isac/scenario-types.js';
import { Rng } from '../../src/math/rng.js';

const tg = (x: number, y: number, speed: number, heading: number): Target => ({
  position: [x, y],
  velocity: { speed, heading },
});

describe('wrapAngle', () => {
  it('maps to (−π, π]', () => {
    expect(wrapAngle(Math.PI)).toBe(Math.PI);
    expect(wrapAngle(-Math.PI)).toBe(Math.PI);
    expect(wrapAngle(3 * Math.PI)).toBeCloseTo(Math.PI, 12);
    expect(wrapAngle(-6.2)).toBeCloseTo(2 * Math.PI - 6.2, 12);
    expect(wrapAngle(0.3 + 8 * Math.PI)).toBeCloseTo(0.3, 12);
    const rng = new Rng(['wrap']);
    for (let i = 0; i < 1000; i++) {
      const x = rng.uniformIn(-50, 50);
      const w = wrapAngle(x);
      expect(w).toBeGreaterThan(-Math.PI);
      expect(w).toBeLessThanOrEqual(Math.PI);
      expect(Math.abs(Math.cos(w) - Math.cos(x)) + Math.abs(Math.sin(w) - Math.sin(x))).toBeLessThan(1e-12);
    }
  });
});

describe('targetErrors', () => {
  it('gives position, Cartesian velocity, speed and wrapped heading errors', () => {
    const e = targetErrors(tg(150, 160, 100, 3.1), tg(153, 164, 101, -3.1));
    expect(e.position).toBeCloseTo(5, 12);
    expect(e.speed).toBeCloseTo(1, 12);
    expect(e.heading).toBeCloseTo(2 * Math.PI - 6.2, 12); // −6.2 wrapped
    // law of cosines: |v̂ − v|² = v̂² + v² − 2 v̂ v cos Δθ
    expect(e.velocity).toBeCloseTo(Math.sqrt(101 ** 2 + 100 ** 2 - 2 * 101 * 100 * Math.cos(6.2)), 9);
  });

  it('a reversed heading with negated speed is the same velocity', () => {
    const e = targetErrors(tg(0, 0, 50, 0.4), tg(0, 0, -50, 0.4 + Math.PI));
    expect(e.velocity).toBeLessThan(1e-12);
    expect(e.position).toBe(0);
  });
});

describe('matchEstimates', () => {
  const truth = [tg(0, 0, 10, 0), tg(100, 0, 10, 1), tg(0, 100, 10, 2)];

  it('undoes a permutation of the estimates', () => {
    const est = [tg(0.5, 100, 10, 2), tg(0, 1, 10, 0), tg(100, -2, 10, 1)];
    const m = matchEstimates(truth, est);
    expect(m.targets.map((t) => t.estimate)).toEqual([1, 2, 0]);
    expect(m.targets.map((t) => t.errors?.position)).toEqual([1, 2, 0.5]);
    expect(m.missed).toBe(0);
    expect(m.extra).toEqual([]);
    expect(m.cost).toBeCloseTo(3.5, 12);
  });

  it('minimises the total, not greedily', () => {
    const t2 = [tg(0, 0, 1, 0), tg(10, 0, 1, 0)];
    const e2 = [tg(1, 0, 1, 0), tg(-10, 0, 1, 0)];
    // greedy: truth0<-est0 (1), truth1<-est1 (20) = 21; alternative: truth0<-est1 (10), truth1<-est0 (9) = 19.
    const m = matchEstimates(t2, e2);
    expect(m.targets.map((t) => t.estimate)).toEqual([1, 0]);
    expect(m.cost).toBeCloseTo(19, 12);
  });

  it('reports misses, extras and invalid estimates', () => {
    const est = [
      tg(100, 1, 10, 1),
      { position: [NaN, 0], velocity: { speed: 1, heading: 0 } },
      tg(0, 2, 10, 0),
    ];
    const m = matchEstimates(truth, est);
    expect(m.invalid).toEqual([1]);
    expect(m.missed).toBe(1);
    expect(m.targets[2]).toEqual({ truth: 2, estimate: -1, errors: null });
    expect(m.targets[0]?.estimate).toBe(2);
    expect(m.targets[1]?.estimate).toBe(0);

    const many = matchEstimates(truth.slice(0, 1), [tg(50, 50, 1, 0), tg(0, 3, 10, 0), tg(9, 9, 1, 1)]);
    expect(many.targets[0]?.estimate).toBe(1);
    expect(many.extra).toEqual([0, 2]);
    expect(matchEstimates(truth, []).missed).toBe(3);
  });

  it('velocityWeightS lets velocity decide between two estimates at the same place', () => {
    const t2 = [tg(0, 0, 10, 0), tg(1, 0, 10, Math.PI / 2)];
    const e2 = [tg(0.5, 0, 10, Math.PI / 2), tg(0.5, 0, 10, 0)];
    expect(matchEstimates(t2, e2).cost).toBeCloseTo(1, 12); // position-only: any assignment costs 1
    const m = matchEstimates(t2, e2, { velocityWeightS: 1 });
    expect(m.targets.map((t) => t.estimate)).toEqual([1, 0]);
  });

  it('agrees with Hungarian-sized problems (10 targets, shuffled noisy estimates)', () => {
    const rng = new Rng(['match', 'big']);
    const tr = Array.from({ length: 10 }, (_, i) => tg(30 * i, 5 * i, 10, 0));
    const perm = rng.permutation(10);
    const est = Array.from(perm, (i) => {
      const t = tr[i] as Target;
      return tg(t.position[0] + rng.normal(), t.position[1] + rng.normal(), 10, 0);
    });
    const m = matchEstimates(tr, est);
    m.targets.forEach((t, i) => expect(perm[t.estimate]).toBe(i));
  });
});
