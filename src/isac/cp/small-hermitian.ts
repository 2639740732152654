/**
 * Small complex R x R kernels of CP-ALS: Gram matrices, Hadamard products, Cholesky solves.
 * Matrices are interleaved complex, row-major: entry (r, s) at [2(rR + s)], [2(rR + s) + 1].
 * Factor matrices X (rows x R) are stored the same way: entry (i, r) at complex index iR + r.
 */

/** W = Xᴴ Y, W[r, s] = Σ_i conj(X[i, r]) Y[i, s]  (R x R; X and Y rows x R). */
export function crossGram(
  x: Float64Array,
  y: Float64Array,
  rows: number,
  R: number,
  out: Float64Array,
): void {
  out.fill(0, 0, 2 * R * R);
  for (let i = 0; i < rows; i++) {
    const o = 2 * i * R;
    for (let r = 0; r < R; r++) {
      const xr = x[o + 2 * r] as number;
      const xi = -(x[o + 2 * r + 1] as number);
      for (let s = 0; s < R; s++) {
        const yr = y[o + 2 * s] as number;
        const yi = y[o + 2 * s + 1] as number;
        const k = 2 * (r * R + s);
        out[k] = (out[k] as number) + xr * yr - xi * yi;
        out[k + 1] = (out[k + 1] as number) + xr * yi + xi * yr;
      }
    }
  }
}

/** out = a ∘ b (element-wise complex product of two R x R matrices). */
export function hadamard(a: Float64Array, b: Float64Array, R: number, out: Float64Array): void {
  for (let k = 0; k < 2 * R * R; k += 2) {
    const ar = a[k] as number;
    const ai = a[k + 1] as number;
    const br = b[k] as number;
    const bi = b[k + 1] as number;
    out[k] = ar * br - ai * bi;
    out[k + 1] = ar * bi + ai * br;
  }
}

/** Real part of the trace of an R x R matrix. */
export function traceRe(a: Float64Array, R: number): number {
  let t = 0;
  for (let r = 0; r < R; r++) t += a[2 * (r * R + r)] as number;
  return t;
}

/**
 * In-place Cholesky G + shift·I = L Lᴴ of a Hermitian matrix (lower triangle of `g` overwritten by
 * L; L's diagonal is real). Pivots below `floor` are raised to `floor`, so a singular or zero G
 * gives a finite (pseudo-regularised) factor instead of NaN. Returns the number of raised pivots.
 */
export function choleskyInPlace(g: Float64Array, R: number, shift: number, floor: number): number {
  let raised = 0;
  for (let i = 0; i < R; i++) {
    for (let j = i; j < R; j++) {
      // s = G[j, i] − Σ_{k<i} L[j, k] conj(L[i, k])
      let sr = g[2 * (j * R + i)] as number;
      let si = g[2 * (j * R + i) + 1] as number;
      if (j === i) {
        sr += shift;
        si = 0;
      }
      for (let k = 0; k < i; k++) {
        const ljr = g[2 * (j * R + k)] as number;
        const lji = g[2 * (j * R + k) + 1] as number;
        const lir = g[2 * (i * R + k)] as number;
        const lii = g[2 * (i * R + k) + 1] as number;
        sr -= ljr * lir + lji * lii;
        si -= lji * lir - ljr * lii;
      }
      if (j === i) {
        if (!(sr > floor)) {
          sr = floor;
          raised++;
        }
        g[2 * (i * R + i)] = Math.sqrt(sr);
        g[2 * (i * R + i) + 1] = 0;
      } else {
        const d = g[2 * (i * R + i)] as number;
        g[2 * (j * R + i)] = sr / d;
        g[2 * (j * R + i) + 1] = si / d;
      }
    }
  }
  return raised;
}

/**
 * Solves (L Lᴴ) x = b in place for each of `rows` vectors stored as the rows of `x` (rows x R):
 * forward substitution with L, back substitution with Lᴴ.
 */
export function choleskySolveRows(l: Float64Array, R: number, x: Float64Array, rows: number): void {
  for (let i = 0; i < rows; i++) {
    const o = 2 * i * R;
    for (let a = 0; a < R; a++) {
      let sr = x[o + 2 * a] as number;
      let si = x[o + 2 * a + 1] as number;
      for (let k = 0; k < a; k++) {
        const lr = l[2 * (a * R + k)] as number;
        const li = l[2 * (a * R + k) + 1] as number;
        const yr = x[o + 2 * k] as number;
        const yi = x[o + 2 * k + 1] as number;
        sr -= lr * yr - li * yi;
        si -= lr * yi + li * yr;
      }
      const d = l[2 * (a * R + a)] as number;
      x[o + 2 * a] = sr / d;
      x[o + 2 * a + 1] = si / d;
    }
    for (let a = R - 1; a >= 0; a--) {
      let sr = x[o + 2 * a] as number;
      let si = x[o + 2 * a + 1] as number;
      for (let k = a + 1; k < R; k++) {
        // conj(L[k, a]) z_k
        const lr = l[2 * (k * R + a)] as number;
        const li = -(l[2 * (k * R + a) + 1] as number);
        const zr = x[o + 2 * k] as number;
        const zi = x[o + 2 * k + 1] as number;
        sr -= lr * zr - li * zi;
        si -= lr * zi + li * zr;
      }
      const d = l[2 * (a * R + a)] as number;
      x[o + 2 * a] = sr / d;
      x[o + 2 * a + 1] = si / d;
    }
  }
}
