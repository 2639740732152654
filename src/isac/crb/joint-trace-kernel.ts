import { realCholesky } from '../../math/real-cholesky.js';
import type { SnrSpec, SystemParams } from '../scenario-types.js';
import { JointFim, type PackedTargets } from './joint-fim.js';
import { RCOND_MIN } from './spd-inverse.js';

/** Central-difference steps of the per-AP information: AP position (m) and antenna count. */
const STEP_POSITION_M = 1e-4;
const STEP_ANTENNAS = 1e-4;

const zeroPhase = (): number => 0;

/**
 * Placement fast path of the joint (multi-target) bound: for U targets seen together by L APs with
 * (continuous) antenna counts, tr CRB_p,u and tr CRB_a,u of every target u, where CRB_u is the 4×4
 * block u of J⁻¹ and J the joint Fisher information of all targets' (x, y, v, θ) with one unknown
 * amplitude per (AP, target) (joint-fim.ts; RCS phases 0, the model notes' convention). With targets
 * far apart it equals {@link CrbKernel} in `exact` mode.
 *
 * Gradient w.r.t. z = [x_1, y_1, ..., x_L, y_L, N_1..N_L]: the information is a sum over APs,
 * J = Σ_l J_l(c_l, N_l) (the amplitudes are per AP, so their Schur complement is per AP), hence
 *   ∂ tr(S_u J⁻¹)/∂z_i = −tr(W_u ∂J_l/∂z_i),  W_u = J⁻¹ S_u J⁻¹,
 * S_u selecting target u's (x, y) (trP) or (v, θ) (trA). The chain through the inverse is exact;
 * ∂J_l/∂(x_l, y_l, N_l) is the central difference of AP l's own information (steps 1e-4 m and
 * 1e-4 antennas; J_l is smooth: the antenna count enters through the analytic continuation of the
 * steering sums, joint-gram.ts powerSumsReal, here in closed form for every dimension: O(1) per
 * Gram entry instead of O(N_c + N_A + M)). Cost of a gradient: 6 single-AP evaluations per AP,
 * about 6x the value.
 *
 * No allocation per call once grown to the largest (L, U). One instance is not re-entrant.
 */
export class JointTraceKernel {
  /** J⁻¹ (4U×4U row-major) of the last successful evaluation */
  crb = new Float64Array(0);
  /** reciprocal 1-norm condition number of the equilibrated J of the last evaluation (0: singular) */
  rcond = 0;

  private readonly full: JointFim;
  private readonly one: JointFim;
  private readonly apXY1 = new Float64Array(2);
  private readonly na1 = new Float64Array(1);
  private n4 = 0;
  private sc = new Float64Array(0);
  private chol = new Float64Array(0);
  private eq = new Float64Array(0);
  private dJ = new Float64Array(0);
  private w = new Float64Array(0);

  constructor(system: SystemParams, snr: SnrSpec) {
    this.full = new JointFim(system, snr, true);
    this.one = new JointFim(system, snr, true);
  }

  /**
   * Evaluates the bound of the targets `psi` (4 per target: x, y, speed, heading) at APs `apXY` with
   * antenna counts `antennas` (real, ≥ 1). Writes trP[u], trA[u] and, when given, the gradients into
   * row u of gradP / gradA (U × 3L row-major). Returns false when J is singular or ill-conditioned
   * (reciprocal condition number < RCOND_MIN after equilibration) or a target sits on an AP:
   * traces Infinity, gradients 0, never NaN.
   */
  evaluate(
    apXY: ArrayLike<number>,
    antennas: ArrayLike<number>,
    psi: PackedTargets,
    trP: Float64Array,
    trA: Float64Array,
    gradP?: Float64Array,
    gradA?: Float64Array,
  ): boolean {
    const nU = psi.length >> 2;
    const L = antennas.length;
    this.ensure(4 * nU);
    const ok = this.full.evaluate(apXY, antennas, psi, zeroPhase) && this.invert(this.full.fim);
    if (!ok) {
      this.rcond = 0;
      trP.fill(Infinity, 0, nU);
      trA.fill(Infinity, 0, nU);
      gradP?.fill(0, 0, nU * 3 * L);
      gradA?.fill(0, 0, nU * 3 * L);
      return false;
    }
    const C = this.crb;
    const n4 = this.n4;
    for (let u = 0; u < nU; u++) {
      const o = 4 * u;
      trP[u] = (C[n4 * o + o] as number) + (C[n4 * (o + 1) + o + 1] as number);
      trA[u] = (C[n4 * (o + 2) + o + 2] as number) + (C[n4 * (o + 3) + o + 3] as number);
    }
    if (gradP || gradA) this.gradient(apXY, antennas, psi, nU, gradP, gradA);
    return true;
  }

