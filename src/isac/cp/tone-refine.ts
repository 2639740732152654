import type { CpFactors } from './als.js';
import { residualNorm2 } from './residual.js';
import { phaseRamp } from '../../math/complex.js';
import { realCholesky, realCholeskySolve } from '../../math/real-cholesky.js';
import { choleskyInPlace, choleskySolveRows } from './small-hermitian.js';
import { reusedBuffer } from '../../math/scratch.js';
import { splitTones, type WasmKernels } from '../../math/wasm/kernels.js';
import { CP_ROWS, CP_TENSOR, CP_TONES, cpKernels } from './cp-kernels.js';

/** The result of {@link toneRefine}. */
export interface ToneRefineResult {
  /** factors: A = the angle vectors g_r, B and C = the unit-modulus tones (not normalised) */
  factors: CpFactors;
  /** delay-mode frequencies ν_r (cycles per subcarrier, in [−0.5, 0.5)) */
  nu: Float64Array;
  /** Doppler-mode frequencies μ_r (cycles per symbol, in [−0.5, 0.5)) */
  mu: Float64Array;
  /** ||Y − model||² at the returned factors (the explicit residual when below 1e-6 ||Y||²) */
  cost: number;
  /**
   * passes over the tensor (the first, at the start frequencies, included; with a SpectrumStart the
   * first point comes from the spectra and is not one)
   */
  passes: number;
  /** stopped on a convergence test, not on the pass cap or a failed step */
  converged: boolean;
  /**
   * the last step was taken without a pass to check it (FINAL_STEP_FRACTION): g is then the first-order
   * update and `cost` the Gauss-Newton prediction
   */
  uncheckedLastStep: boolean;
}

/** The Gauss-Newton model predicts less than this fraction of ||Y||²: below the cost's rounding. */
const ROUNDING_FLOOR = 1e-13;

/** Gauss-Newton steps taken below the rounding floor (quadratic convergence: two reach double precision). */
const BLIND_STEPS = 2;

/**
 * Below this fraction of ||Y||² the returned cost is the explicit residual (one more pass); above it
 * the concentrated cost ||Y||² − Σ Re(gᴴ S0) is exact to ~1e-14 / 1e-6 = 1e-8 of itself.
 */
const EXPLICIT_BELOW = 1e-6;

/**
 * The last step is taken without a pass to check it when the Gauss-Newton model predicts a decrease
 * below this fraction of the cost: the convergence is then in its quadratic (or noise-limited linear,
 * rate ~1e-4) regime, so what such a step leaves is below ~1e-8 of the cost, the `relTolerance` it
 * would otherwise have been verified against (measured on the Fig. 9 set-up: README, speed round 6).
 */
const FINAL_STEP_FRACTION = 1e-4;

/** ... and when no frequency moves by more than this many bins (the first-order update of g below holds). */
const FINAL_STEP_BINS = 2e-3;

/** Ridge of Γ relative to its diagonal N_c M: keeps the projection defined for coinciding tones. */
const GRAM_RIDGE = 1e-15;

const TWO_PI = 2 * Math.PI;

/** Work buffers of one refinement (allocated once per call, none per pass). */
class ToneWork {
  readonly xc: Float64Array; // conj delay tones, r-major: e^{−j2πν_r n}
  readonly zc: Float64Array; // conj Doppler tones, r-major: e^{−j2πμ_r k}
  readonly s0: Float64Array; // p-major x R
  readonly sn: Float64Array;
  readonly sk: Float64Array;
  readonly e: Float64Array; // E_q[r, s] = Σ n^q conj(x_r) x_s, q = 0..2, each R x R
  readonly f: Float64Array; // F_q[r, s] = Σ k^q conj(z_r) z_s
  readonly gram: Float64Array; // Γ, then its Cholesky factor
  readonly g: Float64Array; // angle vectors, p-major x R
  readonly gg: Float64Array; // Gg[r, s] = Σ_p conj(g_r[p]) g_s[p]
  readonly w: Float64Array; // W_p (R x 2R), then Γ⁻¹ W_p
  readonly h: Float64Array; // reduced Gauss-Newton matrix, 2R x 2R real
  readonly b: Float64Array; // gradient, 2R
  readonly a: Float64Array; // damped system
  readonly delta: Float64Array;
  readonly zero: Float64Array; // a zero tone (the absent members of the last group of tensorSums)
  constructor(
    readonly na: number,
    readonly nc: number,
    readonly m: number,
    readonly R: number,
  ) {
    this.xc = new Float64Array(2 * nc * R);
    this.zc = new Float64Array(2 * m * R);
    this.s0 = new Float64Array(2 * na * R);
    this.sn = new Float64Array(2 * na * R);
    this.sk = new Float64Array(2 * na * R);
    this.e = new Float64Array(6 * R * R);
    this.f = new Float64Array(6 * R * R);
    this.gram = new Float64Array(2 * R * R);
    this.g = new Float64Array(2 * na * R);
    this.gg = new Float64Array(2 * R * R);
    this.w = new Float64Array(4 * R * R);
    this.h = new Float64Array(4 * R * R);
    this.b = new Float64Array(2 * R);
    this.a = new Float64Array(4 * R * R);
    this.delta = new Float64Array(2 * R);
    this.zero = new Float64Array(2 * m);
  }
}

