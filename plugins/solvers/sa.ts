import { z } from 'zod';
import { uniformInBox } from '../../src/solvers/box.js';
import { offerCandidate } from '../../src/solvers/candidates.js';
import { GsaVisiting } from '../../src/solvers/gsa-visiting.js';
import { intAtLeast } from '../../src/solvers/param-schemas.js';
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
    initialTemp: z
      .number()
      .gt(0.01, 'must be in (0.01, 5e4]')
      .max(5e4, 'must be in (0.01, 5e4]')
      .default(5230)
      .describe('initial temperature T0 (scipy dual_annealing initial_temp); paper: 5230'),
    visit: z
      .number()
      .gt(1, 'must be in (1, 3)')
      .lt(3, 'must be in (1, 3)')
      .default(2.62)
      .describe('visiting parameter q_v (heavier tails when larger); paper: 2.62'),
    accept: z
      .number()
      .min(-1e4, 'must be in [-1e4, 1)')
      .lt(1, 'must be in [-1e4, 1)')
      .default(-5)
      .describe('acceptance parameter q_a (more negative = fewer uphill moves); paper: -5'),
    maxIterations: intAtLeast(
      1,
      100,
      'annealing iterations (each a Markov chain of 2·dim visits + local searches); paper: 100',
    ),
    restartTempRatio: z
      .number()
      .gt(0, 'must be in (0, 1)')
      .lt(1, 'must be in (0, 1)')
      .default(2e-5)
      .describe('re-anneal from a random point when T falls below restartTempRatio·T0'),
    localSearch: z
      .string()
      .min(1)
      .default('bfgs')
      .describe("local solver run on improvements (scipy uses L-BFGS-B); 'none' gives plain generalized SA"),
    localSearchParams: z.record(z.string(), z.unknown()).default({}).describe('params of the local solver'),
  })
  .strict();

export type SaParams = z.infer<typeof params>;

/**
 * Generalized simulated annealing with local search, in the style of scipy's dual_annealing
 * (Xiang et al. 1997; Tsallis & Stariolo 1996):
 * - temperature T(i) = T0 (2^(q_v−1) − 1) / ((i + 2)^(q_v−1) − 1) at iteration i;
 * - each iteration runs a Markov chain of 2·dim visits (GsaVisiting: the first dim move all
 *   coordinates, the next dim one coordinate each); downhill moves are taken, uphill ones with
 *   the generalized Metropolis probability p = [1 − (1 − q_a) ΔE / T_step]^(1/(1−q_a)), T_step = T/(i+1);
 * - after a chain that improved the best point, the local solver polishes the best; after
 *   `dim` chains without improvement it polishes the chain's reference point;
 * - when T < restartTempRatio·T0 the search restarts from a random point (re-annealing).
 * Local-search results are reported as candidates.
 */
class GeneralizedAnnealing implements Solver {
  readonly name = 'sa';
  constructor(
    private readonly p: SaParams,
    private readonly local: Solver | undefined,
  ) {}

  minimize(req: SolveRequest): SolveResult {
    return runSolver(this.name, req, { requireFiniteBox: true }, (run) => this.body(run));
  }

