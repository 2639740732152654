import { pivotedCholesky } from '../../math/pivoted-cholesky.js';
import { realCholesky, realCholeskySolve } from '../../math/real-cholesky.js';
import { JointFim } from '../crb/joint-fim.js';
import { BASIS, derivativeScales, gramBlock } from '../crb/joint-gram.js';
import { localJacobian } from '../crb/local-jacobian.js';
import { newPairTerms, pairTerms } from '../crb/pair-terms.js';
import type { EchoTensor } from '../echo-model.js';
import type { Ap, SystemParams } from '../scenario-types.js';
import { projectEcho } from './contraction.js';

/** What a refinement did. */
export interface RefineStats {
  /** full projections of one echo hypothesis onto one AP's tensor (each one pass over N_A N_c M samples) */
  passes: number;
  /** accepted Gauss-Newton / Levenberg-Marquardt steps */
  steps: number;
}

/**
 * Joint maximum likelihood of all targets' ψ_u = (x, y, v, θ_u) on the raw echoes of every AP
 * (model of eq. (1), model notes "The joint (multi-target) CRB"), with one complex amplitude per
 * (AP, target) concentrated out: per AP α_l = (B_lᴴB_l)⁻¹ B_lᴴ y_l and the likelihood is the
 * projected energy E(ψ) = Σ_l y_lᴴ P_{B_l} y_l / σ_l² (maximised). The data enter only through the
 * projections c_{l,u} = ⟨[s, ∂_τ s, ∂_s s, ∂_f s], y_l⟩ (contraction.ts, three contractions each);
 * everything else is the separable Gram algebra of the joint CRB (joint-gram.ts), so the other
 * targets are "subtracted" in closed form, never by forming residual tensors.
 *
 * Steps (Kaufman's variable projection): δ = (J + λ diag J)⁻¹ g with J = Σ_l 2 Re(D_lᴴ P⊥ D_l)
 * (the joint FIM at the current amplitudes) and g = Σ_l 2 Re(D_lᴴ r_l), r_l = y_l − B_l α_l;
 * a step is kept only if E increases (else λ grows). `cyclic` updates one target at a time with the
 * others fixed (SAGE/RELAX style: only that target's projections are recomputed); `joint` moves all.
 */
export class JointRefiner {
  /** ψ, 4 per target */
  psi = new Float64Array(0);
  /** per AP: α (interleaved per target), data units */
  alpha: Float64Array[] = [];
  /** E(ψ) of the current point */
  energy = -Infinity;
  readonly stats: RefineStats = { passes: 0, steps: 0 };

  private readonly L: number;
  private readonly apXY: Float64Array;
  private readonly antennas: Float64Array;
  private readonly scales: [number, number, number];
  private readonly fim: JointFim;
  private readonly terms = newPairTerms();
  private readonly invSigma2: Float64Array;
  private U = 0;
  private om = new Float64Array(0); // (l, u): ω_d, ω_a, ω_f
  private g = new Float64Array(0); // (l, u): 3×4
  private c = new Float64Array(0); // (l, u): 8 (4 complex projections)
  private gram = new Float64Array(0); // (l, u, v) u ≤ v: 32
  private readonly proj = new Float64Array(8);

  constructor(
    private readonly echoes: readonly EchoTensor[],
    aps: readonly Ap[],
    private readonly sys: SystemParams,
    private readonly box?: { lower: [number, number]; upper: [number, number]; speedMax: number },
  ) {
    this.L = aps.length;
    this.apXY = Float64Array.from(aps.flatMap((a) => a.position));
    this.antennas = Float64Array.from(aps.map((a) => a.antennas));
    this.scales = derivativeScales(
      sys.subcarrierSpacingHz,
      sys.antennaSpacingWavelengths,
      sys.symbolDurationS,
    );
    this.invSigma2 = Float64Array.from(echoes.map((e) => 1 / e.noiseVariance));
    // the FIM's SNR scaling is not used: amplitudes are passed explicitly
    this.fim = new JointFim(sys, { db: 0, referenceRangeM: 1, pathLoss: 'none' });
  }

  /** Sets the targets (4 per target) and evaluates E there. */
  set(psi: Float64Array): number {
    this.U = psi.length >> 2;
    this.psi = Float64Array.from(psi);
    const U = this.U;
    const L = this.L;
    this.om = new Float64Array(3 * L * U);
    this.g = new Float64Array(12 * L * U);
    this.c = new Float64Array(8 * L * U);
    this.gram = new Float64Array(32 * L * U * U);
    this.alpha = Array.from({ length: L }, () => new Float64Array(2 * U));
    for (let u = 0; u < U; u++) this.update(u);
    this.energy = this.solve();
    return this.energy;
  }

