import type { Box, Objective } from './solver.js';
import { numericalGradient } from './numerical-gradient.js';

/** Thrown by CountedObjective when the evaluation budget is spent; `runSolver` turns it into 'max-evaluations'. */
export class BudgetExhausted extends Error {
  constructor() {
    super('evaluation budget exhausted');
    this.name = 'BudgetExhausted';
  }
}

const EXHAUSTED = new BudgetExhausted();

/**
 * The objective as a solver sees it: counts evaluations against a budget, remembers the best
 * point ever evaluated (so a solver that runs out of budget mid-step still returns its best),
 * maps NaN values to +Infinity (a defined "worst" value), and supplies a gradient — the
 * objective's own (one evaluation each) or central differences inside the box (2 per coordinate).
 */
export class CountedObjective {
  readonly dim: number;
  evaluations = 0;
  bestValue = Infinity;
  readonly bestX: Float64Array;
  private seen = false;
  private readonly row: Float64Array;
  private readonly work: Float64Array;
  private readonly valueFn: (x: Float64Array) => number;

  constructor(
    readonly objective: Objective,
    readonly box: Box,
    readonly maxEvaluations: number,
  ) {
    this.dim = objective.dim;
    this.bestX = new Float64Array(this.dim);
    this.row = new Float64Array(this.dim);
    this.work = new Float64Array(this.dim);
    this.valueFn = (x) => this.value(x);
  }

  /** Evaluations left (Infinity without a cap). */
  get remaining(): number {
    return this.maxEvaluations - this.evaluations;
  }

  get exhausted(): boolean {
    return this.evaluations >= this.maxEvaluations;
  }

  /** Throws BudgetExhausted when fewer than `n` evaluations remain. */
  require(n = 1): void {
    if (this.evaluations + n > this.maxEvaluations) throw EXHAUSTED;
  }

  /** f(x), counted (NaN -> +Infinity). Throws BudgetExhausted when the budget is spent. */
  value(x: Float64Array): number {
    if (this.evaluations >= this.maxEvaluations) throw EXHAUSTED;
    this.evaluations++;
    let v = this.objective.value(x);
    if (Number.isNaN(v)) v = Infinity;
    if (v < this.bestValue || !this.seen) this.keep(x, 0, v);
    return v;
  }

  /**
   * f at the n rows of `xs` (row-major, n × dim) into out[0..n), through the objective's
   * vectorised `values` when it has one. When the budget ends inside the batch, the rows it
   * covers are evaluated, the rest set to +Infinity, and BudgetExhausted is thrown.
   */
  values(xs: Float64Array, n: number, out: Float64Array): void {
    const m = Math.min(n, Math.max(0, this.maxEvaluations - this.evaluations));
    const d = this.dim;
    if (m > 0) {
      if (this.objective.values) {
        this.objective.values(xs, m, out);
      } else {
        const row = this.row;
        for (let r = 0; r < m; r++) {
          for (let i = 0; i < d; i++) row[i] = xs[r * d + i]!;
          out[r] = this.objective.value(row);
        }
      }
      this.evaluations += m;
      for (let r = 0; r < m; r++) {
        let v = out[r]!;
        if (Number.isNaN(v)) out[r] = v = Infinity;
        if (v < this.bestValue || !this.seen) this.keepRow(xs, r, v);
      }
    }
    if (m < n) {
      for (let r = m; r < n; r++) out[r] = Infinity;
      throw EXHAUSTED;
    }
  }

  /** True when the objective supplies an analytic gradient. */
  get hasGradient(): boolean {
    return typeof this.objective.gradient === 'function';
  }

  /**
   * ∇f(x) into g; returns f(x). Analytic gradient: one evaluation. Otherwise central differences
   * inside the box (numericalGradient): 2 evaluations per coordinate, plus f(x) unless `fx` is given.
   */
  gradient(x: Float64Array, g: Float64Array, fx = NaN): number {
    const grad = this.objective.gradient;
    if (grad) {
      if (this.evaluations >= this.maxEvaluations) throw EXHAUSTED;
      this.evaluations++;
      let v = grad.call(this.objective, x, g);
      if (Number.isNaN(v)) v = Infinity;
      for (let i = 0; i < this.dim; i++) if (!Number.isFinite(g[i]!)) g[i] = 0;
      if (v < this.bestValue || !this.seen) this.keep(x, 0, v);
      return v;
    }
    const f0 = Number.isNaN(fx) ? this.value(x) : fx;
    numericalGradient(this.valueFn, x, f0, this.box, g, this.work);
    return f0;
  }

  /** Accounts for a sub-solver's run on the same objective (its evaluations and its best point). */
  absorb(evaluations: number, x: Float64Array, value: number): void {
    this.evaluations += evaluations;
    const v = Number.isNaN(value) ? Infinity : value;
    if (v < this.bestValue || !this.seen) this.keep(x, 0, v);
  }

  private keep(x: Float64Array, offset: number, v: number): void {
    this.seen = true;
    this.bestValue = v;
    for (let i = 0; i < this.dim; i++) this.bestX[i] = x[offset + i]!;
  }

  private keepRow(xs: Float64Array, r: number, v: number): void {
    this.keep(xs, r * this.dim, v);
  }
}
