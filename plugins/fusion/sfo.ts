import { z } from 'zod';
import { definePlugin, optionError, type PluginDeps, type Rng } from '../../src/plugin.js';
import {
  boxCorners,
  boxCoverageProblem,
  fusionWeights,
  gridAxis,
  gridBfgsParams,
  gridLocalSearch,
  LocationObjective,
  periodicAxis,
  type GridAxis,
  type GridBfgsParams,
  locationBox,
  speedLimit,
  velocityBox,
  VelocityObjective,
  wrapHeading,
  type FusionEstimate,
  type FusionProblem,
  type FusionScheme,
} from '../../src/isac/fusion/index.js';
import type { Scenario, Vec2 } from '../../src/isac/scenario-types.js';
import { clipToBox } from '../../src/solvers/box.js';
import type { Box, SolveResult, Solver } from '../../src/solvers/solver.js';
import { balanceParam, createSolverOption, searchBoxParams, weightsParam } from './fusion-params.js';

export const sfoParams = z
  .object({
    solver: z
      .string()
      .min(1)
      .default('grid-bfgs')
      .describe(
        "solver of (P3) and (P4): 'grid-bfgs' (default, fast) = the objective on a coarse grid from phase tables, then BFGS from the best few local maxima (solverParams gridM, speedStepMps, headingStepRad, starts); or any solver plugin (abc-bfgs = the paper's ABC-BFGS with the paper's ABC parameters popSize 20, epochs 10, maxIterations 50; abc, pso, ga, de, sa, ...)",
      ),
    solverParams: z
      .record(z.string(), z.unknown())
      .default({})
      .describe(
        "the solver's params (default: its own defaults = the paper's, Section V.B.1; for grid-bfgs its grid steps and starts)",
      ),
    ...searchBoxParams,
    weights: weightsParam,
    balance: balanceParam,
    start: z
      .enum(['none', 'fit'])
      .default('none')
      .describe(
        "'none' = the solver searches the box on its own (Algorithm 3); 'fit' = the association's least-squares position/velocity is handed to the solver as x0 (global solvers put it in their first population)",
      ),
    maxEvaluations: z
      .number()
      .int('must be an integer >= 1')
      .min(1, 'must be an integer >= 1')
      .optional()
      .describe('cap on objective evaluations per problem (P3 or P4); default: the solver budget alone'),
  })
  .strict();

export type SfoParams = z.infer<typeof sfoParams>;

function stepDiagnostics(r: SolveResult, box: Box) {
  return {
    objective: r.value,
    evaluations: r.evaluations,
    iterations: r.iterations,
    stop: r.stopReason,
    box: boxCorners(box),
  };
}

function polarOf(v: Vec2): Float64Array {
  return Float64Array.of(Math.hypot(v[0], v[1]), Math.atan2(v[1], v[0]));
}

/** The built-in fast global stage of sfo (src/isac/fusion/grid-local-search.ts). */
export const GRID_BFGS = 'grid-bfgs';

/**
 * Symbol-level fusion (SFO, Section IV.B, Algorithm 3 steps 5-17): per associated target, (P3) over
 * the location box, then (P4) over (speed, heading) with the AoAs from the estimated location.
 */
class SymbolLevelFusion implements FusionScheme {
  readonly name = 'sfo';
  constructor(
    private readonly p: SfoParams,
    private readonly solver: Solver,
    /** set for the built-in 'grid-bfgs' global stage (then `solver` is its local BFGS) */
    private readonly grid?: GridBfgsParams,
  ) {}

  check(scenario: Scenario): void {
    const msg = boxCoverageProblem(this.p.box, scenario);
    if (msg) throw optionError('sfo', 'box', msg);
  }