  get count(): number {
    return this.U;
  }

  /** Per AP the (ω_d, ω_a, ω_f) of every target (3 per target), copies. */
  omegasPerAp(): Float64Array[] {
    return Array.from({ length: this.L }, (_, l) => this.om.slice(3 * l * this.U, 3 * (l + 1) * this.U));
  }

  /** Geometry and projections of target u at every AP (one pass per AP). */
  private update(u: number): void {
    const { sys, terms, psi } = this;
    const speed = psi[4 * u + 2] as number;
    const heading = psi[4 * u + 3] as number;
    const ch = Math.cos(heading);
    const sh = Math.sin(heading);
    const tw = 2 * Math.PI;
    for (let l = 0; l < this.L; l++) {
      pairTerms(
        this.apXY[2 * l] as number,
        this.apXY[2 * l + 1] as number,
        psi[4 * u] as number,
        psi[4 * u + 1] as number,
        speed,
        ch,
        sh,
        sys.carrierHz,
        terms,
      );
      const k = l * this.U + u;
      const wd = -tw * sys.subcarrierSpacingHz * terms.tau;
      const wa = tw * sys.antennaSpacingWavelengths * terms.sinAoa;
      const wf = tw * sys.symbolDurationS * terms.fd;
      this.om[3 * k] = wd;
      this.om[3 * k + 1] = wa;
      this.om[3 * k + 2] = wf;
      localJacobian(terms, speed, sys.carrierHz, this.g, 12 * k);
      projectEcho(this.echoes[l] as EchoTensor, wa, wd, wf, this.scales, this.proj);
      this.c.set(this.proj, 8 * k);
      this.stats.passes++;
    }
  }

  /** Grams, amplitudes and E at the current geometry. */
  private solve(): number {
    const { U, L, om, gram, c } = this;
    let energy = 0;
    const bb = new Float64Array(2 * U * U);
    const rhs = new Float64Array(2 * U);
    for (let l = 0; l < L; l++) {
      const na = this.antennas[l] as number;
      for (let u = 0; u < U; u++) {
        for (let v = u; v < U; v++) {
          const ku = 3 * (l * U + u);
          const kv = 3 * (l * U + v);
          gramBlock(
            (om[kv] as number) - (om[ku] as number),
            (om[kv + 1] as number) - (om[ku + 1] as number),
            (om[kv + 2] as number) - (om[ku + 2] as number),
            this.sys.subcarriers,
            na,
            this.sys.symbols,
            this.scales,
            gram,
            32 * ((l * U + u) * U + v),
          );
        }
      }
      for (let u = 0; u < U; u++) {
        for (let v = 0; v < U; v++) {
          const o = u <= v ? 32 * ((l * U + u) * U + v) : 32 * ((l * U + v) * U + u);
          bb[2 * (U * u + v)] = gram[o] as number;
          bb[2 * (U * u + v) + 1] = u <= v ? (gram[o + 1] as number) : -(gram[o + 1] as number);
        }
        rhs[2 * u] = c[8 * (l * U + u)] as number;
        rhs[2 * u + 1] = c[8 * (l * U + u) + 1] as number;
      }
      const a = this.alpha[l] as Float64Array;
      hermitianSolve(bb, rhs, U, a);
      let e = 0;
      for (let u = 0; u < U; u++)
        e +=
          (rhs[2 * u] as number) * (a[2 * u] as number) +
          (rhs[2 * u + 1] as number) * (a[2 * u + 1] as number);
      energy += e * (this.invSigma2[l] as number);
    }
    return energy;
  }

  /** Γ_uv[i][0] at AP l (complex) into z. */
  private gamma(l: number, u: number, v: number, i: number, z: [number, number]): void {
    const U = this.U;
    if (u <= v) {
      const o = 32 * ((l * U + u) * U + v) + 2 * (BASIS * i);
      z[0] = this.gram[o] as number;
      z[1] = this.gram[o + 1] as number;
    } else {
      // Γ_uv[i][0] = conj(Γ_vu[0][i])
      const o = 32 * ((l * U + v) * U + u) + 2 * i;
      z[0] = this.gram[o] as number;
      z[1] = -(this.gram[o + 1] as number);
    }
  }

