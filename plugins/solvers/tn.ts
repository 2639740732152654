import { z } from 'zod';
import { projectedGradientNorm, updateFreeSet } from '../../src/solvers/active-set.js';
import { defaultStart, maxStepInBox } from '../../src/solvers/box.js';
import { LineProbe } from '../../src/solvers/line-probe.js';
import { strongWolfe } from '../../src/solvers/line-search.js';
import { projectedArmijo } from '../../src/solvers/projected-search.js';
import { CENTRAL_STEP } from '../../src/solvers/numerical-gradient.js';
import { intAtLeast, localStopParams } from '../../src/solvers/param-schemas.js';
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
    ...localStopParams,
    maxCgIterations: intAtLeast(
      1,
      50,
      'inner conjugate-gradient iterations per Newton step (also capped at 2·free dims)',
    ),
    forcing: z
      .number()
      .gt(0, 'must be in (0, 1)')
      .lt(1, 'must be in (0, 1)')
      .default(0.01)
      .describe(
        'CG stops when |r| <= min(forcing, √|g|)·|g| (superlinear forcing term; 0.5 is the textbook value, 0.01 took 22 instead of 80 steps on Rosenbrock)',
      ),
  })
  .strict();

export type TnParams = z.infer<typeof params>;

const SQRT_EPS = Math.sqrt(Number.EPSILON);

/**
 * Truncated Newton (line-search Newton-CG, Nocedal & Wright Algorithm 7.1) with bound constraints:
 * - Newton step: CG on ∇²f p = −g restricted to the free coordinates (active set as in bfgs:
 *   a coordinate on a bound with the gradient pushing outward is held fixed), stopped when the
 *   residual is below min(forcing, √|g|)·|g| or negative curvature appears (then the CG iterate so
 *   far, or −g on the first CG step, is used);
 * - Hessian-vector products by finite differences of the gradient,
 *   ∇²f v ≈ (∇f(x + h v) − ∇f(x)) / h, h = δ(1 + |x|)/|v| (δ = √eps with an analytic gradient,
 *   eps^(1/3) with central-difference gradients); when x + h v leaves the box the backward
 *   difference (∇f(x) − ∇f(x − h v)) / h is used, so f is never evaluated outside;
 * - strong Wolfe line search from α = 1, capped at the distance to the box (projection).
 */
class TruncatedNewton implements Solver {
  readonly name = 'tn';
  constructor(private readonly p: TnParams) {}

  minimize(req: SolveRequest): SolveResult {
    return runSolver(this.name, req, { requireFiniteBox: false }, (run) => this.body(run));
  }

