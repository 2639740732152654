import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/math/rng.js';
import type { Box, Objective, Solver } from '../../src/solvers/solver.js';
import { testFunction } from '../../src/solvers/test-functions.js';
import { solverRegistry } from './helpers.js';

const registry = solverRegistry();

function maxErr(x: Float64Array, target: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - target[i]!));
  return m;
}

function alternating(dim: number): Float64Array {
  return new Float64Array(dim).map((_, i) => (i % 2 === 0 ? -1.2 : 1));
}

/** Objective without its gradient: the solver falls back to central differences. */
function valueOnly(o: Objective): Objective {
  return { dim: o.dim, value: (x) => o.value(x) };
}

describe('bfgs and tn on Rosenbrock from the standard starts (analytic minimum (1, ..., 1))', () => {
  const cases = [
    { fn: 'rosenbrock' as const, dim: 2 },
    // the standard 10-D start (−1.2, 1, ...) belongs to the extended (pairwise) Rosenbrock of
    // Moré-Garbow-Hillstrom; the chained form has a local minimum near x_1 = −1 from there
    { fn: 'rosenbrock-extended' as const, dim: 10 },
  ];
  for (const name of ['bfgs', 'tn']) {
    for (const { fn, dim } of cases) {
      for (const grad of [true, false]) {
        it(`${name}, ${fn} ${dim}-D, ${grad ? 'analytic' : 'central-difference'} gradient: within 1e-6`, () => {
          const tf = testFunction(fn, dim);
          const r = registry.create<Solver>('solver', name, {}).minimize({
            objective: grad ? tf.objective : valueOnly(tf.objective),
            box: tf.box,
            rng: new Rng(['local', name, fn]),
            x0: alternating(dim),
          });
          expect(maxErr(r.x, tf.minimizers[0]!)).toBeLessThan(1e-6);
          expect(r.value).toBeLessThan(1e-10);
          expect(['gradient-tolerance', 'converged']).toContain(r.stopReason);
          // best value per iteration never increases, evaluations never decrease
          for (let k = 1; k < r.trace.length; k++) {
            expect(r.trace[k]!.best).toBeLessThanOrEqual(r.trace[k - 1]!.best);
            expect(r.trace[k]!.evaluations).toBeGreaterThanOrEqual(r.trace[k - 1]!.evaluations);
          }
        });
      }
    }
  }

  it('bfgs with an unbounded box (±Infinity) behaves as plain BFGS', () => {
    const tf = testFunction('rosenbrock', 2);
    const box: Box = {
      lower: new Float64Array(2).fill(-Infinity),
      upper: new Float64Array(2).fill(Infinity),
    };
    const r = registry
      .create<Solver>('solver', 'bfgs', {})
      .minimize({ objective: tf.objective, box, rng: new Rng(['unb']), x0: Float64Array.of(-1.2, 1) });
    expect(maxErr(r.x, [1, 1])).toBeLessThan(1e-6);
  });
});

describe('box constraints (projection / active set)', () => {
  // f(x) = Σ (x_i − c_i)² on a box: the minimiser is the projection of c onto the box (closed form)
  const c = Float64Array.of(2, -3, 0.25, 7);
  const box: Box = { lower: Float64Array.of(0, -1, -1, -2), upper: Float64Array.of(1, 1, 1, 5) };
  const expected = [1, -1, 0.25, 5];
  const shifted: Objective = {
    dim: 4,
    value(x) {
      let s = 0;
      for (let i = 0; i < 4; i++) s += (x[i]! - c[i]!) ** 2;
      return s;
    },
    gradient(x, g) {
      let s = 0;
      for (let i = 0; i < 4; i++) {
        s += (x[i]! - c[i]!) ** 2;
        g[i] = 2 * (x[i]! - c[i]!);
      }
      return s;
    },
  };
  for (const name of ['bfgs', 'tn']) {
    for (const grad of [true, false]) {
      it(`${name} (${grad ? 'analytic' : 'numerical'} gradient) stops at the projection of the unconstrained minimiser`, () => {
        const r = registry.create<Solver>('solver', name, {}).minimize({
          objective: grad ? shifted : valueOnly(shifted),
          box,
          rng: new Rng(['box', name]),
          x0: Float64Array.of(0.5, 0, 0, 0),
        });
        expect(maxErr(r.x, expected)).toBeLessThan(1e-7);
        for (let i = 0; i < 4; i++) {
          expect(r.x[i]!).toBeGreaterThanOrEqual(box.lower[i]!);
          expect(r.x[i]!).toBeLessThanOrEqual(box.upper[i]!);
        }
      });
    }
  }

  it('never evaluates outside the box, even with a numerical gradient at a bound', () => {
    let outside = 0;
    const tf = testFunction('rosenbrock', 2);
    const narrow: Box = { lower: Float64Array.of(-2, -2), upper: Float64Array.of(0.5, 2) };
    const watched: Objective = {
      dim: 2,
      value(x) {
        if (x[0]! < -2 || x[0]! > 0.5 || x[1]! < -2 || x[1]! > 2) outside++;
        return tf.objective.value(x);
      },
    };
    for (const name of ['bfgs', 'tn']) {
      const r = registry
        .create<Solver>('solver', name, {})
        .minimize({ objective: watched, box: narrow, rng: new Rng(['w']), x0: Float64Array.of(-1.2, 1) });
      // constrained minimiser: x1 = 0.5 on the bound, x2 = x1² = 0.25 (∂f/∂x2 = 0)
      expect(maxErr(r.x, [0.5, 0.25])).toBeLessThan(1e-6);
    }
    expect(outside).toBe(0);
  });
});
