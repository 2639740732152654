import { optionError } from '../core/errors.js';
import type { Box, Objective } from './solver.js';

/** A standard optimisation test problem: objective (with gradient), search box and known minima. */
export interface TestFunction {
  name: TestFunctionName;
  dim: number;
  box: Box;
  /** global minimum value */
  minimum: number;
  /** all global minimisers inside the box */
  minimizers: Float64Array[];
  objective: Objective;
}

export const TEST_FUNCTION_NAMES = [
  'sphere',
  'rosenbrock',
  'rosenbrock-extended',
  'rastrigin',
  'ackley',
  'himmelblau',
  'easom',
] as const;
export type TestFunctionName = (typeof TEST_FUNCTION_NAMES)[number];

const TWO_PI = 2 * Math.PI;

function cube(dim: number, lo: number, hi: number): Box {
  return { lower: new Float64Array(dim).fill(lo), upper: new Float64Array(dim).fill(hi) };
}

function point(...v: number[]): Float64Array {
  return Float64Array.from(v);
}

/** Sphere f(x) = Σ x_i², box [−5.12, 5.12]^n, minimum 0 at 0. */
function sphere(dim: number): TestFunction {
  return {
    name: 'sphere',
    dim,
    box: cube(dim, -5.12, 5.12),
    minimum: 0,
    minimizers: [new Float64Array(dim)],
    objective: {
      dim,
      value(x) {
        let s = 0;
        for (let i = 0; i < dim; i++) s += x[i]! * x[i]!;
        return s;
      },
      gradient(x, g) {
        let s = 0;
        for (let i = 0; i < dim; i++) {
          s += x[i]! * x[i]!;
          g[i] = 2 * x[i]!;
        }
        return s;
      },
    },
  };
}

/**
 * Rosenbrock (chained, n >= 2) f(x) = Σ_{i<n} 100(x_{i+1} − x_i²)² + (1 − x_i)², box [−5, 10]^n,
 * minimum 0 at (1, ..., 1). (For n >= 4 it also has a local minimum near x_1 = −1.)
 */
function rosenbrock(dim: number): TestFunction {
  if (dim < 2) throw optionError('test-functions', 'dim', `rosenbrock needs dim >= 2, got ${dim}`);
  return {
    name: 'rosenbrock',
    dim,
    box: cube(dim, -5, 10),
    minimum: 0,
    minimizers: [new Float64Array(dim).fill(1)],
    objective: {
      dim,
      value(x) {
        let s = 0;
        for (let i = 0; i < dim - 1; i++) {
          const a = x[i + 1]! - x[i]! * x[i]!;
          const b = 1 - x[i]!;
          s += 100 * a * a + b * b;
        }
        return s;
      },
      gradient(x, g) {
        let s = 0;
        g.fill(0);
        for (let i = 0; i < dim - 1; i++) {
          const xi = x[i]!;
          const a = x[i + 1]! - xi * xi;
          const b = 1 - xi;
          s += 100 * a * a + b * b;
          g[i] = g[i]! - 400 * xi * a - 2 * b;
          g[i + 1] = g[i + 1]! + 200 * a;
        }
        return s;
      },
    },
  };
}

/**
 * Extended Rosenbrock (Moré, Garbow & Hillstrom 1981, problem 21; even n): n/2 uncoupled 2-D
 * Rosenbrock pairs, f(x) = Σ_{k<n/2} 100(x_{2k+1} − x_{2k}²)² + (1 − x_{2k})², box [−5, 10]^n,
 * unique minimiser (1, ..., 1), value 0. Its standard start is (−1.2, 1, −1.2, 1, ...); from that
 * start the chained form has a local minimum near (−1, 1, ..., 1) that a descent method may find.
 */
