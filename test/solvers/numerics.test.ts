import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/math/rng.js';
import { maxStepInBox, reflectCoordinate } from '../../src/solvers/box.js';
import { GsaVisiting, logGamma } from '../../src/solvers/gsa-visiting.js';
import { type LineFunction, strongWolfe } from '../../src/solvers/line-search.js';
import { numericalGradient } from '../../src/solvers/numerical-gradient.js';
import type { Box } from '../../src/solvers/solver.js';
import { testFunction } from '../../src/solvers/test-functions.js';

describe('numerical gradient (central differences inside the box)', () => {
  const tf = testFunction('rosenbrock', 5);
  const g = new Float64Array(5);
  const ga = new Float64Array(5);
  const work = new Float64Array(5);

  it('matches the analytic gradient in the interior (error O(eps^(2/3)) relative)', () => {
    const rng = new Rng(['ng']);
    const x = new Float64Array(5);
    for (let k = 0; k < 50; k++) {
      for (let i = 0; i < 5; i++) x[i] = rng.uniformIn(-2, 2);
      const f = tf.objective.gradient!(x, ga);
      numericalGradient((p) => tf.objective.value(p), x, f, tf.box, g, work);
      // h = eps^(1/3)max(1,|x|): truncation ~h²|f'''| and rounding ~eps|f|/h, both ~1e-10·scale
      for (let i = 0; i < 5; i++)
        expect(Math.abs(g[i]! - ga[i]!)).toBeLessThan(1e-7 * Math.max(1, Math.abs(f)));
    }
  });

  it('uses second-order one-sided formulas at a bound and never leaves the box', () => {
    const box: Box = { lower: Float64Array.of(-2, -2, -2, -2, -2), upper: Float64Array.of(0.5, 2, 2, 2, 2) };
    const x = Float64Array.of(0.5, 0.3, -2, 1, 1.7);
    let outside = 0;
    const f = (p: Float64Array): number => {
      for (let i = 0; i < 5; i++) if (p[i]! < box.lower[i]! || p[i]! > box.upper[i]!) outside++;
      return tf.objective.value(p);
    };
    tf.objective.gradient!(x, ga);
    numericalGradient(f, x, NaN, box, g, work);
    expect(outside).toBe(0);
    for (let i = 0; i < 5; i++)
      expect(Math.abs(g[i]! - ga[i]!)).toBeLessThan(1e-6 * Math.max(1, Math.abs(ga[i]!)));
  });

  it('a zero-width coordinate has gradient 0; a box narrower than 2h gives the secant', () => {
    const box: Box = { lower: Float64Array.of(1, 0), upper: Float64Array.of(1, 1e-6) };
    const sq = (p: Float64Array): number => (p[0]! - 1) ** 2 + p[1]! * p[1]!;
    const g2 = new Float64Array(2);
    numericalGradient(sq, Float64Array.of(1, 5e-7), NaN, box, g2, new Float64Array(2));
    expect(g2[0]).toBe(0);
    // secant of y² over [0, 1e-6] = 1e-6
    expect(Math.abs(g2[1]! - 1e-6)).toBeLessThan(1e-12);
  });
});

