/**
 * Inverse of a small (n ≤ 4) symmetric positive definite matrix, numerically careful:
 * the diagonal is equilibrated first (B = S A S with S = diag(A)^(−1/2), unit diagonal), B is
 * Cholesky-factorised and inverted, and A⁻¹ = S B⁻¹ S. Fisher matrices of (x, y, v, θ_u) have
 * entries spanning ~1e3..1e9 in different units; equilibration makes the factorisation and the
 * conditioning test independent of those units.
 *
 * Allocation-free: uses module scratch (JavaScript is single-threaded; not re-entrant).
 */

/** Below this reciprocal condition number (1-norm, after equilibration) a FIM counts as singular. */
export const RCOND_MIN = 1e-12;

/** Cholesky pivots² of the unit-diagonal matrix at or below this count as zero. */
const PIVOT2_MIN = 1e-15;

const sc = new Float64Array(4);
const b = new Float64Array(16);
const l = new Float64Array(16);
const li = new Float64Array(16);

/** Outcome of {@link spdInverse}. */
export const SpdStatus = {
  Ok: 0,
  /** a diagonal entry is ≤ 0 or not finite: that parameter carries no information */
  ZeroDiagonal: 1,
  /** a Cholesky pivot vanished: not positive definite */
  NotPositiveDefinite: 2,
  /** reciprocal condition number below RCOND_MIN */
  IllConditioned: 3,
} as const;
export type SpdStatus = (typeof SpdStatus)[keyof typeof SpdStatus];

/** Result fields of the last {@link spdInverse} call (module state, read right after the call). */
export const spdLast = {
  /** reciprocal 1-norm condition number of the equilibrated matrix (0 when singular) */
  rcond: 0,
  /** offending index for ZeroDiagonal / NotPositiveDefinite, else −1 */
  index: -1,
};

/**
 * Inverts the n×n row-major matrix a[aOff..] (stride `stride`, default n) into out[oOff..] (same
 * stride). Returns an {@link SpdStatus}; on failure `out` is left unchanged. Only the
 * lower triangle of `a` is read.
 */
export function spdInverse(
  a: Float64Array,
  n: number,
  out: Float64Array,
  aOff = 0,
  oOff = 0,
  stride = n,
): SpdStatus {
  spdLast.rcond = 0;
  spdLast.index = -1;
  for (let i = 0; i < n; i++) {
    const d = a[aOff + i * stride + i] as number;
    if (!(d > 0) || !Number.isFinite(d)) {
      spdLast.index = i;
      return SpdStatus.ZeroDiagonal;
    }
    sc[i] = 1 / Math.sqrt(d);
  }
  // equilibrated B (full, symmetric from the lower triangle)
  let norm1 = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = i === j ? 1 : (a[aOff + i * stride + j] as number) * (sc[i] as number) * (sc[j] as number);
      b[i * 4 + j] = v;
      b[j * 4 + i] = v;
    }
  }
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.abs(b[i * 4 + j] as number);
    if (s > norm1) norm1 = s;
  }
  // Cholesky B = L Lᵀ
  for (let j = 0; j < n; j++) {
    let d = b[j * 4 + j] as number;
    for (let k = 0; k < j; k++) d -= (l[j * 4 + k] as number) ** 2;
    if (!(d > PIVOT2_MIN)) {
      spdLast.index = j;
      return SpdStatus.NotPositiveDefinite;
    }
    const ljj = Math.sqrt(d);
    l[j * 4 + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = b[i * 4 + j] as number;
      for (let k = 0; k < j; k++) s -= (l[i * 4 + k] as number) * (l[j * 4 + k] as number);
      l[i * 4 + j] = s / ljj;
    }
  }
  // L⁻¹ (lower triangular)
  for (let j = 0; j < n; j++) {
    li[j * 4 + j] = 1 / (l[j * 4 + j] as number);
    for (let i = j + 1; i < n; i++) {
      let s = 0;
      for (let k = j; k < i; k++) s -= (l[i * 4 + k] as number) * (li[k * 4 + j] as number);
      li[i * 4 + j] = s / (l[i * 4 + i] as number);
    }
  }
  // B⁻¹ = L⁻ᵀ L⁻¹, then A⁻¹ = S B⁻¹ S; 1-norm of B⁻¹ on the way
  let inorm1 = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = i; k < n; k++) s += (li[k * 4 + i] as number) * (li[k * 4 + j] as number);
      b[i * 4 + j] = s;
      b[j * 4 + i] = s;
    }
  }
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.abs(b[i * 4 + j] as number);
    if (s > inorm1) inorm1 = s;
  }
  const rcond = 1 / (norm1 * inorm1);
  spdLast.rcond = rcond;
  if (!(rcond >= RCOND_MIN)) return SpdStatus.IllConditioned;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = (b[i * 4 + j] as number) * (sc[i] as number) * (sc[j] as number);
      out[oOff + i * stride + j] = v;
      out[oOff + j * stride + i] = v;
    }
  }
  return SpdStatus.Ok;
}