  fuse(problem: FusionProblem): FusionEstimate {
    const { observation: obs, aps, scenario, rng } = problem;
    const p = this.p;
    const sys = scenario.system;
    const w = fusionWeights(obs, p.weights);
    const loc = new LocationObjective(obs, aps, sys, w, p.balance);
    const box = locationBox(p.box, scenario, obs.fit.position, p.marginM);
    let x0: Float64Array | undefined;
    if (p.start === 'fit') {
      x0 = Float64Array.from(obs.fit.position);
      clipToBox(x0, box);
    }
    const rl = this.solveStep(
      loc,
      box,
      (g) => [
        gridAxis(box.lower[0]!, box.upper[0]!, g.gridM),
        gridAxis(box.lower[1]!, box.upper[1]!, g.gridM),
      ],
      false,
      rng.fork('location'),
      x0,
    );
    const position: Vec2 = [rl.x[0]!, rl.x[1]!];

    const vel = new VelocityObjective(obs, aps, sys, w, position);
    const vbox = velocityBox(speedLimit(p.speedMax, scenario));
    let v0: Float64Array | undefined;
    if (p.start === 'fit') {
      v0 = polarOf(obs.fit.velocity);
      clipToBox(v0, vbox);
    }
    const rv = this.solveStep(
      vel,
      vbox,
      (g) => [
        gridAxis(0, vbox.upper[0]!, g.speedStepMps),
        periodicAxis(-Math.PI, 2 * Math.PI, g.headingStepRad),
      ],
      true,
      rng.fork('velocity'),
      v0,
    );
    return {
      position,
      velocity: { speed: rv.x[0]!, heading: wrapHeading(rv.x[1]!) },
      diagnostics: { location: stepDiagnostics(rl, box), velocity: stepDiagnostics(rv, vbox) },
    };
  }

  /**
   * One step, (P3) or (P4): with grid-bfgs the phase-table grid (`axes`) then BFGS from its best local
   * maxima, else the solver alone. The step's phase tables serve the next objectives after (none of
   * them is used again).
   */
  private solveStep(
    objective: LocationObjective | VelocityObjective,
    box: Box,
    axes: (grid: GridBfgsParams) => [GridAxis, GridAxis],
    periodicB: boolean,
    rng: Rng,
    x0: Float64Array | undefined,
  ): SolveResult {
    const grid = this.grid;
    const maxEvaluations = this.p.maxEvaluations;
    let r: SolveResult;
    if (grid) {
      const approximation = objective.approximation();
      r = gridLocalSearch({
        objective,
        approximation,
        box,
        axes: axes(grid),
        periodicB,
        starts: grid.starts,
        local: this.solver,
        rng,
        x0,
        maxEvaluations,
      });
      approximation.release?.();
    } else r = this.solver.minimize({ objective, box, rng, x0, maxEvaluations });
    objective.releaseTables();
    return r;
  }
}

/**
 * The paper's symbol-level fusion (P3 then P4) with its ABC-BFGS solver (`record.estimates.fusion`):
 * @example
 * ```yaml
 * isacflow: 1
 * name: sfo
 * stages:
 *   - { id: echoes, uses: echo-generator }
 *   - { id: cp, uses: cp-decomposer }
 *   - { id: assoc, uses: music-associator }
 *   - { id: fusion, uses: fusion-solver, params: { scheme: sfo, solver: abc-bfgs } }
 * ```
 */
export const sfo = definePlugin<SfoParams, FusionScheme>('fusion', {
  releasesFrameData: true,
  name: 'sfo',
  summary:
    "Symbol-level fusion optimisation (Section IV.B): (P3) location then (P4) velocity, solved by a solver plugin (default the paper's ABC-BFGS)",
  params: sfoParams,
  create: (p: SfoParams, deps: PluginDeps) => {
    if (p.solver !== GRID_BFGS)
      return new SymbolLevelFusion(
        p,
        createSolverOption(deps.registry, 'sfo', 'solver', p.solver, p.solverParams, 'solverParams'),
      );
    const parsed = gridBfgsParams.safeParse(p.solverParams);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw optionError(
        'sfo',
        ['solverParams', ...issue.path.map(String)].join('.'),
        `${issue.message} (grid-bfgs takes gridM, speedStepMps, headingStepRad, starts)`,
      );
    }
    return new SymbolLevelFusion(
      p,
      createSolverOption(deps.registry, 'sfo', 'solver', 'bfgs', {}, 'solverParams'),
      parsed.data,
    );
  },
});
