/**
 * Cholesky factorisation of small real symmetric positive definite matrices (row-major n x n) and the
 * solve with its factor. Allocation-free: the caller owns every buffer.
 */

/**
 * A = L Lᵀ: writes L's lower triangle (diagonal included) into `l` (`l` may be `a`: column j of A is
 * read before it is overwritten; the strict upper triangle of `l` is left as it was). Returns false
 * when a pivot is not finite or not above `minPivot` (A not positive definite to that margin).
 */
export function realCholesky(a: Float64Array, n: number, l: Float64Array, minPivot = 0): boolean {
  for (let j = 0; j < n; j++) {
    let d = a[n * j + j] as number;
    for (let k = 0; k < j; k++) d -= (l[n * j + k] as number) ** 2;
    if (!(d > minPivot) || !Number.isFinite(d)) return false;
    const ljj = Math.sqrt(d);
    l[n * j + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[n * i + j] as number;
      for (let k = 0; k < j; k++) s -= (l[n * i + k] as number) * (l[n * j + k] as number);
      l[n * i + j] = s / ljj;
    }
  }
  return true;
}

/** Solves L Lᵀ x = b (L from realCholesky) by forward and back substitution; `x` may be `b`. */
export function realCholeskySolve(l: Float64Array, n: number, b: Float64Array, x: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = b[i] as number;
    for (let k = 0; k < i; k++) s -= (l[n * i + k] as number) * (x[k] as number);
    x[i] = s / (l[n * i + i] as number);
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i] as number;
    for (let k = i + 1; k < n; k++) s -= (l[n * k + i] as number) * (x[k] as number);
    x[i] = s / (l[n * i + i] as number);
  }
}