  private body(run: SolverRun): StopReason {
    const { f, box, rng } = run;
    const p = this.p;
    const n = run.dim;
    const qa = p.accept;
    const visiting = new GsaVisiting(box, p.visit, rng);
    const lsRng = rng.fork('local-search');
    const cur = new Float64Array(n);
    const xbest = new Float64Array(n);
    const xmin = new Float64Array(n);
    const xv = new Float64Array(n);
    let ecur = Infinity;
    let ebest = Infinity;
    let emin = Infinity;
    let notImproved = 0;
    let notImprovedMax = 1000;
    let improved = false;

    const reset = (first: boolean): void => {
      for (let k = 0; k < 1000; k++) {
        if (first && k === 0 && run.x0) cur.set(run.x0);
        else uniformInBox(rng, box, cur);
        ecur = f.value(cur);
        if (Number.isFinite(ecur)) break;
      }
      if (first || ecur < ebest) {
        ebest = ecur;
        xbest.set(cur);
      }
    };
    /** Runs the local solver from x (value e); returns whether it found a lower value (left in xv, eLs). */
    let eLs = Infinity;
    const localSearch = (x: Float64Array, e: number): boolean => {
      if (!this.local) return false;
      f.require(1);
      const res = this.local.minimize({
        objective: f.objective,
        box,
        rng: lsRng,
        x0: x,
        maxEvaluations: Number.isFinite(f.remaining) ? f.remaining : undefined,
      });
      f.absorb(res.evaluations, res.x, res.value);
      if (Number.isFinite(res.value))
        offerCandidate(run.candidates, { x: Float64Array.from(res.x), value: res.value }, box);
      if (res.value < e) {
        xv.set(res.x);
        eLs = res.value;
        return true;
      }
      return false;
    };

    reset(true);
    emin = ecur;
    xmin.set(cur);
    const t0 = p.initialTemp;
    const tRestart = t0 * p.restartTempRatio;
    const t1 = Math.exp((p.visit - 1) * Math.log(2)) - 1;
    let iteration = 0;
    while (true) {
      for (let i = 0; i < p.maxIterations; i++) {
        const t2 = Math.exp((p.visit - 1) * Math.log(i + 2)) - 1;
        const temp = (t0 * t1) / t2;
        if (iteration >= p.maxIterations) return 'max-iterations';
        if (temp < tRestart) {
          reset(false);
          break;
        }
        // Markov chain at this temperature
        const tStep = temp / (i + 1);
        notImproved++;
        for (let j = 0; j < 2 * n; j++) {
          if (j === 0) improved = i === 0;
          visiting.visit(cur, j, temp, xv);
          const e = f.value(xv);
          if (e < ecur) {
            cur.set(xv);
            ecur = e;
            if (e < ebest) {
              ebest = e;
              xbest.set(xv);
              improved = true;
              notImproved = 0;
            }
          } else {
            const r = rng.uniform();
            const pt = 1 - ((1 - qa) * (e - ecur)) / tStep;
            const pqv = pt <= 0 ? 0 : Math.exp(Math.log(pt) / (1 - qa));
            if (r <= pqv) {
              cur.set(xv);
              ecur = e;
              xmin.set(cur);
            }
            if (notImproved >= notImprovedMax && (j === 0 || ecur < emin)) {
              emin = ecur;
              xmin.set(cur);
            }
          }
        }
        // local search on improvement, or after too long without one
        if (improved && localSearch(xbest, ebest)) {
          notImproved = 0;
          ebest = eLs;
          xbest.set(xv);
          ecur = eLs;
          cur.set(xv);
        }
        if (notImproved >= notImprovedMax) {
          if (localSearch(xmin, emin)) {
            xmin.set(xv);
            emin = eLs;
          }
          notImproved = 0;
          notImprovedMax = n;
          if (emin < ebest) {
            ebest = emin;
            xbest.set(xmin);
            ecur = emin;
            cur.set(xmin);
          }
        }
        iteration++;
        run.iterations = iteration;
        run.record();
      }
    }
  }
}

/**
 * Generalised annealing with 1000 iterations (100 % on 2-D Rastrigin):
 * @example
 * ```yaml
 * isacflow: 1
 * name: sa
 * run: { trials: 20 }
 * stages:
 *   - { id: bench, uses: solver-benchmark, params: { problem: rastrigin-2, solver: sa, solverParams: { maxIterations: 1000 } } }
 * ```
 */
export const sa = defineSolver({
  name: 'sa',
  summary:
    "Generalized simulated annealing with local search (scipy dual_annealing's algorithm; q_v, q_a, T0)",
  params,
  create: (p, deps) =>
    new GeneralizedAnnealing(
      p,
      p.localSearch === 'none'
        ? undefined
        : deps.registry.create<Solver>('solver', p.localSearch, p.localSearchParams, 'sa.localSearch'),
    ),
});
