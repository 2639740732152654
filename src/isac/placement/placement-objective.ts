import { CrbKernel } from '../crb/crb-kernel.js';
import { JointTraceKernel } from '../crb/joint-trace-kernel.js';
import type { SnrSpec, SystemParams } from '../scenario-types.js';
import type { DesignTarget } from './types.js';

/** CRB of the placement objective: per target alone (`exact`, `paper`) or all design targets together (`joint`). */
export type PlacementCrbMode = 'exact' | 'paper' | 'joint';

/**
 * The per-target objective of (P0), eq. (16a) / (17):
 *   h_u(z) = α ψ_p tr CRB_p(t_u, v_u; z) + (1 − α) ψ_a tr CRB_a(t_u, v_u; z),
 * z = [x_1, y_1, ..., x_L, y_L, N_A^1..N_A^L] (continuous antennas, N >= b_min >= 1), with the analytic
 * gradient from {@link CrbKernel}. In `joint` mode CRB_u is target u's 4×4 block of the joint
 * (multi-target) bound of all design targets together ({@link JointTraceKernel}): a layout whose APs
 * cannot separate the targets pays for it. A singular Fisher matrix gives h_u = +Infinity and a zero
 * gradient (a defined "worst" value, never NaN); in `joint` mode a singular J makes every h_u Infinity.
 *
 * No allocation per call. One instance is not re-entrant.
 */
export class PlacementObjective {
  readonly L: number;
  readonly U: number;
  /** 3L */
  readonly dim: number;
  readonly alpha: number;
  psiP = 1;
  psiA = 1;
  /** number of target-set evaluations so far (one evaluates every design target) */
  evaluations = 0;
  readonly targets: readonly DesignTarget[];

  private readonly kernel: CrbKernel | undefined;
  private readonly joint: JointTraceKernel | undefined;
  private readonly psi: Float64Array;
  private readonly trP: Float64Array;
  private readonly trA: Float64Array;
  private readonly jgP: Float64Array;
  private readonly jgA: Float64Array;
  private readonly xy: Float64Array;
  private readonly na: Float64Array;
  private readonly out = new Float64Array(2);
  private readonly gp: Float64Array;
  private readonly ga: Float64Array;
  private readonly h: Float64Array;

  constructor(
    system: SystemParams,
    snr: SnrSpec,
    mode: PlacementCrbMode,
    targets: readonly DesignTarget[],
    L: number,
    alpha: number,
  ) {
    this.kernel = mode === 'joint' ? undefined : new CrbKernel(system, snr, mode);
    this.joint = mode === 'joint' ? new JointTraceKernel(system, snr) : undefined;
    this.targets = targets.map((t) => ({ ...t }));
    this.psi = Float64Array.from(this.targets.flatMap((t) => [t.x, t.y, t.speed, t.heading]));
    this.trP = new Float64Array(targets.length);
    this.trA = new Float64Array(targets.length);
    this.jgP = new Float64Array(mode === 'joint' ? targets.length * 3 * L : 0);
    this.jgA = new Float64Array(mode === 'joint' ? targets.length * 3 * L : 0);
    this.L = L;
    this.U = targets.length;
    this.dim = 3 * L;
    this.alpha = alpha;
    this.xy = new Float64Array(2 * L);
    this.na = new Float64Array(L);
    this.gp = new Float64Array(3 * L);
    this.ga = new Float64Array(3 * L);
    this.h = new Float64Array(this.U);
  }

  private unpack(z: ArrayLike<number>): void {
    const L = this.L;
    for (let i = 0; i < 2 * L; i++) this.xy[i] = z[i] as number;
    for (let l = 0; l < L; l++) this.na[l] = z[2 * L + l] as number;
  }

