import { z } from 'zod';
import { offerPopulation } from '../../src/solvers/candidates.js';
import { intAtLeast } from '../../src/solvers/param-schemas.js';
import { uniformPopulation } from '../../src/solvers/population.js';
import { runSolver, type SolverRun } from '../../src/solvers/solver-run.js';
import {
  defineSolver,
  type SolveRequest,
  type SolveResult,
  type Solver,
  type StopReason,
} from '../../src/solvers/solver.js';
import { uniformInBox } from '../../src/solvers/box.js';

const params = z
  .object({
    popSize: intAtLeast(4, 20, 'colony size (employed + onlooker bees); food sources = popSize/2; paper: 20'),
    epochs: intAtLeast(
      1,
      10,
      'epochs; the population carries over from one epoch to the next; the trace has one entry per epoch; paper: 10',
    ),
    maxIterations: intAtLeast(
      1,
      50,
      'cycles per epoch; budget ≈ popSize·epochs·maxIterations evaluations; paper: 50',
    ),
    limit: z
      .union([
        z.literal('auto'),
        z.number().int('must be an integer >= 1 or auto').min(1, 'must be an integer >= 1 or auto'),
      ])
      .default('auto')
      .describe(
        "abandonment limit: trials without improvement before a source's bee turns scout; auto = food sources × dim (Karaboga & Basturk 2008)",
      ),
  })
  .strict();

export type AbcParams = z.infer<typeof params>;

/**
 * Artificial bee colony (Karaboga & Basturk 2008). SN = popSize/2 food sources; one cycle is
 * - employed phase: for each source i, v_ij = x_ij + φ (x_ij − x_kj), φ ~ U(−1, 1), one random
 *   coordinate j and a random other source k; greedy selection; a failure counts a trial;
 * - onlooker phase: SN onlookers pick sources with probability p_i = fit_i / Σ fit
 *   (fit = 1/(1+f) for f >= 0, 1 + |f| otherwise) and search around them the same way;
 * - scout phase: the source with the most trials, if above `limit`, is replaced by a uniform
 *   random point (at most one scout per cycle).
 * Candidate moves are clipped to the box. Each phase builds all its candidates first and
 * evaluates them together (one vectorised `values` call), then applies greedy selection.
 *
 * Epoch: the paper (Section V.B.1, Fig. 7) gives "epoch = 10, maxiter = 50" without defining
 * epoch. Here an epoch is a block of `maxIterations` cycles; `epochs` epochs run back to back
 * with the colony (sources, trial counters) carried over, so the default run is 10 × 50 = 500
 * cycles and the trace (best value vs epochs) is the quantity Fig. 7 plots (RMSE vs epochs).
 */
class ArtificialBeeColony implements Solver {
  readonly name = 'abc';
  constructor(private readonly p: AbcParams) {}

  minimize(req: SolveRequest): SolveResult {
    return runSolver(this.name, req, { requireFiniteBox: true }, (run) => this.body(run));
  }

  private body(run: SolverRun): StopReason {
    const { f, box, rng } = run;
    const p = this.p;
    const n = run.dim;
    const sn = Math.floor(p.popSize / 2);
    const limit = p.limit === 'auto' ? sn * n : p.limit;
    const food = new Float64Array(sn * n);
    const fit = new Float64Array(sn).fill(Infinity);
    const trials = new Int32Array(sn);
    const cand = new Float64Array(sn * n);
    const cfit = new Float64Array(sn);
    const owner = new Int32Array(sn);
    const prob = new Float64Array(sn);
    const scout = new Float64Array(n);
    const lo = box.lower;
    const hi = box.upper;

    /** Candidate row r: copy of source i with one coordinate moved toward/away from a random k. */
    const neighbour = (r: number, i: number): void => {
      let k = rng.int(sn);
      while (k === i) k = rng.int(sn);
      const j = rng.int(n);
      const phi = 2 * rng.uniform() - 1;
      for (let c = 0; c < n; c++) cand[r * n + c] = food[i * n + c]!;
      let v = food[i * n + j]! + phi * (food[i * n + j]! - food[k * n + j]!);
      if (v < lo[j]!) v = lo[j]!;
      else if (v > hi[j]!) v = hi[j]!;
      cand[r * n + j] = v;
      owner[r] = i;
    };
    const greedy = (): void => {
      for (let r = 0; r < sn; r++) {
        const i = owner[r]!;
        if (cfit[r]! < fit[i]!) {
          fit[i] = cfit[r]!;
          for (let c = 0; c < n; c++) food[i * n + c] = cand[r * n + c]!;
          trials[i] = 0;
        } else {
          trials[i] = trials[i]! + 1;
        }
      }
    };

    try {
      uniformPopulation(rng, box, food, sn, run.x0);
      f.values(food, sn, fit);
      for (let epoch = 1; epoch <= p.epochs; epoch++) {
        for (let cycle = 0; cycle < p.maxIterations; cycle++) {
          // employed bees
          for (let i = 0; i < sn; i++) neighbour(i, i);
          f.values(cand, sn, cfit);
          greedy();
          // onlooker bees: roulette wheel on fitness
          let total = 0;
          for (let i = 0; i < sn; i++) {
            const v = fit[i]!;
            prob[i] = v >= 0 ? 1 / (1 + v) : 1 - v;
            total += prob[i]!;
          }
          for (let r = 0; r < sn; r++) {
            let u = rng.uniform() * total;
            let i = 0;
            while (i < sn - 1 && u >= prob[i]!) {
              u -= prob[i]!;
              i++;
            }
            neighbour(r, i);
          }
          f.values(cand, sn, cfit);
          greedy();
          // scout bee
          let worst = 0;
          for (let i = 1; i < sn; i++) if (trials[i]! > trials[worst]!) worst = i;
          if (trials[worst]! > limit) {
            uniformInBox(rng, box, scout);
            const v = f.value(scout);
            food.set(scout, worst * n);
            fit[worst] = v;
            trials[worst] = 0;
          }
        }
        run.iterations = epoch;
        run.record();
      }
      return 'max-iterations';
    } finally {
      offerPopulation(run.candidates, food, fit, sn, box);
    }
  }
}

/**
 * The paper's ABC budget (10 epochs of 50 cycles, colony 20) on 2-D Rastrigin:
 * @example
 * ```yaml
 * isacflow: 1
 * name: abc
 * run: { trials: 20 }
 * stages:
 *   - { id: bench, uses: solver-benchmark, params: { problem: rastrigin-2, solver: abc, solverParams: { popSize: 20, epochs: 10, maxIterations: 50 } } }
 * ```
 */
export const abc = defineSolver({
  name: 'abc',
  summary:
    'Artificial bee colony (Karaboga & Basturk 2008): employed, onlooker and scout phases; epochs of maxIterations cycles',
  params,
  create: (p) => new ArtificialBeeColony(p),
});
