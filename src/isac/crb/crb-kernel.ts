import type { SnrSpec, SystemParams } from '../scenario-types.js';
import { EXACT_VARIANT, PAPER_VARIANT, type CrbVariant } from './crb-types.js';
import { localFimKnown, localFimUnknown } from './local-fim.js';
import { localJacobian, localJacobianPositionDerivatives } from './local-jacobian.js';
import { newPairTerms, pairTerms } from './pair-terms.js';
import { SpdStatus, spdInverse, spdLast } from './spd-inverse.js';

/** Why {@link CrbKernel.evaluate} returned false. */
export const KernelStatus = {
  Ok: 0,
  /** the target sits on an AP (r = 0): `index` = AP */
  Coincident: 1,
  /** an antenna count is < 1 or not finite, or a position is not finite: `index` = AP */
  InvalidInput: 2,
  /** parameter `index` (0 x, 1 y, 2 v, 3 θ_u) carries no information (zero FIM diagonal) */
  NoInformation: 3,
  /** the FIM is singular (not positive definite after equilibration) */
  Singular: 4,
  /** reciprocal condition number (equilibrated) < RCOND_MIN */
  IllConditioned: 5,
} as const;
export type KernelStatus = (typeof KernelStatus)[keyof typeof KernelStatus];

/**
 * Fast path for the placement optimiser: tr CRB_p and tr CRB_a of one target as functions of the
 * AP positions c_l and (continuous) antenna counts N_A^l, with the analytic gradient.
 *
 * J(x, y, v, θ_u) = Σ_l G_lᵀ K_l G_l, where G_l is the corrected 3×4 local Jacobian (model notes)
 * and K_l the local FIM over (τ, sin θ, f_D) (unknown α: diagonal; known α: (7)-(12)·scale).
 * `exact` inverts the joint 4×4 J; `paper` zeroes the cross blocks, i.e.
 * CRB_p = [Σ_l P_l J_l P_lᵀ]⁻¹ and CRB_a = [Σ_l T_l J_l T_lᵀ]⁻¹ (Theorems 1-2, corrected P, T),
 * never forming the 3L×3L matrix.
 *
 * Gradient: with W = J⁻¹ S J⁻¹ (S selects the (x, y) or (v, θ_u) block),
 * ∂ tr(S J⁻¹)/∂z = −tr(W ∂J/∂z) = −Σ_l [2 Σ (K_l G_l W) ⊙ ∂G_l/∂z + Σ (G_l W G_lᵀ) ⊙ ∂K_l/∂z].
 * ∂G_l/∂c_l = −∂G_l/∂(x_u, y_u); ∂K_l/∂c_l = K_l ∂ln SNR_l/∂c_l (radar path loss: 4(c_u − c_l)/η²).
 *
 * No allocation per call once the buffers have grown to the largest L seen.
 * One instance is not re-entrant (it keeps its last results in `fim`, `crb`).
 */
export class CrbKernel {
  readonly variant: Readonly<CrbVariant>;
  /** J (4×4 row-major) of the last evaluation; in decoupled coupling its cross blocks are 0 */
  readonly fim = new Float64Array(16);
  /** CRB = J⁻¹ (4×4 row-major) of the last successful evaluation */
  readonly crb = new Float64Array(16);
  /** status of the last evaluation */
  status: KernelStatus = KernelStatus.Ok;
  /** AP or parameter index that the status refers to, else −1 */
  index = -1;
  /** which block failed in decoupled coupling: 'p', 'a', or '' (joint) */
  block: '' | 'p' | 'a' = '';
  /** reciprocal condition number of the (equilibrated) FIM; the min over blocks when decoupled */
  rcond = 0;

  private readonly sys: SystemParams;
  private readonly snrBase: number;
  private readonly radar: boolean;
  private readonly r0: number;
  private readonly terms = newPairTerms();
  private cap = 0;
  private g = new Float64Array(0);
  private kg = new Float64Array(0);
  private k = new Float64Array(0);
  private dk = new Float64Array(0);
  private lnSnrX = new Float64Array(0);
  private lnSnrY = new Float64Array(0);
  private readonly wP = new Float64Array(16);
  private readonly wA = new Float64Array(16);
  private readonly dGx = new Float64Array(12);
  private readonly dGy = new Float64Array(12);

  constructor(
    system: SystemParams,
    snr: SnrSpec,
    variant: 'exact' | 'paper' | Readonly<CrbVariant> = 'exact',
  ) {
    this.sys = system;
    this.variant = variant === 'exact' ? EXACT_VARIANT : variant === 'paper' ? PAPER_VARIANT : variant;
    this.snrBase = Math.pow(10, snr.db / 10);
    this.radar = snr.pathLoss === 'radar';
    this.r0 = snr.referenceRangeM;
  }

