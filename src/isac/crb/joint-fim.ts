import { pivotedCholesky } from '../../math/pivoted-cholesky.js';
import type { SnrSpec, SystemParams } from '../scenario-types.js';
import { BASIS, derivativeScales, gramBlock } from './joint-gram.js';
import { localJacobian } from './local-jacobian.js';
import { newPairTerms, pairTerms } from './pair-terms.js';

/** Targets packed for the joint FIM: per target u, (x, y, v, θ_u) at 4u..4u+3. */
export type PackedTargets = Float64Array;

/** Relative pivot below which an echo is taken as a linear combination of earlier ones at an AP. */
const ECHO_PIVOT_MIN = 1e-10;

/**
 * Fisher information of all targets' ψ_u = (x_u, y_u, v_u, θ_u) with one unknown complex amplitude
 * per (AP, target) on the full model of eq. (1) (model notes, "The joint (multi-target) CRB"):
 * per AP, y_l = Σ_u α_{l,u} s_l(ψ_u) + z_l, z ~ CN(0, σ²), |α_{l,u}|² = SNR_l(r_{l,u}) σ².
 *
 *   J = Σ_l (2/σ²) Re(D_lᴴ P⊥_{B_l} D_l),
 *
 * B_l = [s_l(ψ_1) .. s_l(ψ_U)] (the amplitude directions; the Schur complement over Re/Im α is the
 * projection onto the orthogonal complement of their complex span), D_l the 4U derivative columns
 * ∂μ_l/∂ψ_u = α_{l,u} Σ_η G_{l,u}[η, ·] ∂s/∂η (G the corrected local Jacobian of the model notes).
 * Every Gram entry is a product of three 1-D sums (joint-gram.ts). Echoes that coincide at an AP
 * (equal delay, angle and Doppler) make B_l rank-deficient: the projection is then onto the span of
 * the independent ones (pivoted Cholesky), which is the Schur complement of the identifiable part.
 *
 * Antenna counts must be integers here. No allocation per call once grown to the largest (L, U).
 */
export class JointFim {
  /** J, 4U×4U row-major, of the last evaluation */
  fim = new Float64Array(0);
  /** U of the last evaluation */
  targets = 0;
  /** the last evaluation failed because a target sits on AP `coincidentAp` (else −1) */
  coincidentAp = -1;
  /** per AP of the last evaluation: the number of echoes found linearly dependent on others */
  readonly dependentEchoes: number[] = [];

  private readonly sys: SystemParams;
  private readonly snrBase: number;
  private readonly radar: boolean;
  private readonly r0: number;
  private readonly scales: [number, number, number];
  private readonly terms = newPairTerms();
  private capU = 0;
  private om = new Float64Array(0); // per target: ω_d, ω_a, ω_f
  private g = new Float64Array(0); // per target: 3×4 Jacobian
  private al = new Float64Array(0); // per target: α re, im
  private gram = new Float64Array(0); // per pair (u, v), u ≤ v: 4×4 complex
  private bb = new Float64Array(0); // U×U complex
  private q = new Float64Array(0); // U×4U complex
  private dd = new Float64Array(0); // 4U×4U complex
  private ch = new Float64Array(0); // U×U complex Cholesky factor
  private keep = new Uint8Array(0);
  private readonly coef = new Float64Array(2 * BASIS * 4);

  /** `closedFormSums`: steering sums in closed form (O(1) each; the placement objective's choice, see gramBlock). */
  constructor(
    system: SystemParams,
    snr: SnrSpec,
    private readonly closedFormSums = false,
  ) {
    this.sys = system;
    this.snrBase = Math.pow(10, snr.db / 10);
    this.radar = snr.pathLoss === 'radar';
    this.r0 = snr.referenceRangeM;
    this.scales = derivativeScales(
      system.subcarrierSpacingHz,
      system.antennaSpacingWavelengths,
      system.symbolDurationS,
    );
  }