  private body(run: SolverRun): StopReason {
    const { f, box } = run;
    const n = run.dim;
    const p = this.p;
    const probe = new LineProbe(f, box, n);
    const x = probe.x;
    const d = probe.d;
    if (run.x0) x.set(run.x0);
    else defaultStart(run.rng, box, x);
    const g = new Float64Array(n);
    const free = new Uint8Array(n).fill(1);
    // CG work vectors
    const r = new Float64Array(n);
    const z = new Float64Array(n);
    const bz = new Float64Array(n);
    const xh = new Float64Array(n);
    const gh = new Float64Array(n);
    const delta = f.hasGradient ? SQRT_EPS : CENTRAL_STEP;

    /** bz ← ∇²f(x) z on the free coordinates, by a difference of gradients. */
    const hessVec = (): void => {
      let zn = 0;
      let xn = 0;
      for (let i = 0; i < n; i++) {
        zn += z[i]! * z[i]!;
        xn += x[i]! * x[i]!;
      }
      zn = Math.sqrt(zn);
      const h = (delta * (1 + Math.sqrt(xn))) / zn;
      let sign = 1;
      for (let i = 0; i < n; i++) {
        const t = x[i]! + h * z[i]!;
        if (t < box.lower[i]! || t > box.upper[i]!) sign = -1;
      }
      for (let i = 0; i < n; i++)
        xh[i] = Math.min(Math.max(x[i]! + sign * h * z[i]!, box.lower[i]!), box.upper[i]!);
      f.gradient(xh, gh);
      for (let i = 0; i < n; i++) bz[i] = free[i] ? (sign * (gh[i]! - g[i]!)) / h : 0;
    };

    let fx = f.gradient(x, g);
    while (true) {
      if (!Number.isFinite(fx)) return 'no-progress';
      updateFreeSet(x, g, box, free);
      if (projectedGradientNorm(x, g, box) <= p.gtol) return 'gradient-tolerance';
      if (run.iterations >= p.maxIterations) return 'max-iterations';

      // truncated CG on the free coordinates: d solves ∇²f d = −g approximately
      let nfree = 0;
      let rr = 0;
      for (let i = 0; i < n; i++) {
        d[i] = 0;
        r[i] = free[i] ? -g[i]! : 0;
        z[i] = r[i]!;
        rr += r[i]! * r[i]!;
        nfree += free[i]!;
      }
      const gn = Math.sqrt(rr);
      const tol = Math.min(p.forcing, Math.sqrt(gn)) * gn;
      const maxCg = Math.min(p.maxCgIterations, 2 * nfree);
      for (let k = 0; k < maxCg; k++) {
        hessVec();
        let curv = 0;
        let zz = 0;
        for (let i = 0; i < n; i++) {
          curv += z[i]! * bz[i]!;
          zz += z[i]! * z[i]!;
        }
        if (curv <= 1e-12 * zz) {
          if (k === 0) for (let i = 0; i < n; i++) d[i] = r[i]!; // negative curvature at once: steepest descent
          break;
        }
        const a = rr / curv;
        let rrNew = 0;
        for (let i = 0; i < n; i++) {
          d[i] = d[i]! + a * z[i]!;
          r[i] = r[i]! - a * bz[i]!;
          rrNew += r[i]! * r[i]!;
        }
        if (Math.sqrt(rrNew) <= tol) break;
        const beta = rrNew / rr;
        rr = rrNew;
        for (let i = 0; i < n; i++) z[i] = r[i]! + beta * z[i]!;
      }

      let dg = 0;
      for (let i = 0; i < n; i++) dg += d[i]! * g[i]!;
      if (!(dg < 0)) {
        dg = 0;
        for (let i = 0; i < n; i++) {
          d[i] = free[i] ? -g[i]! : 0;
          dg -= d[i]! * d[i]!;
        }
        if (!(dg < 0)) return 'gradient-tolerance';
      }
      const amax = maxStepInBox(x, d, box);
      probe.reset();
      // a bound blocks the Newton step: projected-path Armijo search, else strong Wolfe
      const ls = amax < 1 ? projectedArmijo(probe, g, fx, 1) : strongWolfe(probe, fx, dg, 1, amax);
      if (!ls.ok) return 'line-search-failed';
      probe.ensureGradient(ls.alpha);
      x.set(probe.xt);
      g.set(probe.gt);
      const fOld = fx;
      fx = probe.ft;
      run.iterations++;
      run.record();
      if (fOld - fx <= p.ftol * Math.max(Math.abs(fOld), Math.abs(fx))) return 'converged';
    }
  }
}

/**
 * Truncated Newton on 10-D Rosenbrock:
 * @example
 * ```yaml
 * isacflow: 1
 * name: tn
 * run: { trials: 20 }
 * stages:
 *   - { id: bench, uses: solver-benchmark, params: { problem: rosenbrock-10, solver: tn, solverParams: { maxCgIterations: 20 } } }
 * ```
 */
export const tn = defineSolver({
  name: 'tn',
  summary:
    'Truncated Newton / Newton-CG (Hessian-vector products by gradient differences, active-set box handling, strong Wolfe line search)',
  params,
  create: (p) => new TruncatedNewton(p),
});
