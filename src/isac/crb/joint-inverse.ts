import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { realCholesky } from '../../math/real-cholesky.js';
import { RCOND_MIN } from './spd-inverse.js';

/**
 * Inverse of an n×n symmetric positive semi-definite Fisher matrix (n = 4U of the joint bound),
 * the same rules as spd-inverse.ts for n ≤ 4: equilibrate the diagonal (unit diagonal), Cholesky,
 * reciprocal 1-norm condition number; below RCOND_MIN it counts as singular. On the singular path
 * the equilibrated matrix is eigen-decomposed: the eigenvectors of eigenvalues ≤ RCOND_MIN·λ_max
 * span the unidentifiable directions, and a parameter block that has no component there gets its
 * block of the Moore-Penrose pseudo-inverse (which is its bound: it is estimable).
 */
export interface JointInverse {
  /** the inverse (or pseudo-inverse on the singular path), n×n row-major */
  inverse: Float64Array;
  /** reciprocal condition number of the equilibrated matrix (0 when a diagonal is 0) */
  rcond: number;
  /** unit null directions in equilibrated units (empty when regular) */
  nullVectors: Float64Array[];
  /** parameters with zero Fisher information */
  zeroDiagonal: number[];
}

export function jointInverse(a: Float64Array, n: number): JointInverse {
  const sc = new Float64Array(n);
  const zeroDiagonal: number[] = [];
  for (let i = 0; i < n; i++) {
    const d = a[n * i + i] as number;
    if (!(d > 0) || !Number.isFinite(d)) zeroDiagonal.push(i);
    sc[i] = d > 0 && Number.isFinite(d) ? 1 / Math.sqrt(d) : 0;
  }
  const b = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++)
      b[n * i + j] =
        i === j && sc[i] !== 0 ? 1 : (a[n * i + j] as number) * (sc[i] as number) * (sc[j] as number);
  if (zeroDiagonal.length === 0) {
    const inv = choleskyInverse(b, n);
    if (inv) {
      const rcond = 1 / (norm1(b, n) * norm1(inv, n));
      if (rcond >= RCOND_MIN) return { inverse: unscale(inv, sc, n), rcond, nullVectors: [], zeroDiagonal };
    }
  }
  return pseudoInverse(b, sc, n, zeroDiagonal);
}

function pseudoInverse(b: Float64Array, sc: Float64Array, n: number, zeroDiagonal: number[]): JointInverse {
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) rows.push(Array.from(b.subarray(n * i, n * i + n)));
  const eig = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true });
  const values = eig.realEigenvalues;
  const vecs = eig.eigenvectorMatrix;
  const lmax = Math.max(...values);
  const cut = RCOND_MIN * lmax;
  const inv = new Float64Array(n * n);
  const nullVectors: Float64Array[] = [];
  let lmin = Infinity;
  values.forEach((lam, k) => {
    const v = vecs.getColumn(k);
    if (lam <= cut) {
      nullVectors.push(Float64Array.from(v));
      return;
    }
    lmin = Math.min(lmin, lam);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++)
        inv[n * i + j] = (inv[n * i + j] as number) + ((v[i] as number) * (v[j] as number)) / lam;
  });
  const rcond = nullVectors.length > 0 ? Math.max(0, Math.min(...values)) / lmax : lmin / lmax;
  return { inverse: unscale(inv, sc, n), rcond, nullVectors, zeroDiagonal };
}

function choleskyInverse(b: Float64Array, n: number): Float64Array | null {
  const l = new Float64Array(n * n);
  if (!realCholesky(b, n, l, 1e-15)) return null;
  const li = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    li[n * j + j] = 1 / (l[n * j + j] as number);
    for (let i = j + 1; i < n; i++) {
      let s = 0;
      for (let k = j; k < i; k++) s -= (l[n * i + k] as number) * (li[n * k + j] as number);
      li[n * i + j] = s / (l[n * i + i] as number);
    }
  }
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = i; k < n; k++) s += (li[n * k + i] as number) * (li[n * k + j] as number);
      inv[n * i + j] = s;
      inv[n * j + i] = s;
    }
  }
  return inv;
}

function norm1(m: Float64Array, n: number): number {
  let best = 0;
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.abs(m[n * i + j] as number);
    if (s > best) best = s;
  }
  return best;
}

function unscale(inv: Float64Array, sc: Float64Array, n: number): Float64Array {
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++)
      inv[n * i + j] = (inv[n * i + j] as number) * (sc[i] as number) * (sc[j] as number);
  return inv;
}