/**
 * A start on the range-Doppler grid of the FFT start (fft-init.ts): component r starts at the centre of
 * cell (kr[r], kd[r]), ν_r = kr/nr, μ_r = kd/nd, and the sums of the first point come from the
 * unsubtracted spectra F (N_A x nr x nd, nr >= N_c, nd >= M) instead of a pass over the tensor.
 */
export interface SpectrumStart {
  F: Float64Array;
  nr: number;
  nd: number;
  kr: ArrayLike<number>;
  kd: ArrayLike<number>;
}

const slopeTables = new Map<number, Float64Array>();

/**
 * c_N(d) = (1/N) Σ_{n<N} n e^{j2πdn/N} (interleaved, d = 0..N−1): (N − 1)/2 at d = 0, else
 * 1/(e^{j2πd/N} − 1) = −1/2 − (j/2) cot(πd/N). The DFT of n·y is then X ⊛ c: DFT(n y)[κ] = Σ_κ' X[κ'] c_N(κ' − κ).
 */
function slopeTable(n: number): Float64Array {
  let c = slopeTables.get(n);
  if (!c) {
    c = new Float64Array(2 * n);
    c[0] = (n - 1) / 2;
    for (let d = 1; d < n; d++) {
      c[2 * d] = -0.5;
      c[2 * d + 1] = -0.5 / Math.tan((Math.PI * d) / n);
    }
    slopeTables.set(n, c);
  }
  return c;
}

/**
 * What tensorSums gives, at the cell centres of a SpectrumStart, from the spectra alone: S0[p, r] =
 * F_p[kr, kd] (the 2-D DFT is the DTFT at the bin centres; zero padding included), Sn[p, r] = the DFT of
 * n·Y there = Σ_κ' F_p[κ', kd] c_nr(κ' − kr) (one column), Sk[p, r] = Σ_λ' F_p[kr, λ'] c_nd(λ' − kd)
 * (one row). Cost N_A R (nr + nd) instead of N_A R N_c M.
 */
function spectrumSums(start: SpectrumStart, w: ToneWork): void {
  const { F, nr, nd, kr, kd } = start;
  const { na, R, s0, sn, sk } = w;
  const cr = slopeTable(nr);
  const cd = slopeTable(nd);
  for (let p = 0; p < na; p++) {
    const base = p * nr * nd;
    for (let r = 0; r < R; r++) {
      const a = kr[r] as number;
      const b = kd[r] as number;
      const o = 2 * (p * R + r);
      const cell = 2 * (base + a * nd + b);
      s0[o] = F[cell] as number;
      s0[o + 1] = F[cell + 1] as number;
      slopeSum(F, 2 * (base + b), 2 * nd, nr, a, cr, sn, o); // column kd
      slopeSum(F, 2 * (base + a * nd), 2, nd, b, cd, sk, o); // row kr
    }
  }
}

/**
 * out[o] = Σ_q F[first + q·stride] c[(q − centre) mod n], q < n (complex, interleaved; `first` and
 * `stride` in doubles): one line of the spectrum convolved with the slope table at `centre`.
 */
function slopeSum(
  F: Float64Array,
  first: number,
  stride: number,
  n: number,
  centre: number,
  c: Float64Array,
  out: Float64Array,
  o: number,
): void {
  let xr = 0;
  let xi = 0;
  for (let q = 0, i = first; q < n; q++, i += stride) {
    const d = (q - centre + n) % n;
    const fr = F[i] as number;
    const fi = F[i + 1] as number;
    const wr = c[2 * d] as number;
    const wi = c[2 * d + 1] as number;
    xr += fr * wr - fi * wi;
    xi += fr * wi + fi * wr;
  }
  out[o] = xr;
  out[o + 1] = xi;
}

/** conj tones e^{−j2πν n}, n = 0..len−1, of each frequency (phase ramp by recurrence, complex.ts). */
function conjTones(freq: Float64Array, len: number, R: number, out: Float64Array): void {
  for (let r = 0; r < R; r++) phaseRamp(out, len, 0, -TWO_PI * (freq[r] as number), 1, r * len);
}