  /** Gradient g (length 4U) of E (σ-weighted), at the current point. */
  private gradient(out: Float64Array): void {
    const { U, L, g, c } = this;
    out.fill(0);
    const z: [number, number] = [0, 0];
    for (let l = 0; l < L; l++) {
      const a = this.alpha[l] as Float64Array;
      const w = 2 * (this.invSigma2[l] as number);
      for (let u = 0; u < U; u++) {
        const k = l * U + u;
        const aur = a[2 * u] as number;
        const aui = a[2 * u + 1] as number;
        for (let i = 1; i < BASIS; i++) {
          // ρ_i = c^i − Σ_v α_v Γ_uv[i][0] = ⟨e_u^i, r_l⟩
          let rr = c[8 * k + 2 * i] as number;
          let ri = c[8 * k + 2 * i + 1] as number;
          for (let v = 0; v < U; v++) {
            this.gamma(l, u, v, i, z);
            const avr = a[2 * v] as number;
            const avi = a[2 * v + 1] as number;
            rr -= avr * z[0] - avi * z[1];
            ri -= avr * z[1] + avi * z[0];
          }
          // Re(conj(α_u) ρ_i)
          const re = aur * rr + aui * ri;
          for (let kk = 0; kk < 4; kk++)
            out[4 * u + kk] = (out[4 * u + kk] as number) + w * (g[12 * k + 4 * (i - 1) + kk] as number) * re;
        }
      }
    }
  }

  /** J at the current amplitudes (σ-weighted amplitudes: α/σ). */
  private normalMatrix(): Float64Array {
    const scaled = this.alpha.map((a, l) => a.map((x) => x * Math.sqrt(this.invSigma2[l] as number)));
    this.fim.evaluate(this.apXY, this.antennas, this.psi, () => 0, scaled);
    return this.fim.fim;
  }

  /**
   * Levenberg-Marquardt iterations on the targets in `which` (all when undefined), at most
   * `maxSteps` accepted steps; stops when the Newton decrement gᵀδ (the predicted gain of E, in
   * units of the noise variance) is below `tol`. Returns E.
   */
  iterate(maxSteps: number, which?: number, tol = 0.05): number {
    const U = this.U;
    if (U === 0) return this.energy;
    const n4 = 4 * U;
    const grad = new Float64Array(n4);
    let lambda = 1e-3;
    for (let step = 0; step < maxSteps; step++) {
      this.gradient(grad);
      const J = this.normalMatrix();
      const idx =
        which === undefined
          ? Array.from({ length: n4 }, (_, i) => i)
          : [0, 1, 2, 3].map((i) => 4 * which + i);
      const n = idx.length;
      let accepted = false;
      for (let tries = 0; tries < 8 && !accepted; tries++) {
        const A = new Float64Array(n * n);
        const b = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          b[i] = grad[idx[i] as number] as number;
          for (let j = 0; j < n; j++)
            A[n * i + j] = J[n4 * (idx[i] as number) + (idx[j] as number)] as number;
          A[n * i + i] = (A[n * i + i] as number) * (1 + lambda) + 1e-300;
        }
        const d = solveSpd(A, b, n);
        if (!d) {
          lambda *= 10;
          continue;
        }
        // Newton decrement dᵀ J d ~ expected energy gain; stop when tiny
        let dec = 0;
        for (let i = 0; i < n; i++) dec += (d[i] as number) * (b[i] as number);
        const old = Float64Array.from(this.psi);
        const oldAlpha = this.alpha.map((a) => Float64Array.from(a));
        const oldC = Float64Array.from(this.c);
        const oldOm = Float64Array.from(this.om);
        const oldG = Float64Array.from(this.g);
        for (let i = 0; i < n; i++)
          this.psi[idx[i] as number] = (this.psi[idx[i] as number] as number) + (d[i] as number);
        const moved = which === undefined ? Array.from({ length: U }, (_, u) => u) : [which];
        for (const u of moved) {
          this.normalise(u);
          this.update(u);
        }
        const e = this.solve();
        if (e >= this.energy) {
          this.energy = e;
          this.stats.steps++;
          accepted = true;
          lambda = Math.max(lambda / 10, 1e-6);
          if (dec < tol) return this.energy;
        } else {
          this.psi = old;
          this.alpha = oldAlpha;
          this.c = oldC;
          this.om = oldOm;
          this.g = oldG;
          this.solve();
          lambda *= 10;
        }
      }
      if (!accepted) break;
    }
    return this.energy;
  }

  /** speed ≥ 0 (a negative speed is the opposite heading), heading in (−π, π], position in the box. */
  private normalise(u: number): void {
    const p = this.psi;
    if ((p[4 * u + 2] as number) < 0) {
      p[4 * u + 2] = -(p[4 * u + 2] as number);
      p[4 * u + 3] = (p[4 * u + 3] as number) + Math.PI;
    }
    const h = p[4 * u + 3] as number;
    p[4 * u + 3] = Math.atan2(Math.sin(h), Math.cos(h));
    if (this.box) {
      p[4 * u] = Math.min(Math.max(p[4 * u] as number, this.box.lower[0]), this.box.upper[0]);
      p[4 * u + 1] = Math.min(Math.max(p[4 * u + 1] as number, this.box.lower[1]), this.box.upper[1]);
      p[4 * u + 2] = Math.min(p[4 * u + 2] as number, this.box.speedMax);
    }
  }

  /** Cyclic (per-target, others fixed) sweeps, then the joint polish. */
  refine(cyclicSweeps: number, stepsPerTarget: number, polishSteps: number): number {
    for (let s = 0; s < cyclicSweeps; s++) for (let u = 0; u < this.U; u++) this.iterate(stepsPerTarget, u);
    return this.iterate(polishSteps);
  }

  /**
   * The GLRT statistic of each target: E(all) − E(all without u) (σ-normalised projected energy it
   * explains beyond the others; ≈ its SNR summed over APs times N). Recomputes nothing heavy.
   */
  contributions(): number[] {
    const U = this.U;
    const out: number[] = [];
    const keep = {
      psi: this.psi,
      alpha: this.alpha,
      c: this.c,
      om: this.om,
      g: this.g,
      gram: this.gram,
      U,
      energy: this.energy,
    };
    for (let u = 0; u < U; u++) {
      const sel = Array.from({ length: U }, (_, v) => v).filter((v) => v !== u);
      this.U = U - 1;
      this.psi = pick(keep.psi, sel, 4);
      this.om = pickLU(keep.om, sel, this.L, U, 3);
      this.g = pickLU(keep.g, sel, this.L, U, 12);
      this.c = pickLU(keep.c, sel, this.L, U, 8);
      this.gram = new Float64Array(32 * this.L * this.U * this.U);
      this.alpha = Array.from({ length: this.L }, () => new Float64Array(2 * this.U));
      out.push(keep.energy - (this.U > 0 ? this.solve() : 0));
    }
    Object.assign(this, keep);
    return out;
  }
}

