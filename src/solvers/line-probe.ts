import { clipToBox } from './box.js';
import type { CountedObjective } from './counted-objective.js';
import type { LineFunction } from './line-search.js';
import type { Box } from './solver.js';

/**
 * φ(α) = f(P(x + α d)) and φ'(α) = ∇f(P(x + α d))·d for a line search from x along d, where P
 * projects onto the box (a no-op for α <= the distance to the boundary; it only absorbs rounding).
 * Caches the last point: with an analytic gradient φ and φ' cost one evaluation together.
 */
export class LineProbe implements LineFunction {
  /** base point and direction (set by the caller before each search) */
  readonly x: Float64Array;
  readonly d: Float64Array;
  /** last trial point, its value and (when `gradAlpha === valueAlpha`) its gradient */
  readonly xt: Float64Array;
  readonly gt: Float64Array;
  ft = NaN;
  private valueAlpha = NaN;
  private gradAlpha = NaN;

  constructor(
    private readonly f: CountedObjective,
    private readonly box: Box,
    n: number,
  ) {
    this.x = new Float64Array(n);
    this.d = new Float64Array(n);
    this.xt = new Float64Array(n);
    this.gt = new Float64Array(n);
  }

  /** Call after changing x or d. */
  reset(): void {
    this.valueAlpha = NaN;
    this.gradAlpha = NaN;
  }

  phi(alpha: number): number {
    if (alpha === this.valueAlpha) return this.ft;
    const { x, d, xt } = this;
    for (let i = 0; i < x.length; i++) xt[i] = x[i]! + alpha * d[i]!;
    clipToBox(xt, this.box);
    this.valueAlpha = alpha;
    if (this.f.hasGradient) {
      this.ft = this.f.gradient(xt, this.gt);
      this.gradAlpha = alpha;
    } else {
      this.gradAlpha = NaN;
      this.ft = this.f.value(xt);
    }
    return this.ft;
  }

  dphi(alpha: number): number {
    this.ensureGradient(alpha);
    let s = 0;
    for (let i = 0; i < this.d.length; i++) s += this.gt[i]! * this.d[i]!;
    return s;
  }

  /** Makes xt, ft, gt hold the point at alpha (evaluating what is missing). */
  ensureGradient(alpha: number): void {
    this.phi(alpha);
    if (this.gradAlpha !== alpha) {
      this.f.gradient(this.xt, this.gt, this.ft);
      this.gradAlpha = alpha;
    }
  }
}
