/**
 * Matched-filter magnitudes of the symbol-level fusion objectives (eqs. 48, 52) by Horner's rule:
 * one complex multiply-add per term, no sin/cos per term, no allocation.
 *
 * For a factor x (n complex values, interleaved, starting at complex offset `off`) and a phase φ,
 *   |S(φ)| = |Σ_{k=1..n} x_k e^{jkφ}| = |Σ_{k=0..n−1} x_{k+1} z^k|,   z = e^{jφ}
 * (the common factor z has modulus 1). |z| = 1 keeps the recurrence stable: the rounding error of
 * the sum grows like n·ε, as for a plain dot product.
 */

/**
 * |Σ_k x_k e^{jkφ}| for the factor x at complex offset `off`, n terms; (zr, zi) = (cos φ, sin φ).
 * Four interleaved Horner chains, P(z) = Σ_{r=0..3} z^r Q_r(z⁴) with Q_r holding x_{4q+r+1}: still
 * one complex multiply-add per term, but four independent dependency chains instead of one
 * (about 2x faster: a single Horner chain is bound by the latency of its multiply-add).
 */
export function hornerAbs(x: Float64Array, off: number, n: number, zr: number, zi: number): number {
  const z2r = zr * zr - zi * zi;
  const z2i = 2 * zr * zi;
  const z3r = z2r * zr - z2i * zi;
  const z3i = z2r * zi + z2i * zr;
  const wr = z2r * z2r - z2i * z2i;
  const wi = 2 * z2r * z2i;
  const b = 2 * off;
  let a0r = 0;
  let a0i = 0;
  let a1r = 0;
  let a1i = 0;
  let a2r = 0;
  let a2i = 0;
  let a3r = 0;
  let a3i = 0;
  const q = n >> 2;
  const rem = n - 4 * q;
  // the partial top block holds each chain's highest coefficient (degree q)
  let k = b + 8 * q;
  if (rem > 0) {
    a0r = x[k] as number;
    a0i = x[k + 1] as number;
  }
  if (rem > 1) {
    a1r = x[k + 2] as number;
    a1i = x[k + 3] as number;
  }
  if (rem > 2) {
    a2r = x[k + 4] as number;
    a2i = x[k + 5] as number;
  }
  for (k -= 8; k >= b; k -= 8) {
    let t = a0r * wr - a0i * wi + (x[k] as number);
    a0i = a0r * wi + a0i * wr + (x[k + 1] as number);
    a0r = t;
    t = a1r * wr - a1i * wi + (x[k + 2] as number);
    a1i = a1r * wi + a1i * wr + (x[k + 3] as number);
    a1r = t;
    t = a2r * wr - a2i * wi + (x[k + 4] as number);
    a2i = a2r * wi + a2i * wr + (x[k + 5] as number);
    a2r = t;
    t = a3r * wr - a3i * wi + (x[k + 6] as number);
    a3i = a3r * wi + a3i * wr + (x[k + 7] as number);
    a3r = t;
  }
  const pr = a0r + (a1r * zr - a1i * zi) + (a2r * z2r - a2i * z2i) + (a3r * z3r - a3i * z3i);
  const pi = a0i + (a1r * zi + a1i * zr) + (a2r * z2i + a2i * z2r) + (a3r * z3i + a3i * z3r);
  return Math.sqrt(pr * pr + pi * pi);
}

/**
 * |S(φ)| and d|S|/dφ together (two complex multiply-adds per term). With P(z) = Σ_{k=0}^{n−1}
 * x_{k+1} z^k and D = z P'(z) = Σ k x_{k+1} z^k, the derivative is
 *   d|S|/dφ = Re(conj(S) dS/dφ)/|S| = −Im(conj(P) D)/|P|
 * (the k-independent part of the derivative is purely imaginary against P and drops out).
 * Writes [|S|, d|S|/dφ] into out[0], out[1]; the derivative is 0 where |S| = 0 (a defined value
 * at the non-differentiable point).
 */
export function hornerAbsDerivative(
  x: Float64Array,
  off: number,
  n: number,
  zr: number,
  zi: number,
  out: Float64Array,
): void {
  let k = 2 * (off + n - 1);
  let br = x[k] as number;
  let bi = x[k + 1] as number;
  let dr = 0;
  let di = 0;
  for (k -= 2; k >= 2 * off; k -= 2) {
    // d ← d z + b ; b ← b z + x_k   (P' by the derivative Horner scheme)
    const tdr = dr * zr - di * zi + br;
    di = dr * zi + di * zr + bi;
    dr = tdr;
    const tbr = br * zr - bi * zi + (x[k] as number);
    bi = br * zi + bi * zr + (x[k + 1] as number);
    br = tbr;
  }
  // D = z P'(z)
  const Dr = dr * zr - di * zi;
  const Di = dr * zi + di * zr;
  const mag = Math.sqrt(br * br + bi * bi);
  out[0] = mag;
  // Im(conj(P) D) = br Di − bi Dr
  out[1] = mag > 0 ? -(br * Di - bi * Dr) / mag : 0;
}