  /**
   * Evaluates the bound of a target at (x, y) with `speed` and `heading` seen by L APs.
   * `apXY` = [x_1, y_1, ..., x_L, y_L] (m), `antennas` = [N_A^1..N_A^L] (real, ≥ 1); L = antennas.length.
   * Writes out[0] = tr CRB_p (m²), out[1] = tr CRB_a ((m/s)² + rad²) and, when given, the gradients
   * gradP, gradA (length 3L, layout z = [x_1, y_1, ..., x_L, y_L, N_A^1..N_A^L] as in Section III).
   * Returns true on success. On false (see `status`) out = [Infinity, Infinity] and the gradients
   * are 0: a singular FIM, never NaN.
   */
  evaluate(
    apXY: ArrayLike<number>,
    antennas: ArrayLike<number>,
    x: number,
    y: number,
    speed: number,
    heading: number,
    out?: Float64Array,
    gradP?: Float64Array,
    gradA?: Float64Array,
  ): boolean {
    const nAps = antennas.length;
    this.ensure(nAps);
    const { sys, variant, terms, g, kg, k, dk } = this;
    const wantGrad = gradP !== undefined || gradA !== undefined;
    const ch = Math.cos(heading);
    const sh = Math.sin(heading);
    const J = this.fim;
    J.fill(0);
    this.index = -1;
    this.block = '';
    for (let l = 0; l < nAps; l++) {
      const na = antennas[l] as number;
      const ax = apXY[2 * l] as number;
      const ay = apXY[2 * l + 1] as number;
      if (!(na >= 1) || !Number.isFinite(na) || !Number.isFinite(ax) || !Number.isFinite(ay)) {
        return this.fail(KernelStatus.InvalidInput, l, out, gradP, gradA);
      }
      pairTerms(ax, ay, x, y, speed, ch, sh, sys.carrierHz, terms);
      if (!(terms.r > 0)) return this.fail(KernelStatus.Coincident, l, out, gradP, gradA);
      const ratio = this.r0 / terms.r;
      const snr = this.radar ? this.snrBase * ratio * ratio * ratio * ratio : this.snrBase;
      const o9 = 9 * l;
      const o12 = 12 * l;
      if (variant.amplitude === 'unknown')
        localFimUnknown(snr, na, sys, variant.scale, k, o9, wantGrad ? dk : undefined);
      else localFimKnown(snr, na, sys, variant.indexBase, variant.scale, k, o9, wantGrad ? dk : undefined);
      localJacobian(terms, speed, sys.carrierHz, g, o12);
      const r2 = terms.r * terms.r;
      this.lnSnrX[l] = this.radar ? (4 * terms.dx) / r2 : 0;
      this.lnSnrY[l] = this.radar ? (4 * terms.dy) / r2 : 0;
      // KG = K G (3×4), J += Gᵀ KG (lower triangle)
      for (let a = 0; a < 3; a++) {
        const k0 = k[o9 + 3 * a] as number;
        const k1 = k[o9 + 3 * a + 1] as number;
        const k2 = k[o9 + 3 * a + 2] as number;
        for (let i = 0; i < 4; i++) {
          kg[o12 + 4 * a + i] =
            k0 * (g[o12 + i] as number) + k1 * (g[o12 + 4 + i] as number) + k2 * (g[o12 + 8 + i] as number);
        }
      }
      for (let i = 0; i < 4; i++) {
        const g0 = g[o12 + i] as number;
        const g1 = g[o12 + 4 + i] as number;
        const g2 = g[o12 + 8 + i] as number;
        for (let j = 0; j <= i; j++) {
          J[4 * i + j] =
            (J[4 * i + j] as number) +
            g0 * (kg[o12 + j] as number) +
            g1 * (kg[o12 + 4 + j] as number) +
            g2 * (kg[o12 + 8 + j] as number);
        }
      }
    }
    for (let i = 0; i < 4; i++) for (let j = 0; j < i; j++) J[4 * j + i] = J[4 * i + j] as number;
    const C = this.crb;
    if (variant.coupling === 'decoupled') {
      for (let i = 0; i < 2; i++) {
        for (let j = 2; j < 4; j++) {
          J[4 * i + j] = 0;
          J[4 * j + i] = 0;
        }
      }
      const sp = spdInverse(J, 2, C, 0, 0, 4);
      const rp = spdLast.rcond;
      if (sp !== SpdStatus.Ok) return this.failSpd(sp, spdLast.index, 'p', out, gradP, gradA);
      const sa = spdInverse(J, 2, C, 10, 10, 4);
      if (sa !== SpdStatus.Ok) return this.failSpd(sa, spdLast.index + 2, 'a', out, gradP, gradA);
      this.rcond = Math.min(rp, spdLast.rcond);
      C[2] = C[3] = C[6] = C[7] = C[8] = C[9] = C[12] = C[13] = 0;
    } else {
      const s = spdInverse(J, 4, C);
      if (s !== SpdStatus.Ok) return this.failSpd(s, spdLast.index, '', out, gradP, gradA);
      this.rcond = spdLast.rcond;
    }
    this.status = KernelStatus.Ok;
    if (out) {
      out[0] = (C[0] as number) + (C[5] as number);
      out[1] = (C[10] as number) + (C[15] as number);
    }
    if (wantGrad) this.gradient(apXY, nAps, x, y, speed, ch, sh, gradP, gradA);
    return true;
  }

