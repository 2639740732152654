import { z } from 'zod';
import { offerPopulation } from '../../src/solvers/candidates.js';
import { intAtLeast, nonNegative, probability } from '../../src/solvers/param-schemas.js';
import { uniformPopulation } from '../../src/solvers/population.js';
import { runSolver, type SolverRun } from '../../src/solvers/solver-run.js';
import {
  defineSolver,
  type SolveRequest,
  type SolveResult,
  type Solver,
  type StopReason,
} from '../../src/solvers/solver.js';
import type { Rng } from '../../src/math/rng.js';

const params = z
  .object({
    popSize: intAtLeast(2, 20, 'population size; paper: 20'),
    maxIterations: intAtLeast(
      1,
      50,
      'generations; budget = popSize + maxIterations·(popSize − elites) evaluations; paper: 50',
    ),
    crossover: probability(0.9, 'probability that a pair of parents is recombined (SBX); paper: 0.9'),
    mutation: probability(0.3, 'per-gene probability of polynomial mutation; paper: 0.3'),
    etaCrossover: nonNegative(15, 'SBX distribution index η_c (larger = children closer to parents)'),
    etaMutation: nonNegative(20, 'polynomial-mutation distribution index η_m (larger = smaller mutations)'),
    tournament: intAtLeast(1, 2, 'tournament size of parent selection'),
    elites: z
      .number()
      .int('must be an integer >= 0')
      .min(0, 'must be an integer >= 0')
      .default(1)
      .describe('best individuals copied unchanged into the next generation'),
  })
  .strict()
  .refine((p) => p.elites < p.popSize, { message: 'need elites < popSize', path: ['elites'] })
  .refine((p) => p.tournament <= p.popSize, { message: 'need tournament <= popSize', path: ['tournament'] });

export type GaParams = z.infer<typeof params>;

/**
 * Real-coded genetic algorithm (Deb & Agrawal 1995; Deb 2001):
 * tournament selection, simulated binary crossover (SBX, bounded form of NSGA-II) applied to a
 * pair with probability `crossover` (each gene exchanged with probability 1/2), polynomial
 * mutation of each gene with probability `mutation` (bounded form), and elitism (the best
 * `elites` survive unchanged). Generational replacement; children of a generation are evaluated
 * together (vectorised `values` when present). All offspring stay inside the box.
 */
class GeneticAlgorithm implements Solver {
  readonly name = 'ga';
  constructor(private readonly p: GaParams) {}

  minimize(req: SolveRequest): SolveResult {
    return runSolver(this.name, req, { requireFiniteBox: true }, (run) => this.body(run));
  }

  private body(run: SolverRun): StopReason {
    const { f, box, rng } = run;
    const p = this.p;
    const n = run.dim;
    const np = p.popSize;
    const ne = p.elites;
    let pop = new Float64Array(np * n);
    let fit = new Float64Array(np).fill(Infinity);
    let next = new Float64Array(np * n);
    let nfit = new Float64Array(np);
    const order = new Int32Array(np);
    const lo = box.lower;
    const hi = box.upper;

    const tournament = (): number => {
      let best = rng.int(np);
      for (let t = 1; t < p.tournament; t++) {
        const c = rng.int(np);
        if (fit[c]! < fit[best]!) best = c;
      }
      return best;
    };

    try {
      uniformPopulation(rng, box, pop, np, run.x0);
      f.values(pop, np, fit);
      for (let gen = 1; gen <= p.maxIterations; gen++) {
        for (let i = 0; i < np; i++) order[i] = i;
        order.sort((a, b) => fit[a]! - fit[b]! || a - b);
        for (let e = 0; e < ne; e++) {
          const src = order[e]!;
          for (let j = 0; j < n; j++) next[e * n + j] = pop[src * n + j]!;
          nfit[e] = fit[src]!;
        }
        for (let c = ne; c < np; c += 2) {
          const a = tournament();
          const b = tournament();
          const c2 = c + 1 < np ? c + 1 : -1;
          const doX = rng.uniform() < p.crossover;
          for (let j = 0; j < n; j++) {
            const pa = pop[a * n + j]!;
            const pb = pop[b * n + j]!;
            let ya = pa;
            let yb = pb;
            if (doX && rng.uniform() <= 0.5 && Math.abs(pa - pb) > 1e-14) {
              sbx(rng, Math.min(pa, pb), Math.max(pa, pb), lo[j]!, hi[j]!, p.etaCrossover, SBX_OUT);
              if (rng.uniform() <= 0.5) {
                ya = SBX_OUT[1]!;
                yb = SBX_OUT[0]!;
              } else {
                ya = SBX_OUT[0]!;
                yb = SBX_OUT[1]!;
              }
            }
            if (rng.uniform() < p.mutation) ya = polynomialMutation(rng, ya, lo[j]!, hi[j]!, p.etaMutation);
            next[c * n + j] = ya;
            if (c2 >= 0) {
              if (rng.uniform() < p.mutation) yb = polynomialMutation(rng, yb, lo[j]!, hi[j]!, p.etaMutation);
              next[c2 * n + j] = yb;
            }
          }
        }
        f.values(next.subarray(ne * n), np - ne, nfit.subarray(ne));
        [pop, next] = [next, pop];
        [fit, nfit] = [nfit, fit];
        run.iterations = gen;
        run.record();
      }
      return 'max-iterations';
    } finally {
      offerPopulation(run.candidates, pop, fit, np, box);
    }
  }
}

