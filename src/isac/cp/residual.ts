import { splitComplex, type WasmKernels } from '../../math/wasm/kernels.js';
import {
  CP_LM_C,
  CP_LM_E,
  CP_LM_GC,
  CP_LM_T,
  CP_TENSOR,
  loadTensor,
  type TensorKernels,
} from './cp-kernels.js';
/**
 * Explicit residual passes E = Y − [[A, B, C]] over the tensor (no cancellation: exact to rounding
 * even when ||E|| ≪ ||Y||, unlike the expanded ||Y||² − 2Re⟨Y, model⟩ + ||model||²).
 * Layouts as in mttkrp.ts.
 */

/** ||Y − [[A, B, C]]||_F²  (the cost of eq. 35). `e` holds 4R + 2M numbers (scratch). */
export function residualNorm2(
  y: Float64Array,
  na: number,
  nc: number,
  m: number,
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  R: number,
  e: Float64Array,
): number {
  let phi = 0;
  const row = e.subarray(4 * R);
  for (let p = 0; p < na; p++) {
    for (let n = 0; n < nc; n++) {
      rowProducts(a, b, p, n, R, e);
      phi += rowResidual(y, 2 * (p * nc + n) * m, m, c, R, e, row);
    }
  }
  return phi;
}

/**
 * φ = ||E||² and the gradient g = Jᴴ E of the holomorphic model [[A, B, C]] in one pass over Y:
 * g_A[p, r] = Σ_{n,m} conj(B[n, r] C[m, r]) E[p, n, m], and likewise g_B, g_C. Returns φ.
 * Per tensor row (p, n): the residual row E[p, n, ·] into scratch, then per component one dot
 * product (for g_A, g_B) and one axpy (for g_C). `e` holds 4R + 2M numbers (scratch).
 */
export function residualGradient(
  y: Float64Array,
  na: number,
  nc: number,
  m: number,
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  R: number,
  ga: Float64Array,
  gb: Float64Array,
  gc: Float64Array,
  e: Float64Array,
  simd: TensorKernels | null = null,
): number {
  ga.fill(0, 0, 2 * na * R);
  gb.fill(0, 0, 2 * nc * R);
  gc.fill(0, 0, 2 * m * R);
  if (R === 3 && simd) return simdResidualGradient3(y, na, nc, m, a, b, c, ga, gb, gc, e, simd);
  if (R === 3) return residualGradient3(y, na, nc, m, a, b, c, ga, gb, gc, e);
  const row = e.subarray(4 * R);
  let phi = 0;
  for (let p = 0; p < na; p++) {
    for (let n = 0; n < nc; n++) {
      rowProducts(a, b, p, n, R, e);
      phi += rowResidual(y, 2 * (p * nc + n) * m, m, c, R, e, row);
      for (let r = 0; r < R; r++) {
        // t = Σ_m conj(C[m, r]) E_m ;  g_C[:, r] += conj(A[p, r] B[n, r]) E
        const er = e[2 * r] as number;
        const ei = -(e[2 * r + 1] as number);
        let tr = 0;
        let ti = 0;
        for (let j = 0, k = 2 * r; j < 2 * m; j += 2, k += 2 * R) {
          const dr = row[j] as number;
          const di = row[j + 1] as number;
          const cr = c[k] as number;
          const ci = c[k + 1] as number;
          tr += cr * dr + ci * di;
          ti += cr * di - ci * dr;
          gc[k] = (gc[k] as number) + er * dr - ei * di;
          gc[k + 1] = (gc[k + 1] as number) + er * di + ei * dr;
        }
        const br = b[2 * (n * R + r)] as number;
        const bi = b[2 * (n * R + r) + 1] as number;
        const ar = a[2 * (p * R + r)] as number;
        const ai = a[2 * (p * R + r) + 1] as number;
        const ka = 2 * (p * R + r);
        ga[ka] = (ga[ka] as number) + br * tr + bi * ti;
        ga[ka + 1] = (ga[ka + 1] as number) + br * ti - bi * tr;
        const kb = 2 * (n * R + r);
        gb[kb] = (gb[kb] as number) + ar * tr + ai * ti;
        gb[kb + 1] = (gb[kb + 1] as number) + ar * ti - ai * tr;
      }
    }
  }
  return phi;
}