/** Entry (r, s) of table q and its Hermitian mirror (s, r). */
function putHermitian(
  out: Float64Array,
  q: number,
  RR: number,
  R: number,
  r: number,
  s: number,
  re: number,
  im: number,
): void {
  out[2 * (q * RR + r * R + s)] = re;
  out[2 * (q * RR + r * R + s) + 1] = im;
  out[2 * (q * RR + s * R + r)] = re;
  out[2 * (q * RR + s * R + r) + 1] = r === s ? 0 : -im;
}

/** Real (im = false) or imaginary part of E_qe[r, s] · F_qf[r, s] (tables of kernelSums). */
function ef(
  e: Float64Array,
  f: Float64Array,
  RR: number,
  R: number,
  qe: number,
  qf: number,
  r: number,
  s: number,
  im: boolean,
): number {
  const oe = 2 * (qe * RR + r * R + s);
  const of = 2 * (qf * RR + r * R + s);
  const er = e[oe] as number;
  const ei = e[oe + 1] as number;
  const fr = f[of] as number;
  const fi = f[of + 1] as number;
  return im ? er * fi + ei * fr : er * fr - ei * fi;
}

/** E_q[r, s] = Σ_n n^q conj(x_r[n]) x_s[n] (q = 0, 1, 2) from the conj tones xc (x = conj(xc)). */
function kernelSums(xc: Float64Array, len: number, R: number, out: Float64Array): void {
  const RR = R * R;
  for (let r = 0; r < R; r++)
    for (let s = r; s < R; s++) {
      let e0r = 0,
        e0i = 0,
        e1r = 0,
        e1i = 0,
        e2r = 0,
        e2i = 0;
      const or = 2 * r * len;
      const os = 2 * s * len;
      for (let n = 0; n < len; n++) {
        // conj(x_r) x_s = xc_r conj(xc_s)
        const ar = xc[or + 2 * n] as number;
        const ai = xc[or + 2 * n + 1] as number;
        const br = xc[os + 2 * n] as number;
        const bi = xc[os + 2 * n + 1] as number;
        const pr = ar * br + ai * bi;
        const pi = ai * br - ar * bi;
        e0r += pr;
        e0i += pi;
        e1r += n * pr;
        e1i += n * pi;
        e2r += n * n * pr;
        e2i += n * n * pi;
      }
      putHermitian(out, 0, RR, R, r, s, e0r, e0i);
      putHermitian(out, 1, RR, R, r, s, e1r, e1i);
      putHermitian(out, 2, RR, R, r, s, e2r, e2i);
    }
}

/**
 * The pass over the tensor at the frequencies behind w.xc, w.zc: S0[p, r] = Σ_{n,k} Y conj(x_r z_r),
 * Sn = Σ n Y conj(x_r z_r), Sk = Σ k Y conj(x_r z_r) (layout (p N_c + n) M + k, interleaved).
 */
function tensorSums(y: Float64Array, w: ToneWork, simd: ToneKernels | null): void {
  const { na, nc, R, xc, s0, sn, sk } = w;
  s0.fill(0);
  sn.fill(0);
  sk.fill(0);
  // components in groups of three, each row of Y read once per group: per row (p, n) the sums
  // Σ_k Y z_r and Σ_k k Y z_r (12 numbers), then weighted by x_r[n] and summed over the rows
  for (let r0 = 0; r0 < R; r0 += 3) {
    const G = Math.min(3, R - r0);
    const rows = simd ? simdRowSums(w, simd, r0, G) : rowSums(y, w, r0);
    for (let p = 0; p < na; p++) {
      for (let n = 0; n < nc; n++) {
        const q = 12 * (p * nc + n);
        for (let g = 0; g < G; g++) {
          const A0r = rows[q + 4 * g] as number;
          const A0i = rows[q + 4 * g + 1] as number;
          const A1r = rows[q + 4 * g + 2] as number;
          const A1i = rows[q + 4 * g + 3] as number;
          const r = r0 + g;
          const xr = xc[2 * (r * nc + n)] as number;
          const xi = xc[2 * (r * nc + n) + 1] as number;
          const t0r = xr * A0r - xi * A0i;
          const t0i = xr * A0i + xi * A0r;
          const o = 2 * (p * R + r);
          s0[o] = (s0[o] as number) + t0r;
          s0[o + 1] = (s0[o + 1] as number) + t0i;
          sn[o] = (sn[o] as number) + n * t0r;
          sn[o + 1] = (sn[o + 1] as number) + n * t0i;
          sk[o] = (sk[o] as number) + xr * A1r - xi * A1i;
          sk[o + 1] = (sk[o + 1] as number) + xr * A1i + xi * A1r;
        }
      }
    }
  }
}

