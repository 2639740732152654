import type { Objective } from '../../solvers/solver.js';
import type { TraceApproximation } from './phase-table.js';

/**
 * The form shared by (P3) and (P4): minimise 1/tr(·) over a 2-D variable, where a subclass gives
 * the symbol-level fusion trace tr(·) >= 0 and its gradient. Maximising tr is the same as
 * minimising 1/tr (model notes); where tr = 0 the constraint tr > 0 of (48)/(52) fails: +∞.
 */
export abstract class ReciprocalTraceObjective implements Objective {
  readonly dim = 2;
  private readonly g2 = new Float64Array(2);

  /** tr(·) at (a, b) */
  abstract trace(a: number, b: number): number;
  /** tr(·) at (a, b); writes ∂tr/∂a, ∂tr/∂b into g */
  abstract traceGradient(a: number, b: number, g: Float64Array): number;
  /** tr(·) from phase tables, within its `error` of {@link trace} everywhere */
  abstract approximation(): TraceApproximation;

  private sur?: SurrogateObjective;

  /** 1/tr with tr from {@link approximation} (one table lookup per AP and term): for global search stages. */
  surrogate(): Objective {
    this.sur ??= new SurrogateObjective(this.approximation());
    return this.sur;
  }

  /**
   * Hands the surrogate's phase tables on to later objectives of this thread (TraceApproximation
   * release) once a solve is done; the surrogate handed out before is unusable after (it throws).
   */
  releaseTables(): void {
    this.sur?.approximation.release?.();
    this.sur = undefined;
  }

  value(x: Float64Array): number {
    const s = this.trace(x[0]!, x[1]!);
    return s > 0 ? 1 / s : Infinity;
  }

  values(xs: Float64Array, n: number, out: Float64Array): void {
    for (let i = 0; i < n; i++) {
      const s = this.trace(xs[2 * i]!, xs[2 * i + 1]!);
      out[i] = s > 0 ? 1 / s : Infinity;
    }
  }

  /** ∇(1/tr) = −∇tr/tr²; returns 1/tr (gradient 0 where tr = 0). */
  gradient(x: Float64Array, g: Float64Array): number {
    const s = this.traceGradient(x[0]!, x[1]!, this.g2);
    if (!(s > 0)) {
      g[0] = 0;
      g[1] = 0;
      return Infinity;
    }
    const k = -1 / (s * s);
    g[0] = k * this.g2[0]!;
    g[1] = k * this.g2[1]!;
    return 1 / s;
  }
}

/**
 * 1/tr(·) with tr from a trace approximation (ReciprocalTraceObjective.surrogate). A class, not
 * closures made per objective: its methods are compiled once for every frame's objectives (a closure
 * per objective was optimised anew each frame once the collector had dropped the last one's code).
 */
class SurrogateObjective implements Objective {
  readonly dim = 2;

  constructor(private readonly t: TraceApproximation) {}

  get approximation(): TraceApproximation {
    return this.t;
  }

  value(x: Float64Array): number {
    const s = this.t.approx(x[0]!, x[1]!);
    return s > 0 ? 1 / s : Infinity;
  }

  values(xs: Float64Array, n: number, out: Float64Array): void {
    for (let i = 0; i < n; i++) {
      const s = this.t.approx(xs[2 * i]!, xs[2 * i + 1]!);
      out[i] = s > 0 ? 1 / s : Infinity;
    }
  }
}
