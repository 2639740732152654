import { describe, expect, it } from 'vitest';
import { IsacflowError } from '../../src/core/errors.js';
import { Rng } from '../../src/math/rng.js';
import type { Box, Objective, SolveResult, Solver } from '../../src/solvers/solver.js';
import { testFunction } from '../../src/solvers/test-functions.js';
import { solverRegistry } from './helpers.js';

const registry = solverRegistry();
const ALL = ['abc', 'pso', 'ga', 'de', 'sa', 'bfgs', 'tn', 'hybrid', 'abc-bfgs'];
const GLOBAL = ['abc', 'pso', 'ga', 'de', 'sa'];

function solve(
  name: string,
  objective: Objective,
  box: Box,
  key: unknown[],
  extra: object = {},
  params = {},
): SolveResult {
  return registry
    .create<Solver>('solver', name, params)
    .minimize({ objective, box, rng: new Rng(key as (string | number)[]), ...extra });
}

function plain(r: SolveResult): unknown {
  return {
    ...r,
    x: Array.from(r.x),
    candidates: r.candidates?.map((c) => ({ x: Array.from(c.x), value: c.value })),
  };
}

/** Records every value the solver asked for (to check the reported best and the box). */
function recording(o: Objective, box: Box) {
  const seen = { count: 0, min: Infinity, outside: 0 };
  const objective: Objective = {
    dim: o.dim,
    value(x) {
      seen.count++;
      for (let i = 0; i < o.dim; i++) if (x[i]! < box.lower[i]! || x[i]! > box.upper[i]!) seen.outside++;
      const v = o.value(x);
      seen.min = Math.min(seen.min, v);
      return v;
    },
  };
  return { objective, seen };
}

describe('solver contract', () => {
  const tf = testFunction('rastrigin', 2);

  for (const name of ALL) {
    it(`${name}: same seed gives a bit-identical result; another seed a different run`, () => {
      const a = solve(name, tf.objective, tf.box, ['same', 7]);
      const b = solve(name, tf.objective, tf.box, ['same', 7]);
      expect(plain(b)).toEqual(plain(a));
      for (let i = 0; i < 2; i++) expect(Object.is(a.x[i], b.x[i])).toBe(true);
      if (GLOBAL.includes(name)) {
        const c = solve(name, tf.objective, tf.box, ['same', 8]);
        expect(c.trace).not.toEqual(a.trace);
      }
    });

    it(`${name}: reports the best point it evaluated, stays in the box, trace is monotone`, () => {
      const { objective, seen } = recording(tf.objective, tf.box);
      const r = solve(name, objective, tf.box, ['rec'], { x0: Float64Array.of(1.1, -2.3) });
      expect(r.evaluations).toBe(seen.count);
      expect(r.value).toBe(seen.min);
      expect(tf.objective.value(r.x)).toBe(r.value);
      expect(seen.outside).toBe(0);
      expect(r.trace.length).toBeGreaterThan(0);
      expect(r.trace[r.trace.length - 1]!.evaluations).toBe(r.evaluations);
      expect(r.trace[r.trace.length - 1]!.best).toBe(r.value);
      for (let k = 1; k < r.trace.length; k++) {
        expect(r.trace[k]!.iteration).toBeGreaterThan(r.trace[k - 1]!.iteration);
        expect(r.trace[k]!.best).toBeLessThanOrEqual(r.trace[k - 1]!.best);
      }
      // candidates: best first, the first one is the result, all distinct and sorted
      const cs = r.candidates!;
      expect(Array.from(cs[0]!.x)).toEqual(Array.from(r.x));
      for (let k = 1; k < cs.length; k++) expect(cs[k]!.value).toBeGreaterThanOrEqual(cs[k - 1]!.value);
    });

    it(`${name}: stops at maxEvaluations with the best point so far`, () => {
      const { objective, seen } = recording(tf.objective, tf.box);
      const r = solve(name, objective, tf.box, ['cap'], { maxEvaluations: 137 });
      expect(seen.count).toBeLessThanOrEqual(137);
      expect(r.evaluations).toBe(seen.count);
      expect(r.value).toBe(seen.min);
      if (GLOBAL.includes(name)) expect(r.stopReason).toBe('max-evaluations');
    });
  }

  for (const name of ['abc', 'pso', 'ga', 'de']) {
    it(`${name}: the vectorised values() path gives the identical run (population evaluated in batches)`, () => {
      let batches = 0;
      const vec: Objective = {
        dim: 2,
        value: (x) => tf.objective.value(x),
        values(xs, n, out) {
          batches++;
          const row = new Float64Array(2);
          for (let r = 0; r < n; r++) {
            row[0] = xs[2 * r]!;
            row[1] = xs[2 * r + 1]!;
            out[r] = tf.objective.value(row);
          }
        },
      };
      const a = solve(name, { dim: 2, value: tf.objective.value }, tf.box, ['vec']);
      const b = solve(name, vec, tf.box, ['vec']);
      expect(plain(b)).toEqual(plain(a));
      expect(batches).toBeGreaterThan(10);
    });
  }

  it('abc: one trace entry per epoch; evaluations per epoch follow the colony size', () => {
    // 10 sources: init 10, then per cycle 10 employed + 10 onlookers + at most one scout
    const r = solve('abc', tf.objective, tf.box, ['epochs'], {}, { epochs: 4, maxIterations: 30 });
    expect(r.trace.map((t) => t.iteration)).toEqual([1, 2, 3, 4]);
    expect(r.iterations).toBe(4);
    r.trace.forEach((t, k) => {
      expect(t.evaluations).toBeGreaterThanOrEqual(10 + (k + 1) * 30 * 20);
      expect(t.evaluations).toBeLessThanOrEqual(10 + (k + 1) * 30 * 21);
    });
  });

  it('NaN values count as +Infinity (a defined worst value), never as a best point', () => {
    const holey: Objective = { dim: 2, value: (x) => (x[0]! > 0 ? NaN : tf.objective.value(x)) };
    for (const name of ALL) {
      const r = solve(name, holey, tf.box, ['nan'], { x0: Float64Array.of(-1.5, 0.5) });
      expect(Number.isNaN(r.value)).toBe(false);
      expect(r.x[0]!).toBeLessThanOrEqual(0);
    }
  });
});