const SBX_OUT = new Float64Array(2);

/**
 * Bounded simulated binary crossover of one gene (NSGA-II): parents y1 < y2 in [lo, hi] give two
 * children written to out[0], out[1] (spread factor β_q drawn with index η), clipped to the box.
 */
function sbx(rng: Rng, y1: number, y2: number, lo: number, hi: number, eta: number, out: Float64Array): void {
  const u = rng.uniform();
  const e1 = 1 / (eta + 1);
  const span = y2 - y1;
  let beta = 1 + (2 * (y1 - lo)) / span;
  let alpha = 2 - Math.pow(beta, -(eta + 1));
  let bq = u <= 1 / alpha ? Math.pow(u * alpha, e1) : Math.pow(1 / (2 - u * alpha), e1);
  let c1 = 0.5 * (y1 + y2 - bq * span);
  beta = 1 + (2 * (hi - y2)) / span;
  alpha = 2 - Math.pow(beta, -(eta + 1));
  bq = u <= 1 / alpha ? Math.pow(u * alpha, e1) : Math.pow(1 / (2 - u * alpha), e1);
  let c2 = 0.5 * (y1 + y2 + bq * span);
  c1 = c1 < lo ? lo : c1 > hi ? hi : c1;
  c2 = c2 < lo ? lo : c2 > hi ? hi : c2;
  out[0] = c1;
  out[1] = c2;
}

/** Bounded polynomial mutation of one gene (Deb 2001, NSGA-II form) with index η. */
function polynomialMutation(rng: Rng, y: number, lo: number, hi: number, eta: number): number {
  const w = hi - lo;
  if (!(w > 0)) return y;
  const d1 = (y - lo) / w;
  const d2 = (hi - y) / w;
  const u = rng.uniform();
  const pw = 1 / (eta + 1);
  let dq: number;
  if (u <= 0.5) {
    const v = 2 * u + (1 - 2 * u) * Math.pow(1 - d1, eta + 1);
    dq = Math.pow(v, pw) - 1;
  } else {
    const v = 2 * (1 - u) + 2 * (u - 0.5) * Math.pow(1 - d2, eta + 1);
    dq = 1 - Math.pow(v, pw);
  }
  const r = y + dq * w;
  return r < lo ? lo : r > hi ? hi : r;
}

/**
 * GA on the 2-D sphere (use `hybrid` with `global: ga, local: bfgs` for 1e-3 accuracy):
 * @example
 * ```yaml
 * isacflow: 1
 * name: ga
 * run: { trials: 20 }
 * stages:
 *   - { id: bench, uses: solver-benchmark, params: { problem: sphere-2, solver: ga, solverParams: { popSize: 40, maxIterations: 100 } } }
 * ```
 */
export const ga = defineSolver({
  name: 'ga',
  summary: 'Real-coded genetic algorithm: tournament selection, SBX crossover, polynomial mutation, elitism',
  params,
  create: (p) => new GeneticAlgorithm(p),
});
