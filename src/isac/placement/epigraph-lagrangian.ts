import type { Objective } from '../../solvers/solver.js';
import type { PlacementProblem } from './types.js';

/**
 * Augmented Lagrangian of the epigraph form of (P0) over x = [z, t] (dim 3L + 1):
 *   Φ_ρ(x) = t + 1/(2ρ) Σ_i [max(0, μ_i + ρ g_i(x))² − μ_i²]          (Powell-Hestenes-Rockafellar)
 * with the inequality constraints g(x) <= 0
 *   g_u = h_u(z) − t                                   (u = 1..U)
 *   g_{U+l} = (||c_l − ĉ_l||² − ε²)/ε²                 (l = 1..L; only when `disc`)
 *   g_last = (Σ_l N_l − N_max)/N_max                    (only when `sum`)
 * (the floor N_l >= b_min is a bound of the caller's box, not a constraint here)
 * ∇Φ = e_t + Σ_i max(0, μ_i + ρ g_i) ∇g_i (C¹). `mu` and `rho` are the caller's to update.
 * Infinity (zero gradient) where some design target is singular.
 */
export class EpigraphLagrangian implements Objective {
  readonly dim: number;
  /** number of constraints */
  readonly m: number;
  readonly mu: Float64Array;
  rho = 1;
  /** g(x) of the last {@link constraints} / value / gradient call */
  readonly g: Float64Array;
  /** h(z) of the last call */
  readonly h: Float64Array;
  private readonly G: Float64Array;

  constructor(
    private readonly p: PlacementProblem,
    readonly disc: boolean,
    readonly sum: boolean,
  ) {
    const { L, U, dim } = p.objective;
    this.dim = dim + 1;
    this.m = U + (disc ? L : 0) + (sum ? 1 : 0);
    this.mu = new Float64Array(this.m);
    this.g = new Float64Array(this.m);
    this.h = new Float64Array(U);
    this.G = new Float64Array(U * dim);
  }

  /** g(x) into `this.g` (and ∇h into the internal buffer when `grad`); false when singular. */
  constraints(x: Float64Array, grad = false): boolean {
    const { p, g, h } = this;
    const obj = p.objective;
    const { L, U } = obj;
    const n = obj.dim;
    if (!obj.evaluate(x, h, grad ? this.G : undefined)) return false;
    const t = x[n] as number;
    for (let u = 0; u < U; u++) g[u] = (h[u] as number) - t;
    let i = U;
    if (this.disc) {
      const e2 = p.radius * p.radius;
      for (let l = 0; l < L; l++) {
        const dx = (x[2 * l] as number) - (p.nominal[2 * l] as number);
        const dy = (x[2 * l + 1] as number) - (p.nominal[2 * l + 1] as number);
        g[i++] = (dx * dx + dy * dy - e2) / e2;
      }
    }
    if (this.sum) {
      let s = 0;
      for (let l = 0; l < L; l++) s += x[2 * L + l] as number;
      g[i] = (s - p.maxAntennas) / p.maxAntennas;
    }
    return true;
  }

  value(x: Float64Array): number {
    return this.eval(x);
  }

  gradient(x: Float64Array, grad: Float64Array): number {
    return this.eval(x, grad);
  }

  private eval(x: Float64Array, grad?: Float64Array): number {
    const { p, g, mu, rho, G } = this;
    const obj = p.objective;
    const { L, U } = obj;
    const n = obj.dim;
    if (!this.constraints(x, grad !== undefined)) {
      grad?.fill(0);
      return Infinity;
    }
    let f = x[n] as number;
    if (grad) {
      grad.fill(0);
      grad[n] = 1;
    }
    const e2 = p.radius * p.radius;
    for (let i = 0; i < this.m; i++) {
      const mi = mu[i] as number;
      const q = Math.max(0, mi + rho * (g[i] as number));
      f += (q * q - mi * mi) / (2 * rho);
      if (!grad || q === 0) continue;
      if (i < U) {
        const off = i * n;
        for (let j = 0; j < n; j++) grad[j] = (grad[j] as number) + q * (G[off + j] as number);
        grad[n] = (grad[n] as number) - q;
      } else if (this.disc && i < U + L) {
        const l = i - U;
        const s = (2 * q) / e2;
        grad[2 * l] = (grad[2 * l] as number) + s * ((x[2 * l] as number) - (p.nominal[2 * l] as number));
        grad[2 * l + 1] =
          (grad[2 * l + 1] as number) + s * ((x[2 * l + 1] as number) - (p.nominal[2 * l + 1] as number));
      } else {
        for (let l = 0; l < L; l++) grad[2 * L + l] = (grad[2 * L + l] as number) + q / p.maxAntennas;
      }
    }
    return f;
  }
}
