import { contractSymbols, mttkrpAngle, mttkrpDelay, mttkrpDoppler } from './mttkrp.js';
import { cpKernels, type TensorKernels } from './cp-kernels.js';
import { choleskyInPlace, choleskySolveRows, crossGram, hadamard, traceRe } from './small-hermitian.js';

/**
 * Working CP factors of one tensor, row-major rows x R interleaved complex:
 * A (N_A x R, angle), B (N_c x R, delay), C (M x R, Doppler); Y ≈ Σ_r A_r ∘ B_r ∘ C_r.
 */
export interface CpFactors {
  na: number;
  nc: number;
  m: number;
  R: number;
  a: Float64Array;
  b: Float64Array;
  c: Float64Array;
}

export interface AlsResult {
  iterations: number;
  /** ||Y − [[A,B,C]]|| / ||Y|| after the last sweep (expanded form, accurate to ~1e-8) */
  relativeError: number;
  converged: boolean;
}

/** Buffers of the ALS loop, allocated once per decomposition (none per sweep or per element). */
class AlsWorkspace {
  readonly t: Float64Array;
  readonly xa: Float64Array;
  readonly xb: Float64Array;
  readonly xc: Float64Array;
  readonly wa: Float64Array;
  readonly wb: Float64Array;
  readonly wc: Float64Array;
  readonly g: Float64Array;
  readonly e: Float64Array;
  constructor(f: CpFactors) {
    const R = f.R;
    this.t = new Float64Array(2 * f.na * f.nc * R);
    this.xa = new Float64Array(2 * f.na * R);
    this.xb = new Float64Array(2 * f.nc * R);
    this.xc = new Float64Array(2 * f.m * R);
    this.wa = new Float64Array(2 * R * R);
    this.wb = new Float64Array(2 * R * R);
    this.wc = new Float64Array(2 * R * R);
    this.g = new Float64Array(2 * R * R);
    this.e = new Float64Array(2 * R);
  }
}

/**
 * Regularised ALS for the CP problem (35): each factor update is the proximal Tikhonov step
 *   X ← argmin ||Y − [[·]]||² + λ ||X − X_prev||²,  i.e. (G + λI) x_i = b_i + λ x_prev,i per row,
 * with G = the Hadamard product of the other two Gram matrices (e.g. (BᴴB) ∘ (CᴴC) for A) and
 * λ = ρ tr(G)/R. Its fixed points are those of plain ALS (the term vanishes at convergence), while
 * the shift keeps the R x R solves well conditioned when components are nearly collinear.
 * After each sweep B and C are scaled to unit-norm columns (scale moved into A).
 * Stops when the relative fit error changes by less than `tolerance` between sweeps.
 * Cost per sweep: two passes over Y (R complex multiply-adds per element each).
 */
export function regularisedAls(
  y: Float64Array,
  yNorm2: number,
  f: CpFactors,
  opts: { maxIterations: number; tolerance: number; regularisation: number },
): AlsResult {
  const { na, nc, m, R, a, b, c } = f;
  const w = new AlsWorkspace(f);
  const kernels = R === 3 ? cpKernels(na, nc, m) : null;
  const simd: TensorKernels | null = kernels ? { kernels, y: null } : null;
  let prev = Infinity;
  let rel = 1;
  for (let it = 1; it <= opts.maxIterations; it++) {
    contractSymbols(y, na * nc, m, c, R, w.t, simd);
    crossGram(b, b, nc, R, w.wb);
    crossGram(c, c, m, R, w.wc);
    // A update
    mttkrpAngle(w.t, na, nc, b, R, w.xa);
    hadamard(w.wb, w.wc, R, w.g);
    proximalSolve(w.g, w.xa, a, na, R, opts.regularisation);
    // B update
    crossGram(a, a, na, R, w.wa);
    mttkrpDelay(w.t, na, nc, a, R, w.xb);
    hadamard(w.wa, w.wc, R, w.g);
    proximalSolve(w.g, w.xb, b, nc, R, opts.regularisation);
    // C update
    crossGram(b, b, nc, R, w.wb);
    mttkrpDoppler(y, na, nc, m, a, b, R, w.xc, w.e, simd);
    hadamard(w.wa, w.wb, R, w.g);
    proximalSolve(w.g, w.xc, c, m, R, opts.regularisation);
    // fit: ||Y||² − 2 Re⟨C, X_C⟩ + Σ_rs (AᴴA)(BᴴB)(CᴴC)
    crossGram(c, c, m, R, w.wc);
    let inner = 0;
    for (let k = 0; k < 2 * m * R; k += 2)
      inner += (c[k] as number) * (w.xc[k] as number) + (c[k + 1] as number) * (w.xc[k + 1] as number);
    const phi = yNorm2 - 2 * inner + tripleGramSum(w.wa, w.wb, w.wc, R);
    rel = Math.sqrt(Math.max(phi, 0) / yNorm2);
    normaliseInto(b, nc, R, a, na);
    normaliseInto(c, m, R, a, na);
    if (Math.abs(prev - rel) < opts.tolerance) return { iterations: it, relativeError: rel, converged: true };
    prev = rel;
  }
  return { iterations: opts.maxIterations, relativeError: rel, converged: false };
}

/**
 * x ← (G + λI)⁻¹ (rhs + λ x), λ = ρ tr(G)/R, for every row of x (rows x R). G is overwritten by its
 * Cholesky factor; `rhs` is kept. Pivots are floored (finite result for singular G, e.g. zero factors).
 */
export function proximalSolve(
  g: Float64Array,
  rhs: Float64Array,
  x: Float64Array,
  rows: number,
  R: number,
  rho: number,
): void {
  const scale = traceRe(g, R) / R;
  const lambda = rho * scale;
  for (let k = 0; k < 2 * rows * R; k++) x[k] = (rhs[k] as number) + lambda * (x[k] as number);
  choleskyInPlace(g, R, lambda, 1e-13 * scale + 1e-300);
  choleskySolveRows(g, R, x, rows);
}

/** Re Σ_{r,s} A[r,s] B[r,s] C[r,s] = ||[[·]]||² when A, B, C are the three Gram matrices. */
export function tripleGramSum(wa: Float64Array, wb: Float64Array, wc: Float64Array, R: number): number {
  let s = 0;
  for (let k = 0; k < 2 * R * R; k += 2) {
    const ar = wa[k] as number;
    const ai = wa[k + 1] as number;
    const br = wb[k] as number;
    const bi = wb[k + 1] as number;
    const pr = ar * br - ai * bi;
    const pi = ar * bi + ai * br;
    s += pr * (wc[k] as number) - pi * (wc[k + 1] as number);
  }
  return s;
}

/** Scales each column of x (rows x R) to unit norm and multiplies the same column of `into` by the norm. */
export function normaliseInto(
  x: Float64Array,
  rows: number,
  R: number,
  into: Float64Array,
  intoRows: number,
): void {
  for (let r = 0; r < R; r++) {
    let s = 0;
    for (let i = 0; i < rows; i++) {
      const k = 2 * (i * R + r);
      s += (x[k] as number) ** 2 + (x[k + 1] as number) ** 2;
    }
    const nrm = Math.sqrt(s);
    if (!(nrm > 0)) continue;
    for (let i = 0; i < rows; i++) {
      const k = 2 * (i * R + r);
      x[k] = (x[k] as number) / nrm;
      x[k + 1] = (x[k + 1] as number) / nrm;
    }
    for (let i = 0; i < intoRows; i++) {
      const k = 2 * (i * R + r);
      into[k] = (into[k] as number) * nrm;
      into[k + 1] = (into[k + 1] as number) * nrm;
    }
  }
}