describe('strong Wolfe line search', () => {
  /** φ along d from x for Rosenbrock, evaluated independently. */
  function rosenLine(x: Float64Array, d: Float64Array): LineFunction & { calls: number } {
    const tf = testFunction('rosenbrock', 2);
    const p = new Float64Array(2);
    const g = new Float64Array(2);
    const fn = {
      calls: 0,
      phi(a: number) {
        fn.calls++;
        p[0] = x[0]! + a * d[0]!;
        p[1] = x[1]! + a * d[1]!;
        return tf.objective.value(p);
      },
      dphi(a: number) {
        p[0] = x[0]! + a * d[0]!;
        p[1] = x[1]! + a * d[1]!;
        tf.objective.gradient!(p, g);
        return g[0]! * d[0]! + g[1]! * d[1]!;
      },
    };
    return fn;
  }

  it('returns a step satisfying both strong Wolfe conditions (checked independently)', () => {
    const x = Float64Array.of(-1.2, 1);
    const tf = testFunction('rosenbrock', 2);
    const g0 = new Float64Array(2);
    const f0 = tf.objective.gradient!(x, g0);
    const d = Float64Array.of(-g0[0]!, -g0[1]!);
    const dphi0 = -(g0[0]! ** 2 + g0[1]! ** 2);
    for (const [c1, c2, init] of [
      [1e-4, 0.9, 1],
      [1e-4, 0.1, 1],
      [0.3, 0.4, 1e-6],
    ] as const) {
      const fn = rosenLine(x, d);
      const r = strongWolfe(fn, f0, dphi0, init, Infinity, { c1, c2, maxIterations: 60, maxZoom: 60 });
      expect(r.ok).toBe(true);
      expect(r.value).toBe(fn.phi(r.alpha));
      expect(r.value).toBeLessThanOrEqual(f0 + c1 * r.alpha * dphi0);
      expect(Math.abs(fn.dphi(r.alpha))).toBeLessThanOrEqual(c2 * Math.abs(dphi0));
    }
  });

  it('on a parabola (α − 3)² it brackets and zooms to the minimiser; a bound caps the step', () => {
    const q: LineFunction = { phi: (a) => (a - 3) ** 2, dphi: (a) => 2 * (a - 3) };
    const r = strongWolfe(q, 9, -6, 1, Infinity, { c1: 1e-4, c2: 0.01, maxIterations: 30, maxZoom: 30 });
    expect(Math.abs(r.alpha - 3)).toBeLessThan(0.03); // |φ'| <= 0.01·6 means |α − 3| <= 0.03
    // c2 = 0.1: α = 1 has |φ'| = 4 > 0.6, so the step doubles to the bound α = 2, still decreasing
    const capped = strongWolfe(q, 9, -6, 1, 2, { c1: 1e-4, c2: 0.1, maxIterations: 30, maxZoom: 30 });
    expect(capped).toEqual({ ok: true, alpha: 2, value: 1, atBound: true });
    expect(strongWolfe(q, 9, 6, 1, Infinity).ok).toBe(false); // not a descent direction
  });
});

describe('box helpers', () => {
  it('reflection folds back by the overshoot; maxStepInBox is the distance to the first bound', () => {
    expect(reflectCoordinate(1.25, 0, 1)).toBeCloseTo(0.75, 15);
    expect(reflectCoordinate(-0.25, 0, 1)).toBeCloseTo(0.25, 15);
    expect(reflectCoordinate(2.25, 0, 1)).toBeCloseTo(0.25, 15);
    expect(reflectCoordinate(0.5, 0, 1)).toBe(0.5);
    const box: Box = { lower: Float64Array.of(-1, -1), upper: Float64Array.of(1, 3) };
    expect(maxStepInBox(Float64Array.of(0, 0), Float64Array.of(0.5, 1), box)).toBe(2);
    expect(maxStepInBox(Float64Array.of(0, 0), Float64Array.of(-4, 0), box)).toBe(0.25);
    expect(maxStepInBox(Float64Array.of(0, 0), Float64Array.of(0, 0), box)).toBe(Infinity);
  });
});

describe('generalized simulated annealing visiting distribution', () => {
  it('logGamma matches known values', () => {
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 13);
    expect(logGamma(1)).toBeCloseTo(0, 13);
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 13);
    expect(logGamma(1.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI) / 2), 13);
    expect(logGamma(0.1)).toBeCloseTo(Math.log(9.513507698668732), 12);
    expect(logGamma(20)).toBeCloseTo(Math.log(121645100408832000), 10);
  });

  it('visits stay in the box and shrink as the temperature falls (below saturation)', () => {
    const box: Box = { lower: Float64Array.of(-5, 0), upper: Float64Array.of(5, 1) };
    const v = new GsaVisiting(box, 2.62, new Rng(['visit']));
    const x = Float64Array.of(0.3, 0.5);
    const out = new Float64Array(2);
    const medians: number[] = [];
    // (above T ≈ 10 the steps span the whole box and wrap: the spread saturates)
    for (const t of [1, 0.1, 1e-2, 1e-3]) {
      const steps: number[] = [];
      for (let k = 0; k < 2000; k++) {
        v.visit(x, k % 4, t, out);
        for (let i = 0; i < 2; i++) {
          expect(out[i]!).toBeGreaterThanOrEqual(box.lower[i]!);
          expect(out[i]!).toBeLessThanOrEqual(box.upper[i]!);
        }
        steps.push(Math.abs(out[0]! - x[0]!));
      }
      steps.sort((a, b) => a - b);
      medians.push(steps[1000]!);
    }
    for (let k = 1; k < medians.length; k++) expect(medians[k]!).toBeLessThan(medians[k - 1]!);
  });
});
