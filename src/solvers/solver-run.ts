import { optionError } from '../core/errors.js';
import type { Rng } from '../math/rng.js';
import { checkBox, clipToBox } from './box.js';
import { type Candidate, offerCandidate } from './candidates.js';
import { BudgetExhausted, CountedObjective } from './counted-objective.js';
import type { Box, SolveRequest, SolveResult, StopReason, TraceEntry } from './solver.js';

/** What a solver body works with: the counted objective, the box, the rng, the trace. */
export class SolverRun {
  readonly trace: TraceEntry[] = [];
  /** completed iterations (generations, epochs, outer steps) */
  iterations = 0;
  /** distinct good points the body wants reported besides the best (best first) */
  readonly candidates: Candidate[] = [];

  constructor(
    readonly owner: string,
    readonly f: CountedObjective,
    readonly box: Box,
    readonly rng: Rng,
    /** the request's start point, validated and projected onto the box */
    readonly x0: Float64Array | undefined,
  ) {}

  get dim(): number {
    return this.f.dim;
  }

  /** Appends a trace entry (best value so far and evaluations used) for `iteration`. */
  record(iteration = this.iterations): void {
    this.trace.push({ iteration, evaluations: this.f.evaluations, best: this.f.bestValue });
  }
}

export interface RunOptions {
  /** global solvers sample the box: they need finite bounds */
  requireFiniteBox: boolean;
}

/**
 * Validates a request (objective dim, box, x0, maxEvaluations; errors name `owner` and the
 * option), runs `body` with a counted objective and turns its outcome into a SolveResult.
 * The result is the best point ever evaluated; when the budget runs out inside `body`, the stop
 * reason is 'max-evaluations'.
 */
export function runSolver(
  owner: string,
  req: SolveRequest,
  opts: RunOptions,
  body: (run: SolverRun) => StopReason,
): SolveResult {
  const run = startRun(owner, req, opts);
  let stopReason: StopReason;
  try {
    stopReason = body(run);
  } catch (e) {
    if (!(e instanceof BudgetExhausted)) throw e;
    stopReason = 'max-evaluations';
  }
  return finishRun(run, stopReason);
}

/** Validation and set-up half of runSolver (for solvers that compose other solvers). */
export function startRun(owner: string, req: SolveRequest, opts: RunOptions): SolverRun {
  const obj = req.objective;
  if (!obj || typeof obj.value !== 'function') {
    throw optionError(owner, 'objective', 'an objective with value(x) is required');
  }
  const dim = obj.dim;
  if (!Number.isInteger(dim) || dim < 1) {
    throw optionError(owner, 'objective.dim', `objective dim is ${dim}; need an integer >= 1`);
  }
  checkBox(owner, req.box, dim, opts.requireFiniteBox);
  if (!req.rng || typeof req.rng.uniform !== 'function') {
    throw optionError(owner, 'rng', 'a seeded Rng is required (every random draw comes from it)');
  }
  const maxEv = req.maxEvaluations ?? Infinity;
  if (!(maxEv === Infinity || (Number.isInteger(maxEv) && maxEv >= 1))) {
    throw optionError(
      owner,
      'maxEvaluations',
      `maxEvaluations is ${maxEv}; need an integer >= 1 (or omit it)`,
    );
  }
  let x0: Float64Array | undefined;
  if (req.x0 !== undefined) {
    if (req.x0.length !== dim) {
      throw optionError(owner, 'x0', `x0 has length ${req.x0.length}; the objective has dim ${dim}`);
    }
    for (let i = 0; i < dim; i++) {
      if (!Number.isFinite(req.x0[i]!))
        throw optionError(owner, 'x0', `x0[${i}] = ${req.x0[i]}; need finite numbers`);
    }
    x0 = Float64Array.from(req.x0);
    clipToBox(x0, req.box);
  }
  return new SolverRun(owner, new CountedObjective(obj, req.box, maxEv), req.box, req.rng, x0);
}

/** Builds the result of a run: best point ever evaluated, trace, and distinct candidates (best first). */
export function finishRun(run: SolverRun, stopReason: StopReason): SolveResult {
  const f = run.f;
  const x = Float64Array.from(f.bestX);
  const list: Candidate[] = [{ x: Float64Array.from(x), value: f.bestValue }];
  for (const c of run.candidates)
    offerCandidate(list, { x: Float64Array.from(c.x), value: c.value }, run.box);
  const last = run.trace[run.trace.length - 1];
  if (last === undefined || last.evaluations !== f.evaluations) {
    // a partial iteration (budget ran out inside it) or a body that never recorded
    const iteration = last === undefined ? Math.max(1, run.iterations) : last.iteration + 1;
    run.trace.push({ iteration, evaluations: f.evaluations, best: f.bestValue });
  }
  return {
    x,
    value: f.bestValue,
    evaluations: f.evaluations,
    iterations: run.iterations,
    stopReason,
    trace: run.trace,
    candidates: list,
  };
}
