import type { Rng } from '../../math/rng.js';
import type { Solver } from '../../solvers/solver.js';
import { solveEpigraph, type EpigraphResult } from './epigraph-al.js';
import { epigraphOptions, INNER_SOLVER_DEFAULTS, type EpigraphParams } from './strategy-params.js';
import type { PlacementProblem } from './types.js';

/** Creates a solver by registered name (the plugin registry's `create('solver', ...)`). */
export type SolverFactory = (name: string, params: Record<string, unknown>, where: string) => Solver;

export type EpigraphRun = (
  problem: PlacementProblem,
  z0: Float64Array,
  fix: { positions: boolean; antennas: boolean },
  rng: Rng,
) => EpigraphResult;

/**
 * The epigraph augmented-Lagrangian method with its inner solver created once from `p`
 * (params merged over {@link INNER_SOLVER_DEFAULTS}); `owner` names the option in errors.
 */
export function epigraphRunner(p: EpigraphParams, make: SolverFactory, owner: string): EpigraphRun {
  const solver = make(p.solver, { ...INNER_SOLVER_DEFAULTS, ...p.solverParams }, `${owner}.solver`);
  const opts = epigraphOptions(p);
  return (problem, z0, fix, rng) => solveEpigraph(problem, z0, fix, opts, solver, rng);
}