  /**
   * Builds J for targets `psi` (4 per target) seen by APs at `apXY` = [x_1, y_1, ...] with integer
   * antenna counts `antennas`; `phase(l, u)` gives arg α_{l,u} (rad) with |α_{l,u}|² = SNR_l(r_{l,u}), or
   * `amplitudes[l]` (interleaved per target, in units of σ) gives α directly. Returns false when a target
   * sits on an AP (`coincidentAp`).
   */
  evaluate(
    apXY: ArrayLike<number>,
    antennas: ArrayLike<number>,
    psi: PackedTargets,
    phase: (l: number, u: number) => number,
    amplitudes?: readonly Float64Array[],
  ): boolean {
    const nU = psi.length >> 2;
    this.ensure(nU);
    this.targets = nU;
    this.coincidentAp = -1;
    this.dependentEchoes.length = 0;
    const n4 = 4 * nU;
    const J = this.fim;
    J.fill(0);
    const { sys, terms, om, g, al } = this;
    const tw = 2 * Math.PI;
    for (let l = 0; l < antennas.length; l++) {
      const ax = apXY[2 * l] as number;
      const ay = apXY[2 * l + 1] as number;
      const na = antennas[l] as number;
      for (let u = 0; u < nU; u++) {
        const speed = psi[4 * u + 2] as number;
        const heading = psi[4 * u + 3] as number;
        pairTerms(
          ax,
          ay,
          psi[4 * u] as number,
          psi[4 * u + 1] as number,
          speed,
          Math.cos(heading),
          Math.sin(heading),
          sys.carrierHz,
          terms,
        );
        if (!(terms.r > 0)) {
          this.coincidentAp = l;
          return false;
        }
        om[3 * u] = -tw * sys.subcarrierSpacingHz * terms.tau;
        om[3 * u + 1] = tw * sys.antennaSpacingWavelengths * terms.sinAoa;
        om[3 * u + 2] = tw * sys.symbolDurationS * terms.fd;
        localJacobian(terms, speed, sys.carrierHz, g, 12 * u);
        if (amplitudes) {
          al[2 * u] = (amplitudes[l] as Float64Array)[2 * u] as number;
          al[2 * u + 1] = (amplitudes[l] as Float64Array)[2 * u + 1] as number;
          continue;
        }
        const ratio = this.r0 / terms.r;
        const mag = Math.sqrt(this.radar ? this.snrBase * ratio * ratio * ratio * ratio : this.snrBase);
        const ph = phase(l, u);
        al[2 * u] = mag * Math.cos(ph);
        al[2 * u + 1] = mag * Math.sin(ph);
      }
      this.apGrams(nU, na);
      this.apBlocks(nU);
      this.dependentEchoes.push(this.schurInto(nU, n4, J));
    }
    for (let i = 0; i < n4; i++) for (let j = 0; j < i; j++) J[n4 * j + i] = J[n4 * i + j] as number;
    return true;
  }

  /** Γ_uv for u ≤ v at the current AP. */
  private apGrams(nU: number, na: number): void {
    const { om, sys } = this;
    for (let u = 0; u < nU; u++) {
      for (let v = u; v < nU; v++) {
        gramBlock(
          (om[3 * v] as number) - (om[3 * u] as number),
          (om[3 * v + 1] as number) - (om[3 * u + 1] as number),
          (om[3 * v + 2] as number) - (om[3 * u + 2] as number),
          sys.subcarriers,
          na,
          sys.symbols,
          this.scales,
          this.gram,
          this.pairOffset(u, v, nU),
          this.closedFormSums,
        );
      }
    }
  }

  private pairOffset(u: number, v: number, nU: number): number {
    return 32 * (u * nU + v);
  }

  /** Γ_ab[i][j] (complex) for any a, b via Γ_ba = Γ_abᴴ. */
  private gam(a: number, b: number, i: number, j: number, nU: number, out: [number, number]): void {
    if (a <= b) {
      const o = this.pairOffset(a, b, nU) + 2 * (BASIS * i + j);
      out[0] = this.gram[o] as number;
      out[1] = this.gram[o + 1] as number;
    } else {
      const o = this.pairOffset(b, a, nU) + 2 * (BASIS * j + i);
      out[0] = this.gram[o] as number;
      out[1] = -(this.gram[o + 1] as number);
    }
  }

  /** BᴴB, Q = BᴴD and DᴴD at the current AP. */
  private apBlocks(nU: number): void {
    const { bb, q, dd, g, al, coef } = this;
    const n4 = 4 * nU;
    const z: [number, number] = [0, 0];
    for (let v = 0; v < nU; v++) {
      for (let u = 0; u < nU; u++) {
        this.gam(v, u, 0, 0, nU, z);
        bb[2 * (nU * v + u)] = z[0];
        bb[2 * (nU * v + u) + 1] = z[1];
        const ar = al[2 * u] as number;
        const ai = al[2 * u + 1] as number;
        for (let k = 0; k < 4; k++) {
          let sr = 0;
          let si = 0;
          for (let i = 1; i < BASIS; i++) {
            this.gam(v, u, 0, i, nU, z);
            const gk = g[12 * u + 4 * (i - 1) + k] as number;
            sr += z[0] * gk;
            si += z[1] * gk;
          }
          q[2 * (n4 * v + 4 * u + k)] = ar * sr - ai * si;
          q[2 * (n4 * v + 4 * u + k) + 1] = ar * si + ai * sr;
        }
      }
    }
    for (let u = 0; u < nU; u++) {
      for (let v = 0; v <= u; v++) {
        // coef[i][k'] = Σ_j Γ_uv[i][j] G_v[j−1][k'] (i = 1..3)
        for (let i = 1; i < BASIS; i++) {
          for (let kp = 0; kp < 4; kp++) {
            let sr = 0;
            let si = 0;
            for (let j = 1; j < BASIS; j++) {
              this.gam(u, v, i, j, nU, z);
              const gk = g[12 * v + 4 * (j - 1) + kp] as number;
              sr += z[0] * gk;
              si += z[1] * gk;
            }
            coef[2 * (4 * i + kp)] = sr;
            coef[2 * (4 * i + kp) + 1] = si;
          }
        }
        // conj(α_u) α_v
        const ur = al[2 * u] as number;
        const ui = al[2 * u + 1] as number;
        const vr = al[2 * v] as number;
        const vi = al[2 * v + 1] as number;
        const wr = ur * vr + ui * vi;
        const wi = ur * vi - ui * vr;
        for (let k = 0; k < 4; k++) {
          for (let kp = 0; kp < 4; kp++) {
            let sr = 0;
            let si = 0;
            for (let i = 1; i < BASIS; i++) {
              const gk = g[12 * u + 4 * (i - 1) + k] as number;
              sr += gk * (coef[2 * (4 * i + kp)] as number);
              si += gk * (coef[2 * (4 * i + kp) + 1] as number);
            }
            const o = 2 * (n4 * (4 * u + k) + 4 * v + kp);
            dd[o] = wr * sr - wi * si;
            dd[o + 1] = wr * si + wi * sr;
          }
        }
      }
    }
  }

