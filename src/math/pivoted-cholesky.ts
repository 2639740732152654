/**
 * Pivoted complex Cholesky B = L Lᴴ of an n×n Hermitian positive semi-definite matrix (interleaved,
 * row-major, lower triangle read): a column whose remaining pivot is not above `relTol` times its
 * diagonal is dependent on the earlier ones and dropped (keep[j] = 0, its column of L zeroed).
 * Fills the lower triangle of `l` (length 2n²) and `keep` (length n); returns how many were dropped.
 */
export function pivotedCholesky(
  b: Float64Array,
  n: number,
  relTol: number,
  l: Float64Array,
  keep: Uint8Array,
): number {
  let dropped = 0;
  for (let j = 0; j < n; j++) {
    let d = b[2 * (n * j + j)] as number;
    for (let k = 0; k < j; k++)
      d -= (l[2 * (n * j + k)] as number) ** 2 + (l[2 * (n * j + k) + 1] as number) ** 2;
    if (!(d > relTol * (b[2 * (n * j + j)] as number))) {
      keep[j] = 0;
      dropped++;
      for (let i = 0; i < n; i++) {
        l[2 * (n * i + j)] = 0;
        l[2 * (n * i + j) + 1] = 0;
      }
      continue;
    }
    keep[j] = 1;
    const ljj = Math.sqrt(d);
    l[2 * (n * j + j)] = ljj;
    l[2 * (n * j + j) + 1] = 0;
    for (let i = j + 1; i < n; i++) {
      // L_ij = (B_ij − Σ_k L_ik conj(L_jk)) / L_jj
      let sr = b[2 * (n * i + j)] as number;
      let si = b[2 * (n * i + j) + 1] as number;
      for (let k = 0; k < j; k++) {
        const ar = l[2 * (n * i + k)] as number;
        const ai = l[2 * (n * i + k) + 1] as number;
        const br = l[2 * (n * j + k)] as number;
        const bi = l[2 * (n * j + k) + 1] as number;
        sr -= ar * br + ai * bi;
        si -= ai * br - ar * bi;
      }
      l[2 * (n * i + j)] = sr / ljj;
      l[2 * (n * i + j) + 1] = si / ljj;
    }
  }
  return dropped;
}