function rosenbrockExtended(dim: number): TestFunction {
  if (dim < 2 || dim % 2 !== 0) {
    throw optionError('test-functions', 'dim', `rosenbrock-extended needs an even dim >= 2, got ${dim}`);
  }
  return {
    name: 'rosenbrock-extended',
    dim,
    box: cube(dim, -5, 10),
    minimum: 0,
    minimizers: [new Float64Array(dim).fill(1)],
    objective: {
      dim,
      value(x) {
        let s = 0;
        for (let i = 0; i < dim; i += 2) {
          const a = x[i + 1]! - x[i]! * x[i]!;
          const b = 1 - x[i]!;
          s += 100 * a * a + b * b;
        }
        return s;
      },
      gradient(x, g) {
        let s = 0;
        for (let i = 0; i < dim; i += 2) {
          const xi = x[i]!;
          const a = x[i + 1]! - xi * xi;
          const b = 1 - xi;
          s += 100 * a * a + b * b;
          g[i] = -400 * xi * a - 2 * b;
          g[i + 1] = 200 * a;
        }
        return s;
      },
    },
  };
}

/**
 * Rastrigin f(x) = 10n + Σ (x_i² − 10 cos 2πx_i), box [−5.12, 5.12]^n, minimum 0 at 0.
 * Evaluated as Σ x_i² + 20 sin²(πx_i) (the same function), which keeps full relative precision
 * near the minimum (10n − 10 Σ cos loses everything below ~4e-15, i.e. |x| below ~4e-9).
 */
function rastrigin(dim: number): TestFunction {
  return {
    name: 'rastrigin',
    dim,
    box: cube(dim, -5.12, 5.12),
    minimum: 0,
    minimizers: [new Float64Array(dim)],
    objective: {
      dim,
      value(x) {
        let s = 0;
        for (let i = 0; i < dim; i++) {
          const sn = Math.sin(Math.PI * x[i]!);
          s += x[i]! * x[i]! + 20 * sn * sn;
        }
        return s;
      },
      gradient(x, g) {
        let s = 0;
        for (let i = 0; i < dim; i++) {
          const xi = x[i]!;
          const sn = Math.sin(Math.PI * xi);
          s += xi * xi + 20 * sn * sn;
          g[i] = 2 * xi + 20 * Math.PI * Math.sin(TWO_PI * xi);
        }
        return s;
      },
    },
  };
}

/**
 * Ackley f(x) = −20 exp(−0.2 √(Σx_i²/n)) − exp(Σ cos(2πx_i)/n) + 20 + e, box [−32.768, 32.768]^n,
 * minimum 0 at 0 (a cone point: the gradient there is taken as 0). Evaluated as
 * −20 expm1(−0.2 r) − e expm1(−(2/n) Σ sin²(πx_i)) (the same function, no cancellation near 0).
 */
function ackley(dim: number): TestFunction {
  const value = (x: Float64Array, g?: Float64Array): number => {
    let s2 = 0;
    let ss = 0;
    for (let i = 0; i < dim; i++) {
      const sn = Math.sin(Math.PI * x[i]!);
      s2 += x[i]! * x[i]!;
      ss += sn * sn;
    }
    const r = Math.sqrt(s2 / dim);
    const m1 = Math.expm1(-0.2 * r); // exp(−0.2 r) − 1
    const m2 = Math.expm1((-2 * ss) / dim); // exp(Σ cos(2πx_i)/n − 1) − 1
    if (g) {
      // d/dx_i: 20·0.2·e1·x_i/(n r) + (2π/n) sin(2πx_i) e2, e1 = exp(−0.2 r), e2 = exp(Σcos/n)
      const k1 = r > 0 ? (4 * (1 + m1)) / (dim * r) : 0;
      const k2 = (TWO_PI / dim) * Math.E * (1 + m2);
      for (let i = 0; i < dim; i++) g[i] = k1 * x[i]! + k2 * Math.sin(TWO_PI * x[i]!);
    }
    return -20 * m1 - Math.E * m2;
  };
  return {
    name: 'ackley',
    dim,
    box: cube(dim, -32.768, 32.768),
    minimum: 0,
    minimizers: [new Float64Array(dim)],
    objective: { dim, value: (x) => value(x), gradient: (x, g) => value(x, g) },
  };
}

