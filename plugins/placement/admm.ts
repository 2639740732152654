import { z } from 'zod';
import { definePlugin } from '../../src/plugin.js';
import type { Rng } from '../../src/math/rng.js';
import type { Solver } from '../../src/solvers/solver.js';
import {
  admm as runAdmm,
  epigraphParams,
  epigraphRunner,
  initialLayout,
  integerFinish,
  projectFeasible,
  type AdmmOptions,
  type EpigraphRun,
  type PlacementOutcome,
  type PlacementProblem,
  type PlacementStrategy,
} from '../../src/isac/placement/index.js';

const pos = z.number().positive('must be a number > 0');

const params = z
  .object({
    rho0: z
      .tuple([pos, pos, pos])
      .default([1e-2, 1e-2, 0.6])
      .describe('initial penalties {ρ₁, ρ₂, ρ₃} of (18a), (18b), (18c) (Section V.A: {1e-2, 1e-2, 0.6})'),
    tolerance: z
      .tuple([pos, pos, pos])
      .default([1e-8, 1e-8, 1e-8])
      .describe(
        'tolerances {ε̂_ζ, ε̂_φ, ε̂_v} on the relative primal and dual residuals of the position, antenna and epigraph blocks (Section V.A: 1e-8)',
      ),
    maxIterations: z
      .number()
      .int()
      .min(1, 'must be an integer >= 1')
      .default(3000)
      .describe('K_max, ADMM iterations'),
    adaptive: z
      .boolean()
      .default(true)
      .describe('adapt ρ₁, ρ₂, ρ₃ by residual balancing (Boyd et al. [25] §3.4.1); false keeps rho0'),
    balance: z
      .enum(['paper', 'scaled'])
      .default('paper')
      .describe(
        "residuals the balancing compares: 'paper' = the relative stopping residuals of Section III.B; 'scaled' = Boyd's relative residuals r/max(||x||,||B(z)||) vs ρ||ΔB(z)||/||y|| per block (Wohlberg 2017)",
      ),
    balanceMu: z
      .number()
      .gt(1, 'must be > 1')
      .default(10)
      .describe('μ: change ρ when one residual exceeds μ times the other'),
    balanceTau: z
      .number()
      .gt(1, 'must be > 1')
      .default(2)
      .describe('τ: factor by which ρ is raised or lowered'),
    balanceIterations: z
      .number()
      .int()
      .min(0, 'must be an integer >= 0')
      .default(30)
      .describe(
        'balance in every iteration up to this one (balancing in every iteration lets ρ drift and oscillate on this non-convex problem)',
      ),
    balanceEvery: z
      .number()
      .int()
      .min(0, 'must be an integer >= 0')
      .default(50)
      .describe('after balanceIterations, balance only every this many iterations (0: keep ρ fixed)'),
    rhoMin: pos.default(1e-8).describe('smallest penalty'),
    rhoMax: pos.default(1e8).describe('largest penalty'),
    multiplierScale: z
      .number()
      .min(0, 'must be >= 0')
      .default(1)
      .describe(
        'λ, χ, γ start uniform in [0, multiplierScale) from the stage rng (the paper: random, seed 2024); 0 starts them at 0',
      ),
    subsolver: z
      .string()
      .min(1)
      .default('tn')
      .describe('solver of (P2.4) (the paper: truncated Newton, `tn`)'),
    subsolverParams: z
      .record(z.string(), z.unknown())
      .default({})
      .describe('params of the (P2.4) solver, merged over { gtol: 1e-12, ftol: 1e-15, maxIterations: 100 }'),
    reoptimise: z
      .boolean()
      .default(true)
      .describe(
        'after rounding the antennas to integers, re-optimise the positions with the antennas fixed (epigraph method, `polish`)',
      ),
    polish: epigraphParams
      .prefault({})
      .describe('options of the epigraph method used to re-optimise the positions after rounding'),
  })
  .strict();

export type AdmmPlacementParams = z.infer<typeof params>;

const SUBSOLVER_DEFAULTS = { gtol: 1e-12, ftol: 1e-15, maxIterations: 100 };

/** Algorithm 2 (ADMM with P2.1-P2.4) from the Initial layout, then integer antennas. */
class AdmmPlacement implements PlacementStrategy {
  readonly name = 'admm';
  private readonly opts: AdmmOptions;

  constructor(
    p: AdmmPlacementParams,
    private readonly sub: Solver,
    private readonly polish: EpigraphRun | undefined,
  ) {
    this.opts = {
      rho0: p.rho0,
      tolerance: p.tolerance,
      maxIterations: p.maxIterations,
      adaptive: p.adaptive,
      balance: p.balance,
      balanceMu: p.balanceMu,
      balanceTau: p.balanceTau,
      balanceIterations: p.balanceIterations,
      balanceEvery: p.balanceEvery,
      rhoMin: p.rhoMin,
      rhoMax: p.rhoMax,
      multiplierScale: p.multiplierScale,
    };
  }

  place(problem: PlacementProblem, rng: Rng): PlacementOutcome {
    const e0 = problem.objective.evaluations;
    const r = runAdmm(problem, initialLayout(problem), this.opts, this.sub, rng.fork('admm'));
    const continuous = Float64Array.from(r.z);
    projectFeasible(problem, continuous);
    const polish = this.polish;
    const fin = integerFinish(
      problem,
      continuous,
      polish
        ? (z) => polish(problem, z, { positions: false, antennas: true }, rng.fork('polish')).z
        : undefined,
      initialLayout(problem),
    );
    return {
      continuous,
      final: fin.z,
      iterations: r.iterations,
      evaluations: problem.objective.evaluations - e0,
      stopReason: r.stopReason,
      trace: r.trace,
    };
  }
}

/**
 * Phase 1 by ADMM (Algorithm 2) within 10 m of the initial corners, then the bound of the layout:
 * @example
 * ```yaml
 * isacflow: 1
 * name: admm
 * stages:
 *   - { id: placement, uses: placement-optimizer, params: { strategy: admm, radiusM: 10 } }
 *   - { id: crb, uses: crb-evaluator }
 * ```
 */
export const admmPlacement = definePlugin('placement', {
  name: 'admm',
  summary:
    'Proposed scheme (Algorithm 2): ADMM over positions, antennas and the epigraph with exact P2.1-P2.3 steps, truncated Newton for P2.4, residual balancing; then integer antennas',
  params,
  create: (p: AdmmPlacementParams, deps): PlacementStrategy => {
    const make = (name: string, sp: Record<string, unknown>, where: string) =>
      deps.registry.create<Solver>('solver', name, sp, where);
    const sub = make(p.subsolver, { ...SUBSOLVER_DEFAULTS, ...p.subsolverParams }, 'admm.subsolver');
    return new AdmmPlacement(
      p,
      sub,
      p.reoptimise ? epigraphRunner(p.polish, make, 'admm.polish') : undefined,
    );
  },
});