  /**
   * tr CRB_p and tr CRB_a of design target u at layout z into trOut[0], trOut[1] (Infinity when
   * singular). Returns false when singular.
   */
  traces(z: ArrayLike<number>, u: number, trOut: Float64Array): boolean {
    this.unpack(z);
    if (this.joint) {
      const ok = this.joint.evaluate(this.xy, this.na, this.psi, this.trP, this.trA);
      trOut[0] = this.trP[u] as number;
      trOut[1] = this.trA[u] as number;
      return ok;
    }
    const t = this.targets[u] as DesignTarget;
    return (this.kernel as CrbKernel).evaluate(this.xy, this.na, t.x, t.y, t.speed, t.heading, trOut);
  }

  /**
   * h_u(z) for every design target into `h` (length U) and, when `grad` is given, ∇h_u into row u
   * of `grad` (U × 3L row-major). Returns false when some target's FIM is singular (h_u = Infinity,
   * its gradient row 0).
   */
  evaluate(z: ArrayLike<number>, h: Float64Array, grad?: Float64Array): boolean {
    this.unpack(z);
    this.evaluations++;
    const { out, gp, ga, xy, na, alpha } = this;
    const n = this.dim;
    const wp = alpha * this.psiP;
    const wa = (1 - alpha) * this.psiA;
    if (this.joint) return this.evaluateJoint(h, wp, wa, grad);
    const kernel = this.kernel as CrbKernel;
    let ok = true;
    for (let u = 0; u < this.U; u++) {
      const t = this.targets[u] as DesignTarget;
      const good = grad
        ? kernel.evaluate(xy, na, t.x, t.y, t.speed, t.heading, out, gp, ga)
        : kernel.evaluate(xy, na, t.x, t.y, t.speed, t.heading, out);
      if (!good) {
        ok = false;
        h[u] = Infinity;
        if (grad) grad.fill(0, u * n, (u + 1) * n);
        continue;
      }
      h[u] = wp * (out[0] as number) + wa * (out[1] as number);
      if (grad) {
        const o = u * n;
        for (let i = 0; i < n; i++) grad[o + i] = wp * (gp[i] as number) + wa * (ga[i] as number);
      }
    }
    return ok;
  }

  /** `joint` mode: every h_u from one joint bound (value, and gradient rows when `grad` is given). */
  private evaluateJoint(h: Float64Array, wp: number, wa: number, grad?: Float64Array): boolean {
    const { trP, trA, jgP, jgA } = this;
    const n = this.dim;
    const ok = (this.joint as JointTraceKernel).evaluate(
      this.xy,
      this.na,
      this.psi,
      trP,
      trA,
      grad ? jgP : undefined,
      grad ? jgA : undefined,
    );
    for (let u = 0; u < this.U; u++) h[u] = ok ? wp * (trP[u] as number) + wa * (trA[u] as number) : Infinity;
    if (grad) {
      if (!ok) grad.fill(0, 0, this.U * n);
      else for (let i = 0; i < this.U * n; i++) grad[i] = wp * (jgP[i] as number) + wa * (jgA[i] as number);
    }
    return ok;
  }

  /** Worst case over the design targets, max_u h_u(z) (P0). */
  worst(z: ArrayLike<number>): number {
    const h = this.h;
    this.evaluate(z, h);
    let m = -Infinity;
    for (let u = 0; u < this.U; u++) m = Math.max(m, h[u] as number);
    return m;
  }

  /**
   * ψ_p = 1 / mean_u tr CRB_p(z), ψ_a = 1 / mean_u tr CRB_a(z) at the layout z (the default
   * normalisation: the objective at z then averages α + (1 − α) = 1 over the design targets).
   * Returns undefined when some target is singular at z.
   */
  defaultPsi(z: ArrayLike<number>): { psiP: number; psiA: number } | undefined {
    let sp = 0;
    let sa = 0;
    const tr = this.out;
    for (let u = 0; u < this.U; u++) {
      if (!this.traces(z, u, tr)) return undefined;
      sp += tr[0] as number;
      sa += tr[1] as number;
    }
    return { psiP: this.U / sp, psiA: this.U / sa };
  }
}