/**
 * Himmelblau f(x, y) = (x² + y − 11)² + (x + y² − 7)² (2-D), box [−5, 5]², minimum 0 at four
 * points: (3, 2) exactly and three roots found by Newton's method (16 digits).
 */
function himmelblau(dim: number): TestFunction {
  if (dim !== 2) throw optionError('test-functions', 'dim', `himmelblau is 2-D only, got dim ${dim}`);
  return {
    name: 'himmelblau',
    dim,
    box: cube(2, -5, 5),
    minimum: 0,
    minimizers: [
      point(3, 2),
      point(-2.805118086952745, 3.131312518250573),
      point(-3.779310253377747, -3.283185991286169),
      point(3.584428340330492, -1.848126526964404),
    ],
    objective: {
      dim,
      value(x) {
        const a = x[0]! * x[0]! + x[1]! - 11;
        const b = x[0]! + x[1]! * x[1]! - 7;
        return a * a + b * b;
      },
      gradient(x, g) {
        const a = x[0]! * x[0]! + x[1]! - 11;
        const b = x[0]! + x[1]! * x[1]! - 7;
        g[0] = 4 * a * x[0]! + 2 * b;
        g[1] = 2 * a + 4 * b * x[1]!;
        return a * a + b * b;
      },
    },
  };
}

/** Easom f(x, y) = −cos x cos y exp(−(x − π)² − (y − π)²) (2-D), box [−100, 100]², minimum −1 at (π, π). */
function easom(dim: number): TestFunction {
  if (dim !== 2) throw optionError('test-functions', 'dim', `easom is 2-D only, got dim ${dim}`);
  const value = (x: Float64Array, g?: Float64Array): number => {
    const dx = x[0]! - Math.PI;
    const dy = x[1]! - Math.PI;
    const e = Math.exp(-(dx * dx + dy * dy));
    const cx = Math.cos(x[0]!);
    const cy = Math.cos(x[1]!);
    const f = -cx * cy * e;
    if (g) {
      g[0] = Math.sin(x[0]!) * cy * e - 2 * dx * f;
      g[1] = cx * Math.sin(x[1]!) * e - 2 * dy * f;
    }
    return f;
  };
  return {
    name: 'easom',
    dim,
    box: cube(2, -100, 100),
    minimum: -1,
    minimizers: [point(Math.PI, Math.PI)],
    objective: { dim, value: (x) => value(x), gradient: (x, g) => value(x, g) },
  };
}

const FACTORIES: Record<TestFunctionName, (dim: number) => TestFunction> = {
  sphere,
  rosenbrock,
  'rosenbrock-extended': rosenbrockExtended,
  rastrigin,
  ackley,
  himmelblau,
  easom,
};

/** The named test function in `dim` dimensions (himmelblau and easom are 2-D only). */
export function testFunction(name: TestFunctionName, dim = 2): TestFunction {
  const make = FACTORIES[name];
  if (!make) {
    throw optionError(
      'test-functions',
      'name',
      `unknown test function '${name}' (known: ${TEST_FUNCTION_NAMES.join(', ')})`,
    );
  }
  if (!Number.isInteger(dim) || dim < 1)
    throw optionError('test-functions', 'dim', `dim ${dim}; need an integer >= 1`);
  return make(dim);
}

/** Inf-norm distance from x to the nearest global minimiser of `tf`. */
export function distanceToMinimizer(tf: TestFunction, x: Float64Array): number {
  let best = Infinity;
  for (const m of tf.minimizers) {
    let d = 0;
    for (let i = 0; i < m.length; i++) d = Math.max(d, Math.abs(x[i]! - m[i]!));
    best = Math.min(best, d);
  }
  return best;
}