  /** W = C S C for the block starting at parameter `b0` (2 parameters). */
  private blockWeight(b0: number, w: Float64Array): void {
    const C = this.crb;
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) {
        w[4 * i + j] =
          (C[4 * i + b0] as number) * (C[4 * b0 + j] as number) +
          (C[4 * i + b0 + 1] as number) * (C[4 * (b0 + 1) + j] as number);
      }
    }
  }

  private gradient(
    apXY: ArrayLike<number>,
    nAps: number,
    x: number,
    y: number,
    speed: number,
    ch: number,
    sh: number,
    gradP: Float64Array | undefined,
    gradA: Float64Array | undefined,
  ): void {
    const { sys, terms, g, kg, dk, dGx, dGy, wP, wA } = this;
    if (gradP) this.blockWeight(0, wP);
    if (gradA) this.blockWeight(2, wA);
    for (let l = 0; l < nAps; l++) {
      pairTerms(apXY[2 * l] as number, apXY[2 * l + 1] as number, x, y, speed, ch, sh, sys.carrierHz, terms);
      localJacobianPositionDerivatives(terms, speed, sys.carrierHz, dGx, dGy);
      const o12 = 12 * l;
      const o9 = 9 * l;
      for (let which = 0; which < 2; which++) {
        const grad = which === 0 ? gradP : gradA;
        if (!grad) continue;
        const w = which === 0 ? wP : wA;
        // H = KG W (3×4): Σ H⊙∂G/∂x_u, Σ H⊙∂G/∂y_u, Σ H⊙G (= tr(W Gᵀ K G)); M = G W Gᵀ for ∂K/∂N
        let hx = 0;
        let hy = 0;
        let hg = 0;
        let mdk = 0;
        for (let a = 0; a < 3; a++) {
          for (let i = 0; i < 4; i++) {
            let h = 0;
            let gw = 0;
            for (let j = 0; j < 4; j++) {
              const wij = w[4 * j + i] as number;
              h += (kg[o12 + 4 * a + j] as number) * wij;
              gw += (g[o12 + 4 * a + j] as number) * wij;
            }
            const idx = 4 * a + i;
            hx += h * (dGx[idx] as number);
            hy += h * (dGy[idx] as number);
            hg += h * (g[o12 + idx] as number);
            // (G W) row a, column i times G row b, column i → M[a][b]; contract with dK[a][b]
            for (let bb = 0; bb < 3; bb++)
              mdk += gw * (g[o12 + 4 * bb + i] as number) * (dk[o9 + 3 * a + bb] as number);
          }
        }
        // ∂/∂x_l = −[2 Σ H⊙(−∂G/∂x_u) + (∂ln SNR/∂x_l) Σ H⊙G]
        grad[2 * l] = 2 * hx - (this.lnSnrX[l] as number) * hg;
        grad[2 * l + 1] = 2 * hy - (this.lnSnrY[l] as number) * hg;
        grad[2 * nAps + l] = -mdk;
      }
    }
  }

  private failSpd(
    s: SpdStatus,
    index: number,
    block: '' | 'p' | 'a',
    out?: Float64Array,
    gradP?: Float64Array,
    gradA?: Float64Array,
  ): false {
    this.block = block;
    const st =
      s === SpdStatus.ZeroDiagonal
        ? KernelStatus.NoInformation
        : s === SpdStatus.IllConditioned
          ? KernelStatus.IllConditioned
          : KernelStatus.Singular;
    this.rcond = spdLast.rcond;
    return this.fail(st, index, out, gradP, gradA);
  }

  private fail(
    status: KernelStatus,
    index: number,
    out?: Float64Array,
    gradP?: Float64Array,
    gradA?: Float64Array,
  ): false {
    this.status = status;
    this.index = index;
    if (status === KernelStatus.Coincident || status === KernelStatus.InvalidInput) this.rcond = 0;
    if (out) {
      out[0] = Infinity;
      out[1] = Infinity;
    }
    gradP?.fill(0);
    gradA?.fill(0);
    return false;
  }

  private ensure(nAps: number): void {
    if (nAps <= this.cap) return;
    this.cap = nAps;
    this.g = new Float64Array(12 * nAps);
    this.kg = new Float64Array(12 * nAps);
    this.k = new Float64Array(9 * nAps);
    this.dk = new Float64Array(9 * nAps);
    this.lnSnrX = new Float64Array(nAps);
    this.lnSnrY = new Float64Array(nAps);
  }
}