/** row[m] = Y[q, m] − Σ_r e_r C[m, r]; returns Σ_m |row[m]|². Specialised for R = 3. */
function rowResidual(
  y: Float64Array,
  base: number,
  m: number,
  c: Float64Array,
  R: number,
  e: Float64Array,
  row: Float64Array,
): number {
  let phi = 0;
  if (R === 3) {
    const e0r = e[0] as number;
    const e0i = e[1] as number;
    const e1r = e[2] as number;
    const e1i = e[3] as number;
    const e2r = e[4] as number;
    const e2i = e[5] as number;
    for (let j = 0, k = 0; j < 2 * m; j += 2, k += 6) {
      const c0r = c[k] as number;
      const c0i = c[k + 1] as number;
      const c1r = c[k + 2] as number;
      const c1i = c[k + 3] as number;
      const c2r = c[k + 4] as number;
      const c2i = c[k + 5] as number;
      const dr =
        (y[base + j] as number) - (e0r * c0r - e0i * c0i + e1r * c1r - e1i * c1i + e2r * c2r - e2i * c2i);
      const di =
        (y[base + j + 1] as number) - (e0r * c0i + e0i * c0r + e1r * c1i + e1i * c1r + e2r * c2i + e2i * c2r);
      row[j] = dr;
      row[j + 1] = di;
      phi += dr * dr + di * di;
    }
    return phi;
  }
  for (let j = 0; j < 2 * m; j += 2) {
    let mr = 0;
    let mi = 0;
    for (let r = 0, k = j * R; r < R; r++, k += 2) {
      const er = e[2 * r] as number;
      const ei = e[2 * r + 1] as number;
      const cr = c[k] as number;
      const ci = c[k + 1] as number;
      mr += er * cr - ei * ci;
      mi += er * ci + ei * cr;
    }
    const dr = (y[base + j] as number) - mr;
    const di = (y[base + j + 1] as number) - mi;
    row[j] = dr;
    row[j + 1] = di;
    phi += dr * dr + di * di;
  }
  return phi;
}

/** e_r = A[p, r] B[n, r], r = 0..R−1, into e[0..2R). */
export function rowProducts(
  a: Float64Array,
  b: Float64Array,
  p: number,
  n: number,
  R: number,
  e: Float64Array,
): void {
  for (let r = 0; r < R; r++) {
    const ar = a[2 * (p * R + r)] as number;
    const ai = a[2 * (p * R + r) + 1] as number;
    const br = b[2 * (n * R + r)] as number;
    const bi = b[2 * (n * R + r) + 1] as number;
    e[2 * r] = ar * br - ai * bi;
    e[2 * r + 1] = ar * bi + ai * br;
  }
}

/**
 * residualGradient for R = 3 with one loop per tensor row: the residual element, the three dot
 * products (for g_A, g_B) and the three g_C updates in registers (same sums as the general loop).
 */
function residualGradient3(
  y: Float64Array,
  na: number,
  nc: number,
  m: number,
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  ga: Float64Array,
  gb: Float64Array,
  gc: Float64Array,
  e: Float64Array,
): number {
  let phi = 0;
  for (let p = 0; p < na; p++) {
    for (let n = 0; n < nc; n++) {
      rowProducts(a, b, p, n, 3, e);
      const e0r = e[0] as number;
      const e0i = e[1] as number;
      const e1r = e[2] as number;
      const e1i = e[3] as number;
      const e2r = e[4] as number;
      const e2i = e[5] as number;
      let t0r = 0;
      let t0i = 0;
      let t1r = 0;
      let t1i = 0;
      let t2r = 0;
      let t2i = 0;
      const base = 2 * (p * nc + n) * m;
      for (let j = 0, k = 0; j < 2 * m; j += 2, k += 6) {
        const c0r = c[k] as number;
        const c0i = c[k + 1] as number;
        const c1r = c[k + 2] as number;
        const c1i = c[k + 3] as number;
        const c2r = c[k + 4] as number;
        const c2i = c[k + 5] as number;
        const dr =
          (y[base + j] as number) - (e0r * c0r - e0i * c0i + e1r * c1r - e1i * c1i + e2r * c2r - e2i * c2i);
        const di =
          (y[base + j + 1] as number) -
          (e0r * c0i + e0i * c0r + e1r * c1i + e1i * c1r + e2r * c2i + e2i * c2r);
        phi += dr * dr + di * di;
        // t_r += conj(C[m, r]) E_m ;  g_C[m, r] += conj(e_r) E_m
        t0r += c0r * dr + c0i * di;
        t0i += c0r * di - c0i * dr;
        t1r += c1r * dr + c1i * di;
        t1i += c1r * di - c1i * dr;
        t2r += c2r * dr + c2i * di;
        t2i += c2r * di - c2i * dr;
        gc[k] = (gc[k] as number) + e0r * dr + e0i * di;
        gc[k + 1] = (gc[k + 1] as number) + e0r * di - e0i * dr;
        gc[k + 2] = (gc[k + 2] as number) + e1r * dr + e1i * di;
        gc[k + 3] = (gc[k + 3] as number) + e1r * di - e1i * dr;
        gc[k + 4] = (gc[k + 4] as number) + e2r * dr + e2i * di;
        gc[k + 5] = (gc[k + 5] as number) + e2r * di - e2i * dr;
      }
      addFactorGradients(a, b, p, n, 0, t0r, t0i, ga, gb);
      addFactorGradients(a, b, p, n, 1, t1r, t1i, ga, gb);
      addFactorGradients(a, b, p, n, 2, t2r, t2i, ga, gb);
    }
  }
  return phi;
}

