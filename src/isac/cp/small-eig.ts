/** Eigen-decomposition of a small general complex matrix. */
export interface SmallEig {
  /** eigenvalues λ_j, interleaved complex */
  values: Float64Array;
  /** eigenvectors, n x n row-major interleaved: column j (unit norm) belongs to λ_j */
  vectors: Float64Array;
  /** false if the QR iteration hit its cap (the result is still finite) */
  converged: boolean;
}

/**
 * Eigenvalues and eigenvectors of a general complex n x n matrix (row-major interleaved; n small,
 * e.g. the R x R ESPRIT operators): complex Schur form A = Q T Qᴴ by the shifted QR algorithm
 * (Householder QR steps on the active block, Wilkinson shifts, deflation on the last row, an
 * exceptional shift after 10 stalled steps), then eigenvectors of T by back substitution, mapped by Q.
 * O(n³) per step. Near-equal eigenvalues give finite (floored) but ill-conditioned eigenvectors.
 */
export function smallEig(a: Float64Array, n: number): SmallEig {
  const h = a.slice(0, 2 * n * n);
  const q = identity(n);
  let scale = 0;
  for (let k = 0; k < 2 * n * n; k++) scale = Math.max(scale, Math.abs(h[k] as number));
  const tiny = 1e-15 * (scale > 0 ? scale : 1);
  const qk = new Float64Array(2 * n * n);
  const work = new Float64Array(2 * n * n);
  let converged = true;
  let k = n;
  let stall = 0;
  let total = 0;
  while (k > 1) {
    // deflate when the last active row is zero left of the diagonal
    let off = 0;
    for (let j = 0; j < k - 1; j++)
      off = Math.max(
        off,
        Math.hypot(h[2 * ((k - 1) * n + j)] as number, h[2 * ((k - 1) * n + j) + 1] as number),
      );
    if (off <= tiny) {
      for (let j = 0; j < k - 1; j++) {
        h[2 * ((k - 1) * n + j)] = 0;
        h[2 * ((k - 1) * n + j) + 1] = 0;
      }
      k--;
      stall = 0;
      continue;
    }
    if (++total > 60 * n) {
      converged = false;
      break;
    }
    stall++;
    let [mr, mi] = wilkinsonShift(h, n, k);
    if (stall % 11 === 10) {
      mr += 0.75 * off;
      mi += 0.43 * off;
    }
    // Q_k R = H_k − μI (Householder), then H ← Q̃ᴴ H Q̃ with Q̃ = blockdiag(Q_k, I)
    householderQ(h, n, k, mr, mi, qk, work);
    similarity(h, n, k, qk, work);
    accumulate(q, n, k, qk, work);
  }
  const values = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    values[2 * i] = h[2 * (i * n + i)] as number;
    values[2 * i + 1] = h[2 * (i * n + i) + 1] as number;
  }
  return { values, vectors: eigenvectors(h, q, n, tiny), converged };
}

function identity(n: number): Float64Array {
  const m = new Float64Array(2 * n * n);
  for (let i = 0; i < n; i++) m[2 * (i * n + i)] = 1;
  return m;
}

/** Eigenvalue of the trailing 2 x 2 block of the active k x k block closest to its last diagonal entry. */
function wilkinsonShift(h: Float64Array, n: number, k: number): [number, number] {
  const at = (i: number, j: number): [number, number] => [
    h[2 * (i * n + j)] as number,
    h[2 * (i * n + j) + 1] as number,
  ];
  const [ar, ai] = at(k - 2, k - 2);
  const [br, bi] = at(k - 2, k - 1);
  const [cr, ci] = at(k - 1, k - 2);
  const [dr, di] = at(k - 1, k - 1);
  // λ = (a + d)/2 ± sqrt(((a − d)/2)² + bc)
  const hr = (ar - dr) / 2;
  const hi = (ai - di) / 2;
  const sr = hr * hr - hi * hi + (br * cr - bi * ci);
  const si = 2 * hr * hi + (br * ci + bi * cr);
  const mod = Math.hypot(sr, si);
  const qr = Math.sqrt((mod + sr) / 2);
  const qi = Math.sign(si || 1) * Math.sqrt(Math.max(0, (mod - sr) / 2));
  const mr = (ar + dr) / 2;
  const mi = (ai + di) / 2;
  const l1r = mr + qr;
  const l1i = mi + qi;
  const l2r = mr - qr;
  const l2i = mi - qi;
  return Math.hypot(l1r - dr, l1i - di) <= Math.hypot(l2r - dr, l2i - di) ? [l1r, l1i] : [l2r, l2i];
}

