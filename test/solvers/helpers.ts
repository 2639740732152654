import { PluginRegistry } from '../../src/core/plugin-registry.js';
import { Rng } from '../../src/math/rng.js';
import type { SolveResult, Solver } from '../../src/solvers/solver.js';
import {
  distanceToMinimizer,
  testFunction,
  type TestFunctionName,
} from '../../src/solvers/test-functions.js';
import { solversPlugins } from '../../plugins/solvers/index.js';

/** A registry holding only the built-in solvers (the other built-ins are not needed here). */
export function solverRegistry(): PluginRegistry {
  const r = new PluginRegistry();
  r.registerAll(solversPlugins);
  return r;
}

export interface RateResult {
  successes: number;
  runs: number;
  meanEvaluations: number;
  results: SolveResult[];
}

/**
 * Runs solver `name` with `params` on the 2-D test function `fn` for seeds 0..runs-1 (rng key
 * ['solver-test', label, fn, seed]) and counts runs whose point is within `tol` (inf-norm) of a
 * global minimiser.
 */
export function successRate(
  registry: PluginRegistry,
  name: string,
  params: Record<string, unknown>,
  fn: TestFunctionName,
  runs = 100,
  tol = 1e-3,
  label = name,
): RateResult {
  const tf = testFunction(fn, 2);
  let successes = 0;
  let evals = 0;
  const results: SolveResult[] = [];
  for (let seed = 0; seed < runs; seed++) {
    const solver = registry.create<Solver>('solver', name, params);
    const r = solver.minimize({
      objective: tf.objective,
      box: tf.box,
      rng: new Rng(['solver-test', label, fn, seed]),
    });
    if (distanceToMinimizer(tf, r.x) < tol) successes++;
    evals += r.evaluations;
    results.push(r);
  }
  return { successes, runs, meanEvaluations: evals / runs, results };
}