  /** Rows u of gradP / gradA: −tr(W_u ∂J/∂z_i), W_u = C S_u C (S_u = target u's (x, y) or (v, θ)). */
  private gradient(
    apXY: ArrayLike<number>,
    antennas: ArrayLike<number>,
    psi: PackedTargets,
    nU: number,
    gradP: Float64Array | undefined,
    gradA: Float64Array | undefined,
  ): void {
    const L = antennas.length;
    const n = 3 * L;
    const n4 = this.n4;
    const nn = n4 * n4;
    const { crb: C, w } = this;
    // W for every (u, block): w[(2u + blk)·nn + a·n4 + b] = Σ_{s ∈ block} C[a][s] C[s][b]
    for (let u = 0; u < nU; u++) {
      for (let blk = 0; blk < 2; blk++) {
        const s0 = 4 * u + 2 * blk;
        const off = (2 * u + blk) * nn;
        for (let a = 0; a < n4; a++) {
          const ca0 = C[n4 * a + s0] as number;
          const ca1 = C[n4 * a + s0 + 1] as number;
          for (let b = 0; b < n4; b++) {
            w[off + n4 * a + b] = ca0 * (C[n4 * s0 + b] as number) + ca1 * (C[n4 * (s0 + 1) + b] as number);
          }
        }
      }
    }
    for (let l = 0; l < L; l++) {
      for (let c = 0; c < 3; c++) {
        this.apDerivative(apXY, antennas, psi, l, c);
        const zi = c < 2 ? 2 * l + c : 2 * L + l;
        for (let u = 0; u < nU; u++) {
          if (gradP) gradP[u * n + zi] = -this.contract(2 * u * nn, nn);
          if (gradA) gradA[u * n + zi] = -this.contract((2 * u + 1) * nn, nn);
        }
      }
    }
  }

  /** Σ_ab w[off + ab] dJ[ab] */
  private contract(off: number, nn: number): number {
    const { w, dJ } = this;
    let s = 0;
    for (let i = 0; i < nn; i++) s += (w[off + i] as number) * (dJ[i] as number);
    return s;
  }

  /** dJ = ∂J_l/∂(x_l | y_l | N_l) (coordinate c = 0 | 1 | 2) by a central difference of AP l's information. */
  private apDerivative(
    apXY: ArrayLike<number>,
    antennas: ArrayLike<number>,
    psi: PackedTargets,
    l: number,
    c: number,
  ): void {
    const { apXY1, na1, one, dJ } = this;
    const h = c < 2 ? STEP_POSITION_M : STEP_ANTENNAS;
    const nn = this.n4 * this.n4;
    for (let side = 0; side < 2; side++) {
      apXY1[0] = apXY[2 * l] as number;
      apXY1[1] = apXY[2 * l + 1] as number;
      na1[0] = antennas[l] as number;
      const d = side === 0 ? h : -h;
      if (c < 2) apXY1[c] = (apXY1[c] as number) + d;
      else na1[0] = (na1[0] as number) + d;
      one.evaluate(apXY1, na1, psi, zeroPhase);
      const f = one.fim;
      if (side === 0) for (let i = 0; i < nn; i++) dJ[i] = f[i] as number;
      else for (let i = 0; i < nn; i++) dJ[i] = ((dJ[i] as number) - (f[i] as number)) / (2 * h);
    }
  }

  /**
   * crb = J⁻¹ by Cholesky of the equilibrated J (unit diagonal); false when a diagonal is not positive,
   * the factorisation fails, or the reciprocal 1-norm condition number is below RCOND_MIN.
   */
  private invert(J: Float64Array): boolean {
    const n = this.n4;
    const { sc, eq, chol: l, crb: inv } = this;
    for (let i = 0; i < n; i++) {
      const d = J[n * i + i] as number;
      if (!(d > 0) || !Number.isFinite(d)) return false;
      sc[i] = 1 / Math.sqrt(d);
    }
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++)
        eq[n * i + j] = i === j ? 1 : (J[n * i + j] as number) * (sc[i] as number) * (sc[j] as number);
    l.fill(0);
    if (!realCholesky(eq, n, l, 1e-15)) return false;
    // columns of the inverse by forward and back substitution: (L Lᵀ) x = e_c
    for (let c = 0; c < n; c++) {
      for (let i = 0; i < n; i++) {
        let s = i === c ? 1 : 0;
        for (let k = 0; k < i; k++) s -= (l[n * i + k] as number) * (inv[n * k + c] as number);
        inv[n * i + c] = s / (l[n * i + i] as number);
      }
      for (let i = n - 1; i >= 0; i--) {
        let s = inv[n * i + c] as number;
        for (let k = i + 1; k < n; k++) s -= (l[n * k + i] as number) * (inv[n * k + c] as number);
        inv[n * i + c] = s / (l[n * i + i] as number);
      }
    }
    let nb = 0;
    let ni = 0;
    for (let j = 0; j < n; j++) {
      let sb = 0;
      let si = 0;
      for (let i = 0; i < n; i++) {
        sb += Math.abs(eq[n * i + j] as number);
        si += Math.abs(inv[n * i + j] as number);
      }
      nb = Math.max(nb, sb);
      ni = Math.max(ni, si);
    }
    this.rcond = 1 / (nb * ni);
    if (!(this.rcond >= RCOND_MIN)) return false;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++)
        inv[n * i + j] = (inv[n * i + j] as number) * (sc[i] as number) * (sc[j] as number);
    return true;
  }

  private ensure(n4: number): void {
    if (n4 === this.n4) return;
    this.n4 = n4;
    const nn = n4 * n4;
    this.crb = new Float64Array(nn);
    this.sc = new Float64Array(n4);
    this.chol = new Float64Array(nn);
    this.eq = new Float64Array(nn);
    this.dJ = new Float64Array(nn);
    this.w = new Float64Array(2 * (n4 / 4) * nn);
  }
}