/**
 * The row sums of the group of tones r0, r0 + 1, r0 + 2 (a per-thread buffer): per row (p, n) of Y,
 * (Σ_k Y z_r, Σ_k k Y z_r) for each tone (a missing second or third tone of the last group reads the
 * zero tone and gives 0).
 */
function rowSums(y: Float64Array, w: ToneWork, r0: number): Float64Array {
  const { na, nc, m, R, zc, zero } = w;
  const out = reusedBuffer('cp/tone-refine/row-sums', 12 * na * nc);
  const z0 = zc.subarray(2 * r0 * m, 2 * (r0 + 1) * m);
  const z1 = r0 + 1 < R ? zc.subarray(2 * (r0 + 1) * m, 2 * (r0 + 2) * m) : zero;
  const z2 = r0 + 2 < R ? zc.subarray(2 * (r0 + 2) * m, 2 * (r0 + 3) * m) : zero;
  for (let q = 0; q < na * nc; q++) {
    const row = 2 * q * m;
    let a0r = 0,
      a0i = 0,
      a1r = 0,
      a1i = 0,
      b0r = 0,
      b0i = 0,
      b1r = 0,
      b1i = 0,
      c0r = 0,
      c0i = 0,
      c1r = 0,
      c1i = 0;
    for (let k = 0, j = 0; k < m; k++, j += 2) {
      const yr = y[row + j] as number;
      const yi = y[row + j + 1] as number;
      let zr = z0[j] as number;
      let zi = z0[j + 1] as number;
      let wr = yr * zr - yi * zi;
      let wi = yr * zi + yi * zr;
      a0r += wr;
      a0i += wi;
      a1r += k * wr;
      a1i += k * wi;
      zr = z1[j] as number;
      zi = z1[j + 1] as number;
      wr = yr * zr - yi * zi;
      wi = yr * zi + yi * zr;
      b0r += wr;
      b0i += wi;
      b1r += k * wr;
      b1i += k * wi;
      zr = z2[j] as number;
      zi = z2[j + 1] as number;
      wr = yr * zr - yi * zi;
      wi = yr * zi + yi * zr;
      c0r += wr;
      c0i += wi;
      c1r += k * wr;
      c1i += k * wi;
    }
    const o = 12 * q;
    out[o] = a0r;
    out[o + 1] = a0i;
    out[o + 2] = a1r;
    out[o + 3] = a1i;
    out[o + 4] = b0r;
    out[o + 5] = b0i;
    out[o + 6] = b1r;
    out[o + 7] = b1i;
    out[o + 8] = c0r;
    out[o + 9] = c0i;
    out[o + 10] = c1r;
    out[o + 11] = c1i;
  }
  return out;
}

/**
 * The WebAssembly kernels of a tone pass: Y, copied into CP_TENSOR at the first pass (`loaded`; a
 * refinement that needs no pass copies nothing), and views on the tone and row regions.
 */
interface ToneKernels {
  kernels: WasmKernels;
  y: Float64Array;
  loaded: boolean;
  tones: Float64Array;
  rows: Float64Array;
}

/** rowSums in WebAssembly SIMD (toneRows3: the same numbers), into the CP_ROWS region. */
function simdRowSums(w: ToneWork, simd: ToneKernels, r0: number, G: number): Float64Array {
  const { na, nc, m, zc } = w;
  const { kernels, tones, rows } = simd;
  if (!simd.loaded) {
    kernels.view(CP_TENSOR, 2 * na * nc * m).set(simd.y.subarray(0, 2 * na * nc * m));
    simd.loaded = true;
  }
  splitTones(zc, r0, G, m, tones);
  kernels.toneRows3(CP_TENSOR, na * nc, m, CP_TONES, CP_ROWS);
  return rows;
}

/**
 * Everything at the current frequencies after tensorSums: Γ (Cholesky), the projected angle vectors g,
 * the concentrated cost, and the gradient b and reduced Gauss-Newton matrix h of the
 * 2R frequencies (order ν_0, μ_0, ν_1, μ_1, ...). Returns the cost.
 */