describe('bad options give invalid-option errors naming the solver and the option', () => {
  function optionErrorOf(fn: () => unknown): IsacflowError {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(IsacflowError);
      return e as IsacflowError;
    }
    throw new Error('expected an error');
  }

  const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ['de', { popSize: -5 }, 'de.popSize', />= 4/],
    ['de', { crossover: 1.5 }, 'de.crossover', /\[0, 1\]/],
    ['de', { strategy: 'best2exp' }, 'de.strategy', /rand1bin/],
    ['ga', { crossover: 1.01 }, 'ga.crossover', /\[0, 1\]/],
    ['ga', { mutation: -0.1 }, 'ga.mutation', /\[0, 1\]/],
    ['ga', { elites: 20 }, 'ga.elites', /elites < popSize/],
    ['pso', { popSize: 0 }, 'pso.popSize', />= 2/],
    ['pso', { inertia: -1 }, 'pso.inertia', />= 0/],
    ['abc', { popSize: 2.5 }, 'abc.popSize', /integer/],
    ['abc', { limit: 0 }, 'abc.limit', />= 1 or auto/],
    ['sa', { visit: 3.5 }, 'sa.visit', /\(1, 3\)/],
    ['sa', { accept: 2 }, 'sa.accept', /1\)/],
    ['bfgs', { c1: 0.95, c2: 0.9 }, 'bfgs.c2', /c1 < c2/],
    ['tn', { forcing: 0 }, 'tn.forcing', /\(0, 1\)/],
    ['hybrid', { polish: -1 }, 'hybrid.polish', />= 0/],
  ];
  for (const [name, params, path, message] of cases) {
    it(`${name} ${JSON.stringify(params)} -> ${path}`, () => {
      const e = optionErrorOf(() => registry.create('solver', name, params));
      expect(e.kind).toBe('invalid-option');
      expect(e.problems[0]!.path).toBe(path);
      expect(e.problems[0]!.message).toMatch(message);
      expect(e.problems[0]!.message).toContain(`solver '${name}'`);
    });
  }

  it('misspelt option: unknown key, named', () => {
    // (the did-you-mean for keys is the registry's job; PluginRegistry.parseParams passes no known keys yet)
    const e = optionErrorOf(() => registry.create('solver', 'de', { popsize: 10 }));
    expect(e.kind).toBe('invalid-option');
    expect(e.problems[0]!.path).toBe('de.popsize');
    expect(e.problems[0]!.message).toMatch(/unknown key 'popsize'/);
  });

  it('hybrid: unknown part -> unknown-plugin with did-you-mean; bad part params name the part', () => {
    const e1 = optionErrorOf(() => registry.create('solver', 'hybrid', { global: 'abd' }));
    expect(e1.kind).toBe('unknown-plugin');
    expect(e1.message).toMatch(/did you mean 'abc'/);
    const e2 = optionErrorOf(() => registry.create('solver', 'abc-bfgs', { globalParams: { popSize: -3 } }));
    expect(e2.kind).toBe('invalid-option');
    expect(e2.problems[0]!.path).toBe('abc.popSize');
    expect(e2.problems[0]!.where).toBe('abc-bfgs.global');
  });

  const tf = testFunction('sphere', 2);
  const boxes: Array<[string, Box, RegExp]> = [
    [
      'lower > upper',
      { lower: Float64Array.of(0, 1), upper: Float64Array.of(1, 0) },
      /lower\[1\] = 1 > upper\[1\] = 0/,
    ],
    ['NaN bound', { lower: Float64Array.of(0, NaN), upper: Float64Array.of(1, 1) }, /NaN/],
    ['wrong length', { lower: Float64Array.of(0), upper: Float64Array.of(1) }, /length 1/],
  ];
  for (const name of ALL) {
    for (const [what, box, message] of boxes) {
      it(`${name}: ${what} -> ${name}.box`, () => {
        const solver = registry.create<Solver>('solver', name, {});
        const e = optionErrorOf(() =>
          solver.minimize({ objective: tf.objective, box, rng: new Rng(['box']) }),
        );
        expect(e.kind).toBe('invalid-option');
        expect(e.problems[0]!.path).toBe(`${name}.box`);
        expect(e.problems[0]!.message).toMatch(message);
      });
    }
  }

  it('global solvers need finite bounds; local ones accept infinite bounds', () => {
    const box: Box = { lower: Float64Array.of(-Infinity, -1), upper: Float64Array.of(1, 1) };
    for (const name of GLOBAL) {
      const e = optionErrorOf(() =>
        registry
          .create<Solver>('solver', name, {})
          .minimize({ objective: tf.objective, box, rng: new Rng(['inf']) }),
      );
      expect(e.problems[0]!.path).toBe(`${name}.box`);
      expect(e.problems[0]!.message).toMatch(/infinite/);
    }
    const r = registry
      .create<Solver>('solver', 'bfgs', {})
      .minimize({ objective: tf.objective, box, rng: new Rng(['inf']), x0: Float64Array.of(0.5, 0.5) });
    expect(Math.abs(r.x[0]!) + Math.abs(r.x[1]!)).toBeLessThan(1e-8);
  });

  it('empty objective, bad x0 and bad maxEvaluations are named', () => {
    const bfgs = registry.create<Solver>('solver', 'bfgs', {});
    const empty: Box = { lower: new Float64Array(0), upper: new Float64Array(0) };
    const e0 = optionErrorOf(() =>
      bfgs.minimize({ objective: { dim: 0, value: () => 0 }, box: empty, rng: new Rng(['e']) }),
    );
    expect(e0.problems[0]!.path).toBe('bfgs.objective.dim');
    const e1 = optionErrorOf(() =>
      bfgs.minimize({
        objective: tf.objective,
        box: tf.box,
        rng: new Rng(['e']),
        x0: Float64Array.of(1, 2, 3),
      }),
    );
    expect(e1.problems[0]!.path).toBe('bfgs.x0');
    const e2 = optionErrorOf(() =>
      registry
        .create<Solver>('solver', 'de', {})
        .minimize({ objective: tf.objective, box: tf.box, rng: new Rng(['e']), maxEvaluations: 0 }),
    );
    expect(e2.problems[0]!.path).toBe('de.maxEvaluations');
  });
});