/** qk (k x k, stride n) = the unitary factor of the QR decomposition of H[0:k, 0:k] − μI. */
function householderQ(
  h: Float64Array,
  n: number,
  k: number,
  mr: number,
  mi: number,
  qk: Float64Array,
  r: Float64Array,
): void {
  // r = H_k − μI, qk = I (both stride n)
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      r[2 * (i * n + j)] = (h[2 * (i * n + j)] as number) - (i === j ? mr : 0);
      r[2 * (i * n + j) + 1] = (h[2 * (i * n + j) + 1] as number) - (i === j ? mi : 0);
      qk[2 * (i * n + j)] = i === j ? 1 : 0;
      qk[2 * (i * n + j) + 1] = 0;
    }
  }
  const v = new Float64Array(2 * k);
  for (let c = 0; c < k - 1; c++) {
    let nx = 0;
    for (let i = c; i < k; i++)
      nx += (r[2 * (i * n + c)] as number) ** 2 + (r[2 * (i * n + c) + 1] as number) ** 2;
    nx = Math.sqrt(nx);
    if (!(nx > 0)) continue;
    const x0r = r[2 * (c * n + c)] as number;
    const x0i = r[2 * (c * n + c) + 1] as number;
    const x0 = Math.hypot(x0r, x0i);
    const pr = x0 > 0 ? x0r / x0 : 1;
    const pi = x0 > 0 ? x0i / x0 : 0;
    // v = x + e^{j arg x0} ||x|| e_1
    let nv = 0;
    for (let i = c; i < k; i++) {
      let vr = r[2 * (i * n + c)] as number;
      let vi = r[2 * (i * n + c) + 1] as number;
      if (i === c) {
        vr += pr * nx;
        vi += pi * nx;
      }
      v[2 * i] = vr;
      v[2 * i + 1] = vi;
      nv += vr * vr + vi * vi;
    }
    if (!(nv > 0)) continue;
    const inv = 1 / Math.sqrt(nv);
    for (let i = c; i < k; i++) {
      v[2 * i] = (v[2 * i] as number) * inv;
      v[2 * i + 1] = (v[2 * i + 1] as number) * inv;
    }
    // r ← (I − 2vvᴴ) r ; qk ← qk (I − 2vvᴴ)
    for (let j = 0; j < k; j++) {
      let sr = 0;
      let si = 0;
      for (let i = c; i < k; i++) {
        const vr = v[2 * i] as number;
        const vi = -(v[2 * i + 1] as number);
        const xr = r[2 * (i * n + j)] as number;
        const xi = r[2 * (i * n + j) + 1] as number;
        sr += vr * xr - vi * xi;
        si += vr * xi + vi * xr;
      }
      for (let i = c; i < k; i++) {
        const vr = v[2 * i] as number;
        const vi = v[2 * i + 1] as number;
        r[2 * (i * n + j)] = (r[2 * (i * n + j)] as number) - 2 * (vr * sr - vi * si);
        r[2 * (i * n + j) + 1] = (r[2 * (i * n + j) + 1] as number) - 2 * (vr * si + vi * sr);
      }
    }
    for (let i = 0; i < k; i++) {
      let sr = 0;
      let si = 0;
      for (let j = c; j < k; j++) {
        const xr = qk[2 * (i * n + j)] as number;
        const xi = qk[2 * (i * n + j) + 1] as number;
        const vr = v[2 * j] as number;
        const vi = v[2 * j + 1] as number;
        sr += xr * vr - xi * vi;
        si += xr * vi + xi * vr;
      }
      for (let j = c; j < k; j++) {
        // qk[i, j] −= 2 s conj(v_j)
        const vr = v[2 * j] as number;
        const vi = -(v[2 * j + 1] as number);
        qk[2 * (i * n + j)] = (qk[2 * (i * n + j)] as number) - 2 * (sr * vr - si * vi);
        qk[2 * (i * n + j) + 1] = (qk[2 * (i * n + j) + 1] as number) - 2 * (sr * vi + si * vr);
      }
    }
  }
}

