import { z } from 'zod';
import type { EpigraphOptions } from './epigraph-al.js';

const intAtLeast = (min: number, def: number, doc: string) =>
  z
    .number()
    .int(`must be an integer >= ${min}`)
    .min(min, `must be an integer >= ${min}`)
    .default(def)
    .describe(doc);
const positive = (def: number, doc: string) =>
  z.number().positive('must be a number > 0').default(def).describe(doc);

/**
 * Options of the epigraph augmented-Lagrangian method (the `direct` strategy, the antennas-only
 * step of `toward-targets` and the position re-optimisation after integer rounding).
 */
export const epigraphParamsShape = {
  solver: z
    .string()
    .min(1)
    .default('bfgs')
    .describe(
      'box-constrained local solver of the inner problems (any registered solver with bounds; bfgs or tn)',
    ),
  solverParams: z
    .record(z.string(), z.unknown())
    .default({})
    .describe('params of the inner solver, merged over { gtol: 1e-12, ftol: 1e-15, maxIterations: 500 }'),
  maxOuter: intAtLeast(1, 60, 'outer (multiplier-update) iterations of the augmented Lagrangian'),
  tolerance: positive(
    1e-10,
    'stop when the constraint/complementarity violation and the change of t are <= tolerance',
  ),
  penalty0: positive(10, 'initial penalty ρ of the augmented Lagrangian'),
  penaltyGrowth: z
    .number()
    .gt(1, 'must be > 1')
    .default(10)
    .describe('ρ is multiplied by this when the violation did not fall by 4x'),
  penaltyMax: positive(1e12, 'largest penalty ρ'),
};

export const epigraphParams = z.object(epigraphParamsShape).strict();
export type EpigraphParams = z.infer<typeof epigraphParams>;

/** Default params of the inner local solver (tight: the strategies compare optima to 1e-6). */
export const INNER_SOLVER_DEFAULTS = { gtol: 1e-12, ftol: 1e-15, maxIterations: 500 };

export function epigraphOptions(p: EpigraphParams): EpigraphOptions {
  return {
    maxOuter: p.maxOuter,
    tolerance: p.tolerance,
    rho0: p.penalty0,
    growth: p.penaltyGrowth,
    rhoMax: p.penaltyMax,
  };
}
