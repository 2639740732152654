import { describe, expect, it } from 'vitest';
import { IsacflowError } from '../../src/core/errors.js';
import { Rng } from '../../src/math/rng.js';
import {
  TEST_FUNCTION_NAMES,
  testFunction,
  type TestFunctionName,
} from '../../src/solvers/test-functions.js';

const DIMS: Record<TestFunctionName, number[]> = {
  sphere: [1, 2, 7],
  rosenbrock: [2, 5],
  'rosenbrock-extended': [2, 10],
  rastrigin: [1, 2, 6],
  ackley: [2, 5],
  himmelblau: [2],
  easom: [2],
};

/** Textbook forms (independent of the stable forms the module evaluates). */
const TEXTBOOK: Partial<Record<TestFunctionName, (x: Float64Array) => number>> = {
  rastrigin: (x) => 10 * x.length + x.reduce((s, v) => s + v * v - 10 * Math.cos(2 * Math.PI * v), 0),
  ackley: (x) => {
    const n = x.length;
    const r = Math.sqrt(x.reduce((s, v) => s + v * v, 0) / n);
    const c = x.reduce((s, v) => s + Math.cos(2 * Math.PI * v), 0) / n;
    return -20 * Math.exp(-0.2 * r) - Math.exp(c) + 20 + Math.E;
  },
  easom: (x) =>
    -Math.cos(x[0]!) * Math.cos(x[1]!) * Math.exp(-((x[0]! - Math.PI) ** 2) - (x[1]! - Math.PI) ** 2),
};

describe('test functions', () => {
  for (const name of TEST_FUNCTION_NAMES) {
    for (const dim of DIMS[name]) {
      const tf = testFunction(name, dim);
      it(`${name} ${dim}-D: value at every minimiser is the minimum, gradient there is 0`, () => {
        const g = new Float64Array(dim);
        for (const m of tf.minimizers) {
          expect(Math.abs(tf.objective.value(m) - tf.minimum)).toBeLessThan(1e-24);
          expect(Math.abs(tf.objective.gradient!(m, g) - tf.minimum)).toBeLessThan(1e-24);
          for (let i = 0; i < dim; i++) expect(Math.abs(g[i]!)).toBeLessThan(1e-11);
          for (let i = 0; i < dim; i++) {
            expect(m[i]!).toBeGreaterThanOrEqual(tf.box.lower[i]!);
            expect(m[i]!).toBeLessThanOrEqual(tf.box.upper[i]!);
          }
        }
      });

      it(`${name} ${dim}-D: gradient matches central differences of the value at random points`, () => {
        const rng = new Rng(['tf-grad', name, dim]);
        const x = new Float64Array(dim);
        const g = new Float64Array(dim);
        for (let k = 0; k < 20; k++) {
          // points in the central part of the box (easom: near its only non-flat region)
          for (let i = 0; i < dim; i++) {
            x[i] =
              name === 'easom'
                ? Math.PI + rng.uniformIn(-2, 2)
                : rng.uniformIn(tf.box.lower[i]! / 2, tf.box.upper[i]! / 2);
          }
          const f = tf.objective.gradient!(x, g);
          expect(f).toBe(tf.objective.value(x));
          for (let i = 0; i < dim; i++) {
            const h = 1e-6 * Math.max(1, Math.abs(x[i]!));
            const xp = Float64Array.from(x);
            const xm = Float64Array.from(x);
            xp[i] = x[i]! + h;
            xm[i] = x[i]! - h;
            const fd = (tf.objective.value(xp) - tf.objective.value(xm)) / (2 * h);
            // truncation h²·f'''/6 plus rounding eps·|f|/h: relative 1e-6 of the gradient scale
            expect(Math.abs(fd - g[i]!)).toBeLessThan(1e-6 * Math.max(1, Math.abs(g[i]!), Math.abs(f)));
          }
        }
      });

      const book = TEXTBOOK[name];
      if (book) {
        it(`${name} ${dim}-D: equals the textbook formula`, () => {
          const rng = new Rng(['tf-book', name, dim]);
          const x = new Float64Array(dim);
          for (let k = 0; k < 50; k++) {
            for (let i = 0; i < dim; i++) x[i] = rng.uniformIn(tf.box.lower[i]!, tf.box.upper[i]!);
            if (name === 'easom') x.set([Math.PI + rng.uniformIn(-1, 1), Math.PI + rng.uniformIn(-1, 1)]);
            expect(Math.abs(tf.objective.value(x) - book(x))).toBeLessThan(
              1e-12 * Math.max(1, Math.abs(book(x))),
            );
          }
        });
      }
    }
  }

  it('known values: Rastrigin at the integer lattice = Σ x², Rosenbrock(0) = n − 1', () => {
    expect(testFunction('rastrigin', 3).objective.value(Float64Array.of(1, -2, 3))).toBeCloseTo(14, 12);
    expect(testFunction('rosenbrock', 6).objective.value(new Float64Array(6))).toBe(5);
    expect(testFunction('rosenbrock-extended', 6).objective.value(new Float64Array(6))).toBe(3);
    expect(testFunction('easom').objective.value(Float64Array.of(Math.PI, Math.PI))).toBe(-1);
  });

  it('dimensions a function does not have are invalid options', () => {
    expect(() => testFunction('himmelblau', 3)).toThrow(IsacflowError);
    expect(() => testFunction('rosenbrock-extended', 3)).toThrow(/even/);
    expect(() => testFunction('rosenbrock', 1)).toThrow(/dim >= 2/);
  });
});