/** H[0:k, :] ← Q_kᴴ H[0:k, :] ; H[:, 0:k] ← H[:, 0:k] Q_k  (rows/columns >= k of the lower part are 0). */
function similarity(h: Float64Array, n: number, k: number, qk: Float64Array, w: Float64Array): void {
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < n; j++) {
      let sr = 0;
      let si = 0;
      for (let t = 0; t < k; t++) {
        const qr = qk[2 * (t * n + i)] as number;
        const qi = -(qk[2 * (t * n + i) + 1] as number);
        const xr = h[2 * (t * n + j)] as number;
        const xi = h[2 * (t * n + j) + 1] as number;
        sr += qr * xr - qi * xi;
        si += qr * xi + qi * xr;
      }
      w[2 * (i * n + j)] = sr;
      w[2 * (i * n + j) + 1] = si;
    }
  }
  h.set(w.subarray(0, 2 * k * n), 0);
  multiplyColumns(h, n, k, qk, w);
}

/** X[:, 0:k] ← X[:, 0:k] Q_k for all n rows. */
function multiplyColumns(x: Float64Array, n: number, k: number, qk: Float64Array, w: Float64Array): void {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      let sr = 0;
      let si = 0;
      for (let t = 0; t < k; t++) {
        const xr = x[2 * (i * n + t)] as number;
        const xi = x[2 * (i * n + t) + 1] as number;
        const qr = qk[2 * (t * n + j)] as number;
        const qi = qk[2 * (t * n + j) + 1] as number;
        sr += xr * qr - xi * qi;
        si += xr * qi + xi * qr;
      }
      w[2 * j] = sr;
      w[2 * j + 1] = si;
    }
    for (let j = 0; j < k; j++) {
      x[2 * (i * n + j)] = w[2 * j] as number;
      x[2 * (i * n + j) + 1] = w[2 * j + 1] as number;
    }
  }
}

function accumulate(q: Float64Array, n: number, k: number, qk: Float64Array, w: Float64Array): void {
  multiplyColumns(q, n, k, qk, w);
}

/** Eigenvectors of A = Q T Qᴴ: x solves (T − t_ii I) x = 0 with x_i = 1 (back substitution), v = Q x / ||Q x||. */
function eigenvectors(t: Float64Array, q: Float64Array, n: number, tiny: number): Float64Array {
  const out = new Float64Array(2 * n * n);
  const x = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    x.fill(0);
    x[2 * i] = 1;
    const lr = t[2 * (i * n + i)] as number;
    const li = t[2 * (i * n + i) + 1] as number;
    for (let j = i - 1; j >= 0; j--) {
      let sr = 0;
      let si = 0;
      for (let c = j + 1; c <= i; c++) {
        const ar = t[2 * (j * n + c)] as number;
        const ai = t[2 * (j * n + c) + 1] as number;
        const xr = x[2 * c] as number;
        const xi = x[2 * c + 1] as number;
        sr += ar * xr - ai * xi;
        si += ar * xi + ai * xr;
      }
      let dr = (t[2 * (j * n + j)] as number) - lr;
      let di = (t[2 * (j * n + j) + 1] as number) - li;
      if (Math.hypot(dr, di) < tiny) {
        dr = tiny;
        di = 0;
      }
      const dd = dr * dr + di * di;
      // x_j = −s / d
      x[2 * j] = -(sr * dr + si * di) / dd;
      x[2 * j + 1] = -(si * dr - sr * di) / dd;
    }
    let nrm = 0;
    for (let r = 0; r < n; r++) {
      let sr = 0;
      let si = 0;
      for (let c = 0; c <= i; c++) {
        const qr = q[2 * (r * n + c)] as number;
        const qi = q[2 * (r * n + c) + 1] as number;
        const xr = x[2 * c] as number;
        const xi = x[2 * c + 1] as number;
        sr += qr * xr - qi * xi;
        si += qr * xi + qi * xr;
      }
      out[2 * (r * n + i)] = sr;
      out[2 * (r * n + i) + 1] = si;
      nrm += sr * sr + si * si;
    }
    const inv = nrm > 0 && Number.isFinite(nrm) ? 1 / Math.sqrt(nrm) : 0;
    for (let r = 0; r < n; r++) {
      out[2 * (r * n + i)] = (out[2 * (r * n + i)] as number) * inv;
      out[2 * (r * n + i) + 1] = (out[2 * (r * n + i) + 1] as number) * inv;
    }
  }
  return out;
}
