import { z } from 'zod';
import type { Rng } from '../../math/rng.js';
import { reusedBuffer } from '../../math/scratch.js';
import type { Box, Objective, SolveResult, Solver } from '../../solvers/solver.js';
import type { GridAxis } from './grid.js';
import { approxGrid, topLocalMaxima, type TraceApproximation } from './phase-table.js';

/** Options of SFO's default global stage `grid-bfgs` (sfo.solverParams). */
export const gridBfgsParams = z
  .object({
    gridM: z
      .number()
      .positive()
      .finite()
      .default(2)
      .describe('(P3) coarse location grid step in x and y')
      .meta({ unit: 'm' }),
    speedStepMps: z
      .number()
      .positive()
      .finite()
      .default(3)
      .describe('(P4) coarse grid: speed step')
      .meta({ unit: 'm/s' }),
    headingStepRad: z
      .number()
      .positive()
      .finite()
      .default(0.03)
      .describe('(P4) coarse grid: heading step')
      .meta({ unit: 'rad' }),
    starts: z
      .number()
      .int()
      .min(1)
      .default(3)
      .describe('BFGS runs from the best local maxima of the coarse grid'),
  })
  .strict();

export type GridBfgsParams = z.infer<typeof gridBfgsParams>;

/**
 * A global search of a fusion objective (P3) or (P4) = 1/tr(·) over a 2-D box: tr(·) on a coarse grid
 * from phase tables (one lookup per AP and term, phase-table.ts), then the local solver (BFGS) from
 * the `starts` best local maxima of that grid (and from `x0`, when given); the best result wins.
 * The grid must be finer than the objective's peaks (a range cell is ~39 m, a Doppler cell ~9 m/s
 * in the paper's set-up, so the defaults of 2 m and 3 m/s x 0.03 rad put several points on each).
 * `periodicB`: the second coordinate is an angle (heading): the grid wraps around and each local run
 * gets the box centred on its start (b0 ± π), so it never stops at an artificial bound.
 */
export function gridLocalSearch(req: {
  objective: Objective;
  approximation: TraceApproximation;
  box: Box;
  axes: [GridAxis, GridAxis];
  periodicB: boolean;
  starts: number;
  local: Solver;
  rng: Rng;
  x0?: Float64Array;
  maxEvaluations?: number;
}): SolveResult {
  const [ax, ay] = req.axes;
  const vals = approxGrid(req.approximation, ax, ay, reusedBuffer('fusion/grid-values', ax.count * ay.count));
  const picks = topLocalMaxima(vals, ax.count, ay.count, req.starts, req.periodicB).map(([i, j]) =>
    Float64Array.of(ax.start + i * ax.step, ay.start + j * ay.step),
  );
  if (req.x0) picks.push(Float64Array.from(req.x0));
  let best: SolveResult | undefined;
  let evaluations = vals.length;
  let iterations = 0;
  picks.forEach((x0, k) => {
    const box: Box = req.periodicB
      ? {
          lower: Float64Array.of(req.box.lower[0]!, x0[1]! - Math.PI),
          upper: Float64Array.of(req.box.upper[0]!, x0[1]! + Math.PI),
        }
      : req.box;
    const r = req.local.minimize({
      objective: req.objective,
      box,
      rng: req.rng.fork('start', k),
      x0,
      maxEvaluations: req.maxEvaluations,
    });
    evaluations += r.evaluations;
    iterations += r.iterations;
    if (!best || r.value < best.value) best = r;
  });
  if (!best) throw new Error('gridLocalSearch: no start point (empty grid)');
  return { ...best, evaluations, iterations, trace: [] };
}
