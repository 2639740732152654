import type { Objective } from '../../solvers/solver.js';
import type { PlacementObjective } from './placement-objective.js';

/**
 * The z-subproblem (P2.4), eq. (29): with a, b, ϖ and the multipliers fixed,
 *   F(z) = ρ₁/2 Σ_l ||a_l − (c_l − ĉ_l) + λ_l/ρ₁||² + ρ₂/2 Σ_l (b_l − N_l + χ_l/ρ₂)²
 *        + ρ₃/2 Σ_u (ϖ_u − h_u(z) + γ_u/ρ₃)²,
 * ∇F = −ρ₁ r_a (positions), −ρ₂ r_b (antennas), − Σ_u ρ₃ r_u ∇h_u.
 * The ADMM state arrays are shared with the caller (not copied); `rho` is read at every call.
 * Infinity (zero gradient) where some design target is singular.
 */
export class AdmmSubproblem implements Objective {
  readonly dim: number;
  private readonly hs: Float64Array;
  private readonly G: Float64Array;

  constructor(
    private readonly obj: PlacementObjective,
    private readonly nominal: Float64Array,
    readonly a: Float64Array,
    readonly b: Float64Array,
    readonly varpi: Float64Array,
    readonly lam: Float64Array,
    readonly chi: Float64Array,
    readonly gam: Float64Array,
    readonly rho: [number, number, number],
  ) {
    this.dim = obj.dim;
    this.hs = new Float64Array(obj.U);
    this.G = new Float64Array(obj.U * obj.dim);
  }

  value(x: Float64Array): number {
    return this.eval(x);
  }

  gradient(x: Float64Array, g: Float64Array): number {
    return this.eval(x, g);
  }

  private eval(x: Float64Array, g?: Float64Array): number {
    const { obj, hs, G, a, b, varpi, lam, chi, gam, nominal: nom } = this;
    const L = obj.L;
    const U = obj.U;
    const n = this.dim;
    if (!obj.evaluate(x, hs, g ? G : undefined)) {
      g?.fill(0);
      return Infinity;
    }
    const [r1, r2, r3] = this.rho;
    let F = 0;
    for (let i = 0; i < 2 * L; i++) {
      const r = (a[i] as number) - ((x[i] as number) - (nom[i] as number)) + (lam[i] as number) / r1;
      F += 0.5 * r1 * r * r;
      if (g) g[i] = -r1 * r;
    }
    for (let l = 0; l < L; l++) {
      const r = (b[l] as number) - (x[2 * L + l] as number) + (chi[l] as number) / r2;
      F += 0.5 * r2 * r * r;
      if (g) g[2 * L + l] = -r2 * r;
    }
    for (let u = 0; u < U; u++) {
      const r = (varpi[u] as number) - (hs[u] as number) + (gam[u] as number) / r3;
      F += 0.5 * r3 * r * r;
      if (g) {
        const c = -r3 * r;
        const off = u * n;
        for (let i = 0; i < n; i++) g[i] = (g[i] as number) + c * (G[off + i] as number);
      }
    }
    return F;
  }
}
