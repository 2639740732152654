/**
 * Solves the dense complex n x n system S x = b in place by Gaussian elimination with partial
 * pivoting (S row-major interleaved, overwritten; b overwritten by x). Returns false when a pivot is
 * exactly zero or the result is not finite.
 */
export function complexSolve(s: Float64Array, b: Float64Array, n: number): boolean {
  for (let c = 0; c < n; c++) {
    let piv = c;
    let best = -1;
    for (let r = c; r < n; r++) {
      const k = 2 * (r * n + c);
      const m = (s[k] as number) ** 2 + (s[k + 1] as number) ** 2;
      if (m > best) {
        best = m;
        piv = r;
      }
    }
    if (!(best > 0)) return false;
    if (piv !== c) {
      for (let j = 0; j < 2 * n; j++) {
        const t = s[2 * c * n + j] as number;
        s[2 * c * n + j] = s[2 * piv * n + j] as number;
        s[2 * piv * n + j] = t;
      }
      for (let j = 0; j < 2; j++) {
        const t = b[2 * c + j] as number;
        b[2 * c + j] = b[2 * piv + j] as number;
        b[2 * piv + j] = t;
      }
    }
    const dr = s[2 * (c * n + c)] as number;
    const di = s[2 * (c * n + c) + 1] as number;
    const dd = dr * dr + di * di;
    for (let r = c + 1; r < n; r++) {
      const k = 2 * (r * n + c);
      const ar = s[k] as number;
      const ai = s[k + 1] as number;
      if (ar === 0 && ai === 0) continue;
      // f = a / d
      const fr = (ar * dr + ai * di) / dd;
      const fi = (ai * dr - ar * di) / dd;
      for (let j = c; j < n; j++) {
        const kc = 2 * (c * n + j);
        const kr = 2 * (r * n + j);
        const cr = s[kc] as number;
        const ci = s[kc + 1] as number;
        s[kr] = (s[kr] as number) - (fr * cr - fi * ci);
        s[kr + 1] = (s[kr + 1] as number) - (fr * ci + fi * cr);
      }
      const br = b[2 * c] as number;
      const bi = b[2 * c + 1] as number;
      b[2 * r] = (b[2 * r] as number) - (fr * br - fi * bi);
      b[2 * r + 1] = (b[2 * r + 1] as number) - (fr * bi + fi * br);
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let xr = b[2 * r] as number;
    let xi = b[2 * r + 1] as number;
    for (let j = r + 1; j < n; j++) {
      const sr = s[2 * (r * n + j)] as number;
      const si = s[2 * (r * n + j) + 1] as number;
      const yr = b[2 * j] as number;
      const yi = b[2 * j + 1] as number;
      xr -= sr * yr - si * yi;
      xi -= sr * yi + si * yr;
    }
    const dr = s[2 * (r * n + r)] as number;
    const di = s[2 * (r * n + r) + 1] as number;
    const dd = dr * dr + di * di;
    b[2 * r] = (xr * dr + xi * di) / dd;
    b[2 * r + 1] = (xi * dr - xr * di) / dd;
    if (!Number.isFinite(b[2 * r] as number) || !Number.isFinite(b[2 * r + 1] as number)) return false;
  }
  return true;
}