function project(w: ToneWork, yNorm2: number): number {
  const { na, nc, m, R, e, f, gram, g, s0, sn, sk, gg } = w;
  const RR = R * R;
  kernelSums(w.xc, nc, R, e);
  kernelSums(w.zc, m, R, f);
  // Γ[r, s] = E0 F0 (+ ridge on the diagonal)
  for (let i = 0; i < RR; i++) {
    const er = e[2 * i] as number;
    const ei = e[2 * i + 1] as number;
    const fr = f[2 * i] as number;
    const fi = f[2 * i + 1] as number;
    gram[2 * i] = er * fr - ei * fi;
    gram[2 * i + 1] = er * fi + ei * fr;
  }
  const ridge = GRAM_RIDGE * nc * m;
  choleskyInPlace(gram, R, ridge, ridge);
  // g[p, ·] = Γ⁻¹ S0[p, ·]; cost = ||Y||² − Σ Re(conj(g) S0)
  g.set(s0);
  choleskySolveRows(gram, R, g, na);
  let fit = 0;
  for (let p = 0; p < na; p++) {
    for (let r = 0; r < R; r++) {
      const o = 2 * (p * R + r);
      fit += (g[o] as number) * (s0[o] as number) + (g[o + 1] as number) * (s0[o + 1] as number);
    }
  }
  const cost = yNorm2 - fit;
  // Gg[r, s] = Σ_p conj(g_r[p]) g_s[p]
  gg.fill(0);
  for (let p = 0; p < na; p++)
    for (let r = 0; r < R; r++) {
      const ar = g[2 * (p * R + r)] as number;
      const ai = g[2 * (p * R + r) + 1] as number;
      for (let s = 0; s < R; s++) {
        const br = g[2 * (p * R + s)] as number;
        const bi = g[2 * (p * R + s) + 1] as number;
        gg[2 * (r * R + s)] = (gg[2 * (r * R + s)] as number) + ar * br + ai * bi;
        gg[2 * (r * R + s) + 1] = (gg[2 * (r * R + s) + 1] as number) + ar * bi - ai * br;
      }
    }
  const P = 2 * R;
  const h = w.h;
  const b = w.b;
  const c4 = 4 * Math.PI * Math.PI;
  // JθᴴJθ: <dν_r, dν_t> = 4π² Gg E2 F0, <dν_r, dμ_t> = 4π² Gg E1 F1, <dμ_r, dμ_t> = 4π² Gg E0 F2 (real part)
  for (let r = 0; r < R; r++)
    for (let t = 0; t < R; t++) {
      const gr = gg[2 * (r * R + t)] as number;
      const gi = gg[2 * (r * R + t) + 1] as number;
      const h20 = gr * ef(e, f, RR, R, 2, 0, r, t, false) - gi * ef(e, f, RR, R, 2, 0, r, t, true);
      const h11 = gr * ef(e, f, RR, R, 1, 1, r, t, false) - gi * ef(e, f, RR, R, 1, 1, r, t, true);
      const h02 = gr * ef(e, f, RR, R, 0, 2, r, t, false) - gi * ef(e, f, RR, R, 0, 2, r, t, true);
      h[2 * r * P + 2 * t] = c4 * h20;
      h[2 * r * P + 2 * t + 1] = c4 * h11;
      h[(2 * r + 1) * P + 2 * t] = c4 * h11;
      h[(2 * r + 1) * P + 2 * t + 1] = c4 * h02;
    }
  // − Re Σ_p W_pᴴ Γ⁻¹ W_p, W_p[s, (r, ν)] = j2π g_r[p] E1[s, r] F0[s, r], W_p[s, (r, μ)] = j2π g_r[p] E0 F1;
  // stored transposed (row i = column i of W_p, an R-vector) so that Γ⁻¹ acts on rows
  const W = w.w;
  const V = w.a; // Γ⁻¹ W_p (2R x R transposed), reuses the damped-system buffer (rebuilt below)
  for (let p = 0; p < na; p++) {
    for (let s = 0; s < R; s++)
      for (let r = 0; r < R; r++) {
        const gr = g[2 * (p * R + r)] as number;
        const gi = g[2 * (p * R + r) + 1] as number;
        for (let mode = 0; mode < 2; mode++) {
          const kr = mode === 0 ? ef(e, f, RR, R, 1, 0, s, r, false) : ef(e, f, RR, R, 0, 1, s, r, false);
          const ki = mode === 0 ? ef(e, f, RR, R, 1, 0, s, r, true) : ef(e, f, RR, R, 0, 1, s, r, true);
          // j2π (g k)
          const pr = gr * kr - gi * ki;
          const pi = gr * ki + gi * kr;
          const o = 2 * ((2 * r + mode) * R + s);
          W[o] = -TWO_PI * pi;
          W[o + 1] = TWO_PI * pr;
        }
      }
    V.set(W.subarray(0, 2 * R * P));
    choleskySolveRows(gram, R, V, P);
    for (let i = 0; i < P; i++)
      for (let j = i; j < P; j++) {
        let acc = 0;
        for (let s = 0; s < R; s++) {
          // Re(conj(W[s, i]) V[s, j])
          acc +=
            (W[2 * (i * R + s)] as number) * (V[2 * (j * R + s)] as number) +
            (W[2 * (i * R + s) + 1] as number) * (V[2 * (j * R + s) + 1] as number);
        }
        h[i * P + j] = (h[i * P + j] as number) - acc;
        if (j !== i) h[j * P + i] = (h[j * P + i] as number) - acc;
      }
  }
  // b = Re<J_θ, Y − M>: <dν_r, Y> = −j2π Σ_p conj(g_r[p]) Sn[p, r], <dν_r, M> = −j2π Σ_s Gg[r, s] E1 F0 (likewise μ)
  for (let r = 0; r < R; r++) {
    for (let mode = 0; mode < 2; mode++) {
      const sx = mode === 0 ? sn : sk;
      // only the imaginary part of Σ_p conj(g_r[p]) S[p, r] − Σ_s Gg[r, s] K[r, s] is needed
      let yi = 0;
      for (let p = 0; p < na; p++) {
        const gr = g[2 * (p * R + r)] as number;
        const gi = g[2 * (p * R + r) + 1] as number;
        const sr = sx[2 * (p * R + r)] as number;
        const si = sx[2 * (p * R + r) + 1] as number;
        yi += gr * si - gi * sr;
      }
      for (let s = 0; s < R; s++) {
        const kr = mode === 0 ? ef(e, f, RR, R, 1, 0, r, s, false) : ef(e, f, RR, R, 0, 1, r, s, false);
        const ki = mode === 0 ? ef(e, f, RR, R, 1, 0, r, s, true) : ef(e, f, RR, R, 0, 1, r, s, true);
        const gr = gg[2 * (r * R + s)] as number;
        const gi = gg[2 * (r * R + s) + 1] as number;
        yi -= gr * ki + gi * kr;
      }
      // Re(−j2π (y_re + j yi)) = 2π yi
      b[2 * r + mode] = TWO_PI * yi;
    }
  }
  return cost;
}

