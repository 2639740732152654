import { z } from 'zod';
import { projectedGradientNorm, updateFreeSet } from '../../src/solvers/active-set.js';
import { defaultStart, maxStepInBox } from '../../src/solvers/box.js';
import { LineProbe } from '../../src/solvers/line-probe.js';
import { strongWolfe } from '../../src/solvers/line-search.js';
import { projectedArmijo } from '../../src/solvers/projected-search.js';
import { localStopParams } from '../../src/solvers/param-schemas.js';
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
    c1: z
      .number()
      .gt(0)
      .lt(1)
      .default(1e-4)
      .describe('sufficient-decrease (Armijo) constant of the strong Wolfe line search'),
    c2: z
      .number()
      .gt(0)
      .lt(1)
      .default(0.9)
      .describe('curvature constant of the strong Wolfe line search (c1 < c2 < 1)'),
  })
  .strict()
  .refine((p) => p.c1 < p.c2, { message: 'need c1 < c2 (strong Wolfe conditions)', path: ['c2'] });

export type BfgsParams = z.infer<typeof params>;

/**
 * Projected BFGS for bound constraints (box handled by an active set and projection):
 * - coordinates on a bound whose gradient points outward are held fixed (active set);
 * - the search direction is d = −H g on the free coordinates (H = inverse-Hessian estimate);
 * - the strong Wolfe line search (Nocedal-Wright zoom) is capped at the distance to the box;
 *   a step that reaches a bound while f still decreases stops there;
 * - H is updated by the BFGS formula H ← (I − ρsyᵀ)H(I − ρysᵀ) + ρssᵀ, ρ = 1/yᵀs, skipped when
 *   yᵀs <= 1e-10|s||y|, scaled to (yᵀs/yᵀy)·I after a reset (Nocedal-Wright eq. 6.20),
 *   and reset to I whenever the active set changes or d is not a descent direction.
 * Without an analytic gradient, central differences inside the box are used (2n evaluations).
 * Unconstrained problems (no bound active) run as plain BFGS.
 */
class Bfgs implements Solver {
  readonly name = 'bfgs';
  constructor(private readonly p: BfgsParams) {}

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
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    const hy = new Float64Array(n);
    const H = new Float64Array(n * n);
    const free = new Uint8Array(n).fill(1);
    let fresh = true; // H is the unscaled identity
    const resetH = (): void => {
      H.fill(0);
      for (let i = 0; i < n; i++) H[i * n + i] = 1;
      fresh = true;
    };
    resetH();

    let fx = f.gradient(x, g);
    let gnorm = 0;
    for (let i = 0; i < n; i++) gnorm += g[i]! * g[i]!;
    let fOld = fx + Math.sqrt(gnorm) / 2; // scipy's first-step heuristic: |step| ≈ 1
    let retried = false;
    while (true) {
      if (!Number.isFinite(fx)) return 'no-progress';
      if (updateFreeSet(x, g, box, free)) resetH();
      if (projectedGradientNorm(x, g, box) <= p.gtol) return 'gradient-tolerance';
      if (run.iterations >= p.maxIterations) return 'max-iterations';
      // d = −H g on the free coordinates
      let dg = 0;
      for (let i = 0; i < n; i++) {
        let v = 0;
        if (free[i]) {
          const row = i * n;
          for (let j = 0; j < n; j++) if (free[j]) v -= H[row + j]! * g[j]!;
        }
        d[i] = v;
        dg += v * g[i]!;
      }
      if (!(dg < 0)) {
        resetH();
        dg = 0;
        for (let i = 0; i < n; i++) {
          d[i] = free[i] ? -g[i]! : 0;
          dg -= d[i]! * d[i]!;
        }
        if (!(dg < 0)) return 'gradient-tolerance';
      }
      const amax = maxStepInBox(x, d, box);
      let alpha0 = (1.01 * 2 * (fx - fOld)) / dg;
      if (!(alpha0 > 0) || alpha0 > 1) alpha0 = 1;
      probe.reset();
      // a bound blocks the trial step: projected-path Armijo search, else strong Wolfe
      const ls =
        amax < alpha0
          ? projectedArmijo(probe, g, fx, alpha0, p.c1)
          : strongWolfe(probe, fx, dg, alpha0, amax, { c1: p.c1, c2: p.c2, maxIterations: 30, maxZoom: 30 });
      if (!ls.ok) {
        if (!fresh && !retried) {
          resetH(); // retry once along the steepest descent
          retried = true;
          continue;
        }
        return 'line-search-failed';
      }
      retried = false;
      probe.ensureGradient(ls.alpha);
      let sy = 0;
      let yy = 0;
      let ss = 0;
      for (let i = 0; i < n; i++) {
        s[i] = probe.xt[i]! - x[i]!;
        y[i] = probe.gt[i]! - g[i]!;
        sy += s[i]! * y[i]!;
        yy += y[i]! * y[i]!;
        ss += s[i]! * s[i]!;
      }
      x.set(probe.xt);
      g.set(probe.gt);
      fOld = fx;
      fx = probe.ft;
      run.iterations++;
      run.record();
      if (fOld - fx <= p.ftol * Math.max(Math.abs(fOld), Math.abs(fx))) return 'converged';
      if (sy > 1e-10 * Math.sqrt(ss * yy)) {
        if (fresh) {
          const scale = sy / yy;
          for (let i = 0; i < n; i++) H[i * n + i] = scale;
          fresh = false;
        }
        bfgsUpdate(H, s, y, hy, sy, n);
      }
    }
  }
}

/**
 * In-place inverse BFGS update (Nocedal-Wright eq. 6.17), expanded as
 * H ← H − ρ(s (Hy)ᵀ + (Hy) sᵀ) + (ρ² yᵀHy + ρ) s sᵀ, with H symmetric.
 */
function bfgsUpdate(
  H: Float64Array,
  s: Float64Array,
  y: Float64Array,
  hy: Float64Array,
  sy: number,
  n: number,
): void {
  const rho = 1 / sy;
  let yhy = 0;
  for (let i = 0; i < n; i++) {
    let v = 0;
    const row = i * n;
    for (let j = 0; j < n; j++) v += H[row + j]! * y[j]!;
    hy[i] = v;
    yhy += y[i]! * v;
  }
  const c = rho * rho * yhy + rho;
  for (let i = 0; i < n; i++) {
    const row = i * n;
    const si = s[i]!;
    const hyi = hy[i]!;
    for (let j = 0; j < n; j++) {
      H[row + j] = H[row + j]! - rho * (si * hy[j]! + hyi * s[j]!) + c * si * s[j]!;
    }
  }
}

/**
 * BFGS with the box active set on 2-D Rosenbrock:
 * @example
 * ```yaml
 * isacflow: 1
 * name: bfgs
 * run: { trials: 20 }
 * stages:
 *   - { id: bench, uses: solver-benchmark, params: { problem: rosenbrock-2, solver: bfgs, solverParams: { maxIterations: 200 } } }
 * ```
 */
export const bfgs = defineSolver({
  name: 'bfgs',
  summary:
    'Projected BFGS (quasi-Newton, strong Wolfe line search, active-set box handling; numerical gradient when none is given)',
  params,
  create: (p) => new Bfgs(p),
});
