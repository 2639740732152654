import { z } from 'zod';
import { offerPopulation } from '../../src/solvers/candidates.js';
import { intAtLeast, nonNegative, probability } from '../../src/solvers/param-schemas.js';
import { argMin, latinHypercube, uniformPopulation } from '../../src/solvers/population.js';
import { runSolver, type SolverRun } from '../../src/solvers/solver-run.js';
import {
  defineSolver,
  type SolveRequest,
  type SolveResult,
  type Solver,
  type StopReason,
} from '../../src/solvers/solver.js';

const params = z
  .object({
    popSize: intAtLeast(4, 50, 'population size (absolute, not a multiple of dim as in scipy); paper: 50'),
    maxIterations: intAtLeast(1, 100, 'generations; budget = popSize·(maxIterations + 1) evaluations'),
    scale: z
      .number()
      .gt(0, 'must be in (0, 2]')
      .max(2, 'must be in (0, 2]')
      .default(0.8)
      .describe('differential weight F (mutation scale); paper: 0.8'),
    crossover: probability(0.5, 'crossover probability CR of the binomial crossover; paper: 0.5'),
    strategy: z
      .enum(['rand1bin', 'best1bin'])
      .default('rand1bin')
      .describe(
        'mutation base: rand/1/bin (robust) or best/1/bin (locks onto Doppler sidelobes of P3/P4, model notes)',
      ),
    init: z.enum(['latinhypercube', 'random']).default('latinhypercube').describe('initial population'),
    tol: nonNegative(
      0,
      "stop when std(values) <= atol + tol·|mean(values)| (scipy's criterion; 0 = run all generations)",
    ),
    atol: nonNegative(0, 'absolute part of the convergence criterion'),
  })
  .strict();

export type DeParams = z.infer<typeof params>;

/**
 * Differential evolution (Storn & Price 1997), DE/rand/1/bin by default:
 *   v = x_r1 + F (x_r2 − x_r3),  u_j = v_j if U < CR or j = j_rand else x_ij,  keep u if f(u) <= f(x_i).
 * Generations are synchronous (trials of a whole generation are evaluated together, through the
 * objective's vectorised `values` when present). A mutant coordinate outside the box is redrawn
 * uniformly inside it (as scipy does).
 */
class DifferentialEvolution implements Solver {
  readonly name = 'de';
  constructor(private readonly p: DeParams) {}

  minimize(req: SolveRequest): SolveResult {
    return runSolver(this.name, req, { requireFiniteBox: true }, (run) => this.body(run));
  }

  private body(run: SolverRun): StopReason {
    const { f, box, rng } = run;
    const p = this.p;
    const n = run.dim;
    const np = p.popSize;
    const pop = new Float64Array(np * n);
    const fit = new Float64Array(np).fill(Infinity);
    const trial = new Float64Array(np * n);
    const tfit = new Float64Array(np);
    const lo = box.lower;
    const hi = box.upper;
    try {
      if (p.init === 'latinhypercube') latinHypercube(rng, box, pop, np, run.x0);
      else uniformPopulation(rng, box, pop, np, run.x0);
      f.values(pop, np, fit);
      for (let gen = 1; gen <= p.maxIterations; gen++) {
        const best = argMin(fit, np);
        for (let i = 0; i < np; i++) {
          // three distinct members other than i (rejection sampling)
          let r1 = rng.int(np);
          while (r1 === i) r1 = rng.int(np);
          let r2 = rng.int(np);
          while (r2 === i || r2 === r1) r2 = rng.int(np);
          let r3 = rng.int(np);
          while (r3 === i || r3 === r1 || r3 === r2) r3 = rng.int(np);
          const base = p.strategy === 'best1bin' ? best : r1;
          const jrand = rng.int(n);
          const row = i * n;
          for (let j = 0; j < n; j++) {
            let v: number;
            if (j === jrand || rng.uniform() < p.crossover) {
              v = pop[base * n + j]! + p.scale * (pop[r2 * n + j]! - pop[r3 * n + j]!);
              if (v < lo[j]! || v > hi[j]!) v = rng.uniformIn(lo[j]!, hi[j]!);
            } else {
              v = pop[row + j]!;
            }
            trial[row + j] = v;
          }
        }
        f.values(trial, np, tfit);
        for (let i = 0; i < np; i++) {
          if (tfit[i]! <= fit[i]!) {
            fit[i] = tfit[i]!;
            for (let j = 0; j < n; j++) pop[i * n + j] = trial[i * n + j]!;
          }
        }
        run.iterations = gen;
        run.record();
        if ((p.tol > 0 || p.atol > 0) && converged(fit, np, p.tol, p.atol)) return 'converged';
      }
      return 'max-iterations';
    } finally {
      offerPopulation(run.candidates, pop, fit, np, box);
    }
  }
}

/** scipy's DE criterion: std(values) <= atol + tol·|mean(values)|. */
function converged(fit: Float64Array, np: number, tol: number, atol: number): boolean {
  let m = 0;
  for (let i = 0; i < np; i++) m += fit[i]!;
  m /= np;
  let v = 0;
  for (let i = 0; i < np; i++) v += (fit[i]! - m) ** 2;
  const sd = Math.sqrt(v / np);
  return Number.isFinite(sd) && sd <= atol + tol * Math.abs(m);
}

/**
 * DE rand/1/bin on 2-D Rastrigin:
 * @example
 * ```yaml
 * isacflow: 1
 * name: de
 * run: { trials: 20 }
 * stages:
 *   - { id: bench, uses: solver-benchmark, params: { problem: rastrigin-2, solver: de, solverParams: { popSize: 50, maxIterations: 100, strategy: rand1bin } } }
 * ```
 */
export const de = defineSolver({
  name: 'de',
  summary: 'Differential evolution, DE/rand/1/bin (or best/1/bin), synchronous generations',
  params,
  create: (p) => new DifferentialEvolution(p),
});
