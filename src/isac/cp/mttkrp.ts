import { rowProducts, splitRowProducts3 } from './residual.js';
import {
  CP_ALS_C,
  CP_ALS_E,
  CP_ALS_T,
  CP_ALS_XC,
  CP_TENSOR,
  loadTensor,
  type TensorKernels,
} from './cp-kernels.js';
/**
 * The two tensor passes of one CP-ALS sweep (matricised tensor times Khatri-Rao product, MTTKRP)
 * on Y (N_A x N_c x M, row-major (p·N_c + n)·M + m, interleaved complex). Factor matrices are
 * row-major rows x R (see small-hermitian.ts). Specialised loops for R = 1, 2, 3 keep the
 * accumulators in locals; larger R runs the component loop outside the symbol loop.
 */

/**
 * Pass 1: T[q, r] = Σ_m conj(C[m, r]) Y[q, m] for every row q = p·N_c + n (rows = N_A N_c).
 * One pass over Y; from T both X_A and X_B follow cheaply ({@link mttkrpAngle}, {@link mttkrpDelay}).
 */
export function contractSymbols(
  y: Float64Array,
  rows: number,
  m: number,
  c: Float64Array,
  R: number,
  t: Float64Array,
  simd: TensorKernels | null = null,
): void {
  if (R === 3 && simd) return simdContract3(y, rows, m, c, t, simd);
  if (R === 3) return contract3(y, rows, m, c, t);
  if (R === 2) return contract2(y, rows, m, c, t);
  if (R === 1) return contract1(y, rows, m, c, t);
  for (let q = 0; q < rows; q++) {
    const base = 2 * q * m;
    for (let r = 0; r < R; r++) {
      let sr = 0;
      let si = 0;
      for (let j = 0, k = 2 * r; j < m; j++, k += 2 * R) {
        const yr = y[base + 2 * j] as number;
        const yi = y[base + 2 * j + 1] as number;
        const cr = c[k] as number;
        const ci = c[k + 1] as number;
        sr += cr * yr + ci * yi;
        si += cr * yi - ci * yr;
      }
      t[2 * (q * R + r)] = sr;
      t[2 * (q * R + r) + 1] = si;
    }
  }
}

function contract1(y: Float64Array, rows: number, m: number, c: Float64Array, t: Float64Array): void {
  for (let q = 0; q < rows; q++) {
    const base = 2 * q * m;
    let s0r = 0;
    let s0i = 0;
    for (let j = 0; j < 2 * m; j += 2) {
      const yr = y[base + j] as number;
      const yi = y[base + j + 1] as number;
      const cr = c[j] as number;
      const ci = c[j + 1] as number;
      s0r += cr * yr + ci * yi;
      s0i += cr * yi - ci * yr;
    }
    t[2 * q] = s0r;
    t[2 * q + 1] = s0i;
  }
}

function contract2(y: Float64Array, rows: number, m: number, c: Float64Array, t: Float64Array): void {
  for (let q = 0; q < rows; q++) {
    const base = 2 * q * m;
    let s0r = 0;
    let s0i = 0;
    let s1r = 0;
    let s1i = 0;
    for (let j = 0, k = 0; j < 2 * m; j += 2, k += 4) {
      const yr = y[base + j] as number;
      const yi = y[base + j + 1] as number;
      const c0r = c[k] as number;
      const c0i = c[k + 1] as number;
      const c1r = c[k + 2] as number;
      const c1i = c[k + 3] as number;
      s0r += c0r * yr + c0i * yi;
      s0i += c0r * yi - c0i * yr;
      s1r += c1r * yr + c1i * yi;
      s1i += c1r * yi - c1i * yr;
    }
    const o = 4 * q;
    t[o] = s0r;
    t[o + 1] = s0i;
    t[o + 2] = s1r;
    t[o + 3] = s1i;
  }
}