function wrap(v: number): number {
  return v - Math.round(v);
}

/**
 * The angle vectors g = Γ⁻¹ S0 moved to first order by the frequency step δ (order ν_0, μ_0, ν_1, ...),
 * from the sums of the pass at the point the step starts from (w as `project` left it):
 * dS0[p, r] = −j2π (Sn[p, r] δν_r + Sk[p, r] δμ_r) and dΓ[r, s] = j2π ((δν_s − δν_r) E1F0 + (δμ_s − δμ_r) E0F1)[r, s],
 * so g + Γ⁻¹ (dS0 − dΓ g). Its error is second order in the step: <= (2π·FINAL_STEP_BINS)² = 1.6e-4 of
 * |g|, measured <= 6e-5 on the Fig. 9 set-up (−20..10 dB) and ~1e-5 in the test.
 */
function stepAngleVectors(w: ToneWork, delta: Float64Array, out: Float64Array): void {
  const { na, R, e, f, g, sn, sk, gram } = w;
  const RR = R * R;
  for (let p = 0; p < na; p++) {
    for (let r = 0; r < R; r++) {
      const dn = delta[2 * r] as number;
      const dm = delta[2 * r + 1] as number;
      const o = 2 * (p * R + r);
      // dS0 = −j2π (Sn δν + Sk δμ): (a + jb)(−j) = b − ja
      const ar = (sn[o] as number) * dn + (sk[o] as number) * dm;
      const ai = (sn[o + 1] as number) * dn + (sk[o + 1] as number) * dm;
      let ur = TWO_PI * ai;
      let ui = -TWO_PI * ar;
      // − Σ_s dΓ[r, s] g_s[p]
      for (let s = 0; s < R; s++) {
        if (s === r) continue;
        const cn = (delta[2 * s] as number) - dn;
        const cm = (delta[2 * s + 1] as number) - dm;
        const kr = cn * ef(e, f, RR, R, 1, 0, r, s, false) + cm * ef(e, f, RR, R, 0, 1, r, s, false);
        const ki = cn * ef(e, f, RR, R, 1, 0, r, s, true) + cm * ef(e, f, RR, R, 0, 1, r, s, true);
        // dΓ[r, s] = j2π (kr + j ki) = 2π (−ki + j kr)
        const dr = -TWO_PI * ki;
        const di = TWO_PI * kr;
        const gr = g[2 * (p * R + s)] as number;
        const gi = g[2 * (p * R + s) + 1] as number;
        ur -= dr * gr - di * gi;
        ui -= dr * gi + di * gr;
      }
      out[o] = ur;
      out[o + 1] = ui;
    }
  }
  choleskySolveRows(gram, R, out, na);
  for (let i = 0; i < 2 * na * R; i++) out[i] = (g[i] as number) + (out[i] as number);
}

