import { inject, injectable } from 'inversify';
import { z } from 'zod';
import {
  defineStage,
  type Frame,
  optionError,
  type PluginRegistry,
  Records,
  type Stage,
  type StageContext,
  TOKENS,
} from '../../src/plugin.js';
import type { Solver } from '../../src/solvers/solver.js';
import {
  distanceToMinimizer,
  testFunction,
  TEST_FUNCTION_NAMES,
  type TestFunction,
} from '../../src/solvers/test-functions.js';

export const solverBenchmarkParams = z
  .object({
    function: z
      .enum(TEST_FUNCTION_NAMES)
      .default('rastrigin')
      .describe('test function (src/solvers/test-functions.ts)'),
    dim: z.number().int().min(1).default(2).describe('dimension (himmelblau and easom are 2-D only)'),
    problem: z
      .string()
      .regex(/^[a-z-]+-\d+$/, { error: "must be '<function>-<dim>', e.g. rastrigin-10" })
      .optional()
      .describe("'<function>-<dim>' (e.g. rastrigin-10): sets function and dim at once, handy for a sweep"),
    solver: z.string().default('abc').describe('solver plugin name (isacflow list solver)'),
    solverParams: z.record(z.string(), z.unknown()).default({}).describe("the solver's own parameters"),
    maxEvaluations: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('evaluation budget (default: the solver’s own)'),
    tolerance: z
      .number()
      .positive()
      .default(1e-3)
      .describe('success: largest coordinate error to a global minimiser below this'),
  })
  .strict();

type Params = z.infer<typeof solverBenchmarkParams>;

/** `record.bench[resultKey]`: one solver run on one test function. */
export interface BenchRecord {
  solver: string;
  function: string;
  dim: number;
  /** f(x̂) − f(x*) */
  gap: number;
  /** largest coordinate distance of x̂ to the nearest global minimiser */
  distance: number;
  success: boolean;
  evaluations: number;
  stopReason: string;
}

/**
 * Runs one solver on one standard test function per frame, seeded by the frame's stream (trial =
 * seed), so a pipeline with solver variants and a sweep over functions, dimensions and budgets
 * gives success rates and best values vs evaluations.
 */
@injectable()
export class SolverBenchmarkStage implements Stage {
  private readonly solver: Solver;
  private readonly tf: TestFunction;

  constructor(
    @inject(TOKENS.StageParams) private readonly p: Params,
    @inject(TOKENS.PluginRegistry) registry: PluginRegistry,
  ) {
    this.solver = registry.create<Solver>('solver', p.solver, p.solverParams);
    let fn = p.function;
    let dim = p.dim;
    if (p.problem) {
      const m = /^(.*)-(\d+)$/.exec(p.problem) as RegExpExecArray;
      if (!(TEST_FUNCTION_NAMES as readonly string[]).includes(m[1] as string)) {
        throw optionError(
          'solver-benchmark',
          'problem',
          `unknown function '${m[1]}' (valid: ${TEST_FUNCTION_NAMES.join(', ')})`,
        );
      }
      fn = m[1] as Params['function'];
      dim = Number(m[2]);
    }
    if ((fn === 'himmelblau' || fn === 'easom') && dim !== 2) {
      throw optionError('solver-benchmark', 'dim', `${fn} is defined in 2-D only (got ${dim})`);
    }
    this.tf = testFunction(fn, dim);
  }

  process(frame: Frame, ctx: StageContext): void {
    const r = this.solver.minimize({
      objective: this.tf.objective,
      box: this.tf.box,
      rng: ctx.rng,
      ...(this.p.maxEvaluations ? { maxEvaluations: this.p.maxEvaluations } : {}),
    });
    const distance = distanceToMinimizer(this.tf, r.x);
    const rec: BenchRecord = {
      solver: this.p.solver,
      function: this.tf.name,
      dim: this.tf.dim,
      gap: Math.max(0, r.value - this.tf.minimum),
      distance,
      success: distance < this.p.tolerance,
      evaluations: r.evaluations,
      stopReason: r.stopReason,
    };
    ctx.record(Records.bench, rec);
  }
}

/**
 * Success rate of two solvers on 2-D Rastrigin (`record.bench.abc.success`):
 * @example
 * ```yaml
 * isacflow: 1
 * name: solvers
 * run: { trials: 20 }
 * stages:
 *   - id: bench
 *     uses: solver-benchmark
 *     params: { problem: rastrigin-2, maxEvaluations: 5000 }
 *     variants:
 *       abc: { solver: abc }
 *       pso: { solver: pso }
 * ```
 */
export const solverBenchmark = defineStage({
  name: 'solver-benchmark',
  summary:
    'One solver run per frame on a standard test function (sphere, Rosenbrock, Rastrigin, Ackley, Himmelblau, Easom)',
  params: solverBenchmarkParams,
  reads: [],
  adds: [],
  records: [Records.bench],
  releasesFrameData: true,
  stage: SolverBenchmarkStage,
});