function pick(a: Float64Array, sel: number[], w: number): Float64Array<ArrayBuffer> {
  const out = new Float64Array(sel.length * w);
  sel.forEach((s, i) => out.set(a.subarray(w * s, w * s + w), w * i));
  return out;
}

function pickLU(a: Float64Array, sel: number[], L: number, U: number, w: number): Float64Array<ArrayBuffer> {
  const out = new Float64Array(L * sel.length * w);
  for (let l = 0; l < L; l++)
    sel.forEach((s, i) =>
      out.set(a.subarray(w * (l * U + s), w * (l * U + s) + w), w * (l * sel.length + i)),
    );
  return out;
}

/** Solves the Hermitian PSD system B x = r (U×U complex) by pivoted Cholesky (dependent columns get x = 0). */
export function hermitianSolve(b: Float64Array, r: Float64Array, n: number, x: Float64Array): void {
  const l = new Float64Array(2 * n * n);
  const keep = new Uint8Array(n);
  pivotedCholesky(b, n, 1e-10, l, keep);
  // forward: L w = r
  const w = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    if (!keep[i]) continue;
    let sr = r[2 * i] as number;
    let si = r[2 * i + 1] as number;
    for (let k = 0; k < i; k++) {
      if (!keep[k]) continue;
      const lr = l[2 * (n * i + k)] as number;
      const li = l[2 * (n * i + k) + 1] as number;
      sr -= lr * (w[2 * k] as number) - li * (w[2 * k + 1] as number);
      si -= lr * (w[2 * k + 1] as number) + li * (w[2 * k] as number);
    }
    const lii = l[2 * (n * i + i)] as number;
    w[2 * i] = sr / lii;
    w[2 * i + 1] = si / lii;
  }
  // backward: Lᴴ x = w
  x.fill(0);
  for (let i = n - 1; i >= 0; i--) {
    if (!keep[i]) continue;
    let sr = w[2 * i] as number;
    let si = w[2 * i + 1] as number;
    for (let k = i + 1; k < n; k++) {
      if (!keep[k]) continue;
      // conj(L_ki) x_k
      const lr = l[2 * (n * k + i)] as number;
      const li = -(l[2 * (n * k + i) + 1] as number);
      sr -= lr * (x[2 * k] as number) - li * (x[2 * k + 1] as number);
      si -= lr * (x[2 * k + 1] as number) + li * (x[2 * k] as number);
    }
    const lii = l[2 * (n * i + i)] as number;
    x[2 * i] = sr / lii;
    x[2 * i + 1] = si / lii;
  }
}

/** Real SPD solve by Cholesky; null when not positive definite. */
function solveSpd(a: Float64Array, b: Float64Array, n: number): Float64Array | null {
  const l = new Float64Array(n * n);
  if (!realCholesky(a, n, l)) return null;
  const x = new Float64Array(n);
  realCholeskySolve(l, n, b, x);
  return x;
}