function contract3(y: Float64Array, rows: number, m: number, c: Float64Array, t: Float64Array): void {
  for (let q = 0; q < rows; q++) {
    const base = 2 * q * m;
    let s0r = 0;
    let s0i = 0;
    let s1r = 0;
    let s1i = 0;
    let s2r = 0;
    let s2i = 0;
    for (let j = 0, k = 0; j < 2 * m; j += 2, k += 6) {
      const yr = y[base + j] as number;
      const yi = y[base + j + 1] as number;
      const c0r = c[k] as number;
      const c0i = c[k + 1] as number;
      const c1r = c[k + 2] as number;
      const c1i = c[k + 3] as number;
      const c2r = c[k + 4] as number;
      const c2i = c[k + 5] as number;
      s0r += c0r * yr + c0i * yi;
      s0i += c0r * yi - c0i * yr;
      s1r += c1r * yr + c1i * yi;
      s1i += c1r * yi - c1i * yr;
      s2r += c2r * yr + c2i * yi;
      s2i += c2r * yi - c2i * yr;
    }
    const o = 6 * q;
    t[o] = s0r;
    t[o + 1] = s0i;
    t[o + 2] = s1r;
    t[o + 3] = s1i;
    t[o + 4] = s2r;
    t[o + 5] = s2i;
  }
}

/** X_A[p, r] = Σ_n conj(B[n, r]) T[p·N_c + n, r]  (MTTKRP of mode 1 from pass 1). */
export function mttkrpAngle(
  t: Float64Array,
  na: number,
  nc: number,
  b: Float64Array,
  R: number,
  xa: Float64Array,
): void {
  xa.fill(0, 0, 2 * na * R);
  for (let p = 0; p < na; p++) {
    for (let n = 0; n < nc; n++) {
      const o = 2 * (p * nc + n) * R;
      for (let r = 0; r < R; r++) {
        const br = b[2 * (n * R + r)] as number;
        const bi = b[2 * (n * R + r) + 1] as number;
        const tr = t[o + 2 * r] as number;
        const ti = t[o + 2 * r + 1] as number;
        const k = 2 * (p * R + r);
        xa[k] = (xa[k] as number) + br * tr + bi * ti;
        xa[k + 1] = (xa[k + 1] as number) + br * ti - bi * tr;
      }
    }
  }
}

/** X_B[n, r] = Σ_p conj(A[p, r]) T[p·N_c + n, r]  (MTTKRP of mode 2 from pass 1). */
export function mttkrpDelay(
  t: Float64Array,
  na: number,
  nc: number,
  a: Float64Array,
  R: number,
  xb: Float64Array,
): void {
  xb.fill(0, 0, 2 * nc * R);
  for (let p = 0; p < na; p++) {
    for (let n = 0; n < nc; n++) {
      const o = 2 * (p * nc + n) * R;
      for (let r = 0; r < R; r++) {
        const ar = a[2 * (p * R + r)] as number;
        const ai = a[2 * (p * R + r) + 1] as number;
        const tr = t[o + 2 * r] as number;
        const ti = t[o + 2 * r + 1] as number;
        const k = 2 * (n * R + r);
        xb[k] = (xb[k] as number) + ar * tr + ai * ti;
        xb[k + 1] = (xb[k + 1] as number) + ar * ti - ai * tr;
      }
    }
  }
}

/**
 * Pass 2: X_C[m, r] = Σ_{p,n} conj(A[p, r] B[n, r]) Y[p, n, m]  (MTTKRP of mode 3), one pass over Y.
 * `e` is scratch of R complex values.
 */