/**
 * Structured (Vandermonde) refinement of a CP decomposition: the delay and Doppler factors of the
 * echo model are tones (eqs. 33, 34), so the model of eq. (31) is
 *   M[p, n, k] = Σ_r g_r[p] e^{j2πν_r n} e^{j2πμ_r k},
 * with 2R real frequencies (ν_r = −Δf τ_r, μ_r = T f_D,r) and R unstructured angle vectors g_r ∈ C^{N_A}
 * (amplitude included). This minimises the unregularised cost (35) over that model by variable
 * projection: for given frequencies the angle vectors are the linear least-squares solution
 * (Γ g[p, ·] = S0[p, ·], Γ[r, s] = <v_r, v_s>, v_r = x_r ⊗ z_r), and Levenberg-Marquardt moves the 2R
 * frequencies with the reduced Gauss-Newton matrix (the Schur complement of the angle block).
 *
 * One pass over the tensor per iteration gives everything at a point: S0 = <v_r, Y_p> (the 2-D DTFT
 * of each antenna's slice at (ν_r, μ_r)) and its two derivative sums Sn = <n v_r, Y_p>,
 * Sk = <k v_r, Y_p>; every Gram term is a short sum over n or k (no model is rebuilt). The cost is
 * ||Y||² − Σ_p Re(g_pᴴ S0_p) (the concentrated cost); below 1e-6 ||Y||², where that difference loses
 * digits, the returned `cost` is the explicit residual of the final factors (one more pass).
 *
 * Stops when the decrease the Gauss-Newton model predicts is below `relTolerance` of the cost (the
 * step is then not taken), after BLIND_STEPS steps below the cost's rounding (1e-13 ||Y||²: noise-free
 * data; there the gain test cannot judge a step, so Gauss-Newton steps are taken as they are: each moves
 * the model by < 3e-7 ||Y|| and its pass re-projects the angle vectors), or after `maxIterations`
 * passes. Frequencies ν0, mu0 and the returned ones are in cycles per sample (ν_r on N_c, μ_r on M);
 * y is N_A x N_c x M in the layout of EchoTensor.
 */
