import { z } from 'zod';
import { offerPopulation } from '../../src/solvers/candidates.js';
import { intAtLeast, nonNegative } from '../../src/solvers/param-schemas.js';
import { argMin, uniformPopulation } from '../../src/solvers/population.js';
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
    popSize: intAtLeast(2, 80, 'particles; paper: 80'),
    maxIterations: intAtLeast(
      1,
      200,
      'iterations; budget = popSize·(maxIterations + 1) evaluations; paper: 200',
    ),
    inertia: nonNegative(0.5, 'inertia weight w; paper: 0.5'),
    cognitive: nonNegative(2, 'cognitive coefficient c1 (pull to the particle’s own best); paper: 2'),
    social: nonNegative(2, 'social coefficient c2 (pull to the swarm’s best); paper: 2'),
    maxVelocity: z
      .number()
      .gt(0, 'must be in (0, 1]')
      .max(1, 'must be in (0, 1]')
      .default(0.2)
      .describe('velocity clamp per coordinate, as a fraction of the box width'),
  })
  .strict();

export type PsoParams = z.infer<typeof params>;

/**
 * Particle swarm optimisation, global-best topology (Kennedy & Eberhart; inertia form of Shi &
 * Eberhart):
 *   v ← w v + c1 r1 (p_i − x) + c2 r2 (g − x),  x ← x + v,  r1, r2 ~ U(0, 1) per coordinate,
 * with |v_j| clamped to maxVelocity·(upper_j − lower_j). A particle that leaves the box is put
 * on the bound it crossed and that velocity component is zeroed (absorbing wall). The swarm
 * moves synchronously (one vectorised evaluation per iteration); the global best is updated
 * after each iteration.
 */
class ParticleSwarm implements Solver {
  readonly name = 'pso';
  constructor(private readonly p: PsoParams) {}

  minimize(req: SolveRequest): SolveResult {
    return runSolver(this.name, req, { requireFiniteBox: true }, (run) => this.body(run));
  }

  private body(run: SolverRun): StopReason {
    const { f, box, rng } = run;
    const p = this.p;
    const n = run.dim;
    const np = p.popSize;
    const x = new Float64Array(np * n);
    const v = new Float64Array(np * n);
    const fx = new Float64Array(np);
    const pb = new Float64Array(np * n);
    const pf = new Float64Array(np).fill(Infinity);
    const vmax = new Float64Array(n);
    const lo = box.lower;
    const hi = box.upper;
    for (let j = 0; j < n; j++) vmax[j] = p.maxVelocity * (hi[j]! - lo[j]!);
    try {
      uniformPopulation(rng, box, x, np, run.x0);
      for (let i = 0; i < np; i++)
        for (let j = 0; j < n; j++) v[i * n + j] = rng.uniformIn(-vmax[j]!, vmax[j]!);
      f.values(x, np, fx);
      pb.set(x);
      pf.set(fx);
      let g = argMin(pf, np);
      for (let it = 1; it <= p.maxIterations; it++) {
        for (let i = 0; i < np; i++) {
          const row = i * n;
          for (let j = 0; j < n; j++) {
            const k = row + j;
            const xk = x[k]!;
            let vk =
              p.inertia * v[k]! +
              p.cognitive * rng.uniform() * (pb[k]! - xk) +
              p.social * rng.uniform() * (pb[g * n + j]! - xk);
            const vm = vmax[j]!;
            if (vk > vm) vk = vm;
            else if (vk < -vm) vk = -vm;
            let xn = xk + vk;
            if (xn < lo[j]!) {
              xn = lo[j]!;
              vk = 0;
            } else if (xn > hi[j]!) {
              xn = hi[j]!;
              vk = 0;
            }
            x[k] = xn;
            v[k] = vk;
          }
        }
        f.values(x, np, fx);
        for (let i = 0; i < np; i++) {
          if (fx[i]! < pf[i]!) {
            pf[i] = fx[i]!;
            for (let j = 0; j < n; j++) pb[i * n + j] = x[i * n + j]!;
          }
        }
        g = argMin(pf, np);
        run.iterations = it;
        run.record();
      }
      return 'max-iterations';
    } finally {
      offerPopulation(run.candidates, pb, pf, np, box);
    }
  }
}

/**
 * PSO on 2-D Ackley:
 * @example
 * ```yaml
 * isacflow: 1
 * name: pso
 * run: { trials: 20 }
 * stages:
 *   - { id: bench, uses: solver-benchmark, params: { problem: ackley-2, solver: pso, solverParams: { popSize: 30, maxIterations: 200 } } }
 * ```
 */
export const pso = defineSolver({
  name: 'pso',
  summary: 'Particle swarm optimisation (inertia w, cognitive c1, social c2; global-best topology)',
  params,
  create: (p) => new ParticleSwarm(p),
});