export function mttkrpDoppler(
  y: Float64Array,
  na: number,
  nc: number,
  m: number,
  a: Float64Array,
  b: Float64Array,
  R: number,
  xc: Float64Array,
  e: Float64Array,
  simd: TensorKernels | null = null,
): void {
  xc.fill(0, 0, 2 * m * R);
  if (R === 3 && simd) return simdAccumulate3(y, na, nc, m, a, b, xc, e, simd);
  for (let p = 0; p < na; p++) {
    for (let n = 0; n < nc; n++) {
      conjProducts(a, b, p, n, R, e);
      const base = 2 * (p * nc + n) * m;
      if (R === 3) accumulate3(y, base, m, e, xc);
      else {
        for (let r = 0; r < R; r++) {
          const er = e[2 * r] as number;
          const ei = e[2 * r + 1] as number;
          for (let j = 0, k = 2 * r; j < 2 * m; j += 2, k += 2 * R) {
            const yr = y[base + j] as number;
            const yi = y[base + j + 1] as number;
            xc[k] = (xc[k] as number) + er * yr - ei * yi;
            xc[k + 1] = (xc[k + 1] as number) + er * yi + ei * yr;
          }
        }
      }
    }
  }
}

function accumulate3(y: Float64Array, base: number, m: number, e: Float64Array, xc: Float64Array): void {
  const e0r = e[0] as number;
  const e0i = e[1] as number;
  const e1r = e[2] as number;
  const e1i = e[3] as number;
  const e2r = e[4] as number;
  const e2i = e[5] as number;
  for (let j = 0, k = 0; j < 2 * m; j += 2, k += 6) {
    const yr = y[base + j] as number;
    const yi = y[base + j + 1] as number;
    xc[k] = (xc[k] as number) + e0r * yr - e0i * yi;
    xc[k + 1] = (xc[k + 1] as number) + e0r * yi + e0i * yr;
    xc[k + 2] = (xc[k + 2] as number) + e1r * yr - e1i * yi;
    xc[k + 3] = (xc[k + 3] as number) + e1r * yi + e1i * yr;
    xc[k + 4] = (xc[k + 4] as number) + e2r * yr - e2i * yi;
    xc[k + 5] = (xc[k + 5] as number) + e2r * yi + e2i * yr;
  }
}

/** e_r = conj(A[p, r] B[n, r]), r < R (residual.ts rowProducts, conjugated). */
function conjProducts(
  a: Float64Array,
  b: Float64Array,
  p: number,
  n: number,
  R: number,
  e: Float64Array,
): void {
  rowProducts(a, b, p, n, R, e);
  for (let r = 0; r < R; r++) e[2 * r + 1] = -(e[2 * r + 1] as number);
}

/** contract3 in WebAssembly (contractRows3): the same numbers. */
function simdContract3(
  y: Float64Array,
  rows: number,
  m: number,
  c: Float64Array,
  t: Float64Array,
  simd: TensorKernels,
): void {
  const { kernels } = simd;
  loadTensor(simd, y, 2 * rows * m);
  const cs = kernels.view(CP_ALS_C, 12 * m);
  for (let k = 0; k < 3 * m; k++) {
    const cr = c[2 * k] as number;
    const ci = c[2 * k + 1] as number;
    cs[4 * k] = cr;
    cs[4 * k + 1] = cr;
    cs[4 * k + 2] = ci;
    cs[4 * k + 3] = -ci;
  }
  kernels.contractRows3(CP_TENSOR, rows, m, CP_ALS_C, CP_ALS_T);
  t.set(kernels.view(CP_ALS_T, 6 * rows));
}

/** mttkrpDoppler for R = 3 in WebAssembly (accumulateRows3): the same numbers. */
function simdAccumulate3(
  y: Float64Array,
  na: number,
  nc: number,
  m: number,
  a: Float64Array,
  b: Float64Array,
  xc: Float64Array,
  e: Float64Array,
  simd: TensorKernels,
): void {
  const { kernels } = simd;
  loadTensor(simd, y, 2 * na * nc * m);
  splitRowProducts3(kernels, CP_ALS_E, a, b, na, nc, e, conjProducts);
  const x = kernels.view(CP_ALS_XC, 6 * m).fill(0);
  kernels.accumulateRows3(CP_TENSOR, na * nc, m, CP_ALS_E, CP_ALS_XC);
  xc.set(x);
}