/**
 * Per tensor row (p, n) the three products `product(a, b, p, n)` (rowProducts, or mttkrp.ts's conjugates)
 * into the kernels' region `region` in split form: the rows' coefficients of residualRows3 and
 * accumulateRows3. `e` is scratch of 3 complex values.
 */
export function splitRowProducts3(
  kernels: WasmKernels,
  region: string,
  a: Float64Array,
  b: Float64Array,
  na: number,
  nc: number,
  e: Float64Array,
  product: typeof rowProducts,
): void {
  const es = kernels.view(region, 12 * na * nc);
  for (let p = 0; p < na; p++)
    for (let n = 0; n < nc; n++) {
      product(a, b, p, n, 3, e);
      splitComplex(e, 0, 3, es, 12 * (p * nc + n));
    }
}

/** residualGradient3 with the pass over Y in WebAssembly (residualRows3): the same numbers. */
function simdResidualGradient3(
  y: Float64Array,
  na: number,
  nc: number,
  m: number,
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  ga: Float64Array,
  gb: Float64Array,
  gc: Float64Array,
  e: Float64Array,
  simd: TensorKernels,
): number {
  const { kernels } = simd;
  loadTensor(simd, y, 2 * na * nc * m);
  splitRowProducts3(kernels, CP_LM_E, a, b, na, nc, e, rowProducts);
  kernels.view(CP_LM_C, 6 * m).set(c.subarray(0, 6 * m));
  const g = kernels.view(CP_LM_GC, 6 * m).fill(0);
  const phi = kernels.residualRows3(CP_TENSOR, na * nc, m, CP_LM_E, CP_LM_C, CP_LM_T, CP_LM_GC);
  const t = kernels.view(CP_LM_T, 6 * na * nc);
  for (let p = 0; p < na; p++)
    for (let n = 0; n < nc; n++) {
      const o = 6 * (p * nc + n);
      for (let r = 0; r < 3; r++)
        addFactorGradients(a, b, p, n, r, t[o + 2 * r] as number, t[o + 2 * r + 1] as number, ga, gb);
    }
  gc.set(g);
  return phi;
}

/** g_A[p, r] += conj(B[n, r]) t, g_B[n, r] += conj(A[p, r]) t  (R = 3). */
function addFactorGradients(
  a: Float64Array,
  b: Float64Array,
  p: number,
  n: number,
  r: number,
  tr: number,
  ti: number,
  ga: Float64Array,
  gb: Float64Array,
): void {
  const kb = 2 * (n * 3 + r);
  const ka = 2 * (p * 3 + r);
  const br = b[kb] as number;
  const bi = b[kb + 1] as number;
  const ar = a[ka] as number;
  const ai = a[ka + 1] as number;
  ga[ka] = (ga[ka] as number) + br * tr + bi * ti;
  ga[ka + 1] = (ga[ka + 1] as number) + br * ti - bi * tr;
  gb[kb] = (gb[kb] as number) + ar * tr + ai * ti;
  gb[kb + 1] = (gb[kb + 1] as number) + ar * ti - ai * tr;
}