export function toneRefine(
  y: Float64Array,
  yNorm2: number,
  na: number,
  nc: number,
  m: number,
  nu0: ArrayLike<number>,
  mu0: ArrayLike<number>,
  maxIterations: number,
  relTolerance: number,
  spectrumStart?: SpectrumStart,
): ToneRefineResult {
  const R = nu0.length;
  const w = new ToneWork(na, nc, m, R);
  const kernels = R > 0 ? cpKernels(na, nc, m) : null;
  const simd: ToneKernels | null = kernels
    ? {
        kernels,
        y,
        loaded: false,
        tones: kernels.view(CP_TONES, 12 * m),
        rows: kernels.view(CP_ROWS, 12 * na * nc),
      }
    : null;
  const P = 2 * R;
  const nu = spectrumStart
    ? Float64Array.from(spectrumStart.kr, (k) => wrap(k / spectrumStart.nr))
    : Float64Array.from(nu0, wrap);
  const mu = spectrumStart
    ? Float64Array.from(spectrumStart.kd, (k) => wrap(k / spectrumStart.nd))
    : Float64Array.from(mu0, wrap);
  const nuT = new Float64Array(R);
  const muT = new Float64Array(R);
  const at = (nuX: Float64Array, muX: Float64Array, fromSpectrum?: SpectrumStart): number => {
    conjTones(nuX, nc, R, w.xc);
    conjTones(muX, m, R, w.zc);
    if (fromSpectrum) spectrumSums(fromSpectrum, w);
    else tensorSums(y, w, simd);
    return project(w, yNorm2);
  };
  let phi = at(nu, mu, spectrumStart);
  let passes = spectrumStart ? 0 : 1;
  let converged = false;
  let unchecked = false;
  const hDiag = new Float64Array(P);
  const gBest = Float64Array.from(w.g);
  if (Number.isFinite(phi)) {
    let maxDiag = 0;
    for (let i = 0; i < P; i++) maxDiag = Math.max(maxDiag, w.h[i * P + i] as number);
    let lambda = 1e-3;
    let nuRule = 2;
    let blind = 0;
    /** w holds the pass at the accepted point (not a rejected trial): the unchecked last step may use it */
    let atBest = true;
    const hSave = new Float64Array(P * P);
    const bSave = new Float64Array(P);
    hSave.set(w.h);
    bSave.set(w.b);
    while (passes < maxIterations) {
      for (let i = 0; i < P; i++) hDiag[i] = Math.max(hSave[i * P + i] as number, 1e-12 * maxDiag);
      w.a.set(hSave);
      for (let i = 0; i < P; i++) w.a[i * P + i] = (w.a[i * P + i] as number) + lambda * (hDiag[i] as number);
      if (!realCholesky(w.a, P, w.a)) {
        lambda *= nuRule;
        nuRule *= 2;
        if (!(lambda < 1e16)) break; // not positive definite at any damping (a non-finite matrix)
        continue;
      }
      realCholeskySolve(w.a, P, bSave, w.delta);
      let pred = 0;
      for (let i = 0; i < P; i++) {
        const d = w.delta[i] as number;
        pred += (bSave[i] as number) * d + lambda * (hDiag[i] as number) * d * d;
      }
      if (blind === 0 && pred >= 0 && pred < relTolerance * phi) {
        converged = true;
        break;
      }
      const tiny = pred >= 0 && pred < ROUNDING_FLOOR * yNorm2;
      if (atBest && !tiny && blind === 0 && pred > 0 && pred < FINAL_STEP_FRACTION * phi) {
        let big = 0;
        for (let r = 0; r < R; r++)
          big = Math.max(
            big,
            Math.abs(w.delta[2 * r] as number) * nc,
            Math.abs(w.delta[2 * r + 1] as number) * m,
          );
        if (big <= FINAL_STEP_BINS) {
          // the last step, unchecked: frequencies moved, g to first order, the cost as predicted
          for (let r = 0; r < R; r++) {
            nu[r] = wrap((nu[r] as number) + (w.delta[2 * r] as number));
            mu[r] = wrap((mu[r] as number) + (w.delta[2 * r + 1] as number));
          }
          stepAngleVectors(w, w.delta, gBest);
          phi -= pred;
          converged = true;
          unchecked = true;
          break;
        }
      }
      for (let r = 0; r < R; r++) {
        nuT[r] = wrap((nu[r] as number) + (w.delta[2 * r] as number));
        muT[r] = wrap((mu[r] as number) + (w.delta[2 * r + 1] as number));
      }
      const phiT = at(nuT, muT);
      passes++;
      atBest = false;
      const gain = (phi - phiT) / pred;
      if (tiny && Number.isFinite(phiT)) {
        // below the cost's rounding (noise-free data): take the Gauss-Newton step without the gain
        // test (the cost cannot resolve it), its pass has re-projected g; then at most one more
        nu.set(nuT);
        mu.set(muT);
        gBest.set(w.g);
        hSave.set(w.h);
        bSave.set(w.b);
        atBest = true;
        converged = true;
        if (++blind >= BLIND_STEPS || pred < ROUNDING_FLOOR * ROUNDING_FLOOR * yNorm2) break;
        continue;
      }
      if (pred > 0 && gain > 0 && Number.isFinite(phiT)) {
        nu.set(nuT);
        mu.set(muT);
        gBest.set(w.g);
        hSave.set(w.h);
        bSave.set(w.b);
        atBest = true;
        const rel = (phi - phiT) / phi;
        phi = phiT;
        lambda *= Math.max(1 / 3, 1 - Math.pow(2 * gain - 1, 3));
        nuRule = 2;
        if (rel < relTolerance) {
          converged = true;
          break;
        }
      } else {
        lambda *= nuRule;
        nuRule *= 2;
        if (!(lambda < 1e16)) break;
      }
    }
  }
  // factors: A = g, B = x_r, C = z_r (conj of the conj tones), rows x R
  const factors: CpFactors = {
    na,
    nc,
    m,
    R,
    a: gBest,
    b: new Float64Array(2 * nc * R),
    c: new Float64Array(2 * m * R),
  };
  conjTones(nu, nc, R, w.xc);
  conjTones(mu, m, R, w.zc);
  for (let r = 0; r < R; r++) {
    for (let n = 0; n < nc; n++) {
      factors.b[2 * (n * R + r)] = w.xc[2 * (r * nc + n)] as number;
      factors.b[2 * (n * R + r) + 1] = -(w.xc[2 * (r * nc + n) + 1] as number);
    }
    for (let k = 0; k < m; k++) {
      factors.c[2 * (k * R + r)] = w.zc[2 * (r * m + k)] as number;
      factors.c[2 * (k * R + r) + 1] = -(w.zc[2 * (r * m + k) + 1] as number);
    }
  }
  // the concentrated cost loses ~1e-14 ||Y||² to rounding: recompute it explicitly when that matters
  const cost =
    phi > EXPLICIT_BELOW * yNorm2
      ? phi
      : residualNorm2(y, na, nc, m, factors.a, factors.b, factors.c, R, new Float64Array(4 * R + 2 * m));
  return { factors, nu, mu, cost, passes, converged, uncheckedLastStep: unchecked };
}