  /**
   * J += 2 Re(DᴴD − Xᴴ X), X = L⁻¹ Q with BᴴB = L Lᴴ (pivoted: dependent echoes dropped).
   * Fills the lower triangle of J. Returns the number of dropped echoes.
   */
  private schurInto(nU: number, n4: number, J: Float64Array): number {
    const { bb, q, dd, ch, keep } = this;
    // complex Cholesky of BᴴB (lower), dropping dependent columns
    const dropped = pivotedCholesky(bb, nU, ECHO_PIVOT_MIN, ch, keep);
    // X = L⁻¹ Q by forward substitution (in place in q; dropped rows set to 0)
    for (let c = 0; c < n4; c++) {
      for (let i = 0; i < nU; i++) {
        if (keep[i] === 0) {
          q[2 * (n4 * i + c)] = 0;
          q[2 * (n4 * i + c) + 1] = 0;
          continue;
        }
        let sr = q[2 * (n4 * i + c)] as number;
        let si = q[2 * (n4 * i + c) + 1] as number;
        for (let k = 0; k < i; k++) {
          if (keep[k] === 0) continue;
          const lr = ch[2 * (nU * i + k)] as number;
          const li = ch[2 * (nU * i + k) + 1] as number;
          const xr = q[2 * (n4 * k + c)] as number;
          const xi = q[2 * (n4 * k + c) + 1] as number;
          sr -= lr * xr - li * xi;
          si -= lr * xi + li * xr;
        }
        const lii = ch[2 * (nU * i + i)] as number;
        q[2 * (n4 * i + c)] = sr / lii;
        q[2 * (n4 * i + c) + 1] = si / lii;
      }
    }
    // J[a][b] += 2 Re(DD[a][b] − Σ_i conj(X[i][a]) X[i][b]), lower triangle
    for (let a = 0; a < n4; a++) {
      for (let b = 0; b <= a; b++) {
        // DD stored for block (u ≥ v) of rows a; entry (a, b) with block(a) ≥ block(b) or same block
        let re: number;
        const ua = a >> 2;
        const ub = b >> 2;
        if (ua >= ub) re = dd[2 * (n4 * a + b)] as number;
        else re = dd[2 * (n4 * b + a)] as number; // Re of the conjugate is the same
        for (let i = 0; i < nU; i++) {
          const xar = q[2 * (n4 * i + a)] as number;
          const xai = q[2 * (n4 * i + a) + 1] as number;
          const xbr = q[2 * (n4 * i + b)] as number;
          const xbi = q[2 * (n4 * i + b) + 1] as number;
          re -= xar * xbr + xai * xbi;
        }
        J[n4 * a + b] = (J[n4 * a + b] as number) + 2 * re;
      }
    }
    return dropped;
  }

  private ensure(nU: number): void {
    const n4 = 4 * nU;
    if (this.fim.length !== n4 * n4) this.fim = new Float64Array(n4 * n4);
    if (nU <= this.capU) return;
    this.capU = nU;
    this.om = new Float64Array(3 * nU);
    this.g = new Float64Array(12 * nU);
    this.al = new Float64Array(2 * nU);
    this.gram = new Float64Array(32 * nU * nU);
    this.bb = new Float64Array(2 * nU * nU);
    this.q = new Float64Array(2 * nU * 4 * nU);
    this.dd = new Float64Array(2 * 16 * nU * nU);
    this.ch = new Float64Array(2 * nU * nU);
    this.keep = new Uint8Array(nU);
  }
}
