/**
 * Complex data layout used everywhere in isacflow: interleaved Float64Array,
 * element k has re at [2k] and im at [2k+1]. No object per complex number.
 */
export type ComplexArray = Float64Array;

/** A complex vector of n elements, zeroed. */
export function czeros(n: number): ComplexArray {
  return new Float64Array(2 * n);
}

/** ||a||^2 over n complex elements starting at complex offset `off`. */
export function cnorm2(a: ComplexArray, n = a.length >> 1, off = 0): number {
  let s = 0;
  for (let k = 2 * off, e = 2 * (off + n); k < e; k++) {
    const v = a[k] as number;
    s += v * v;
  }
  return s;
}

/**
 * Phase ramp by recurrence: out[k] = amp * exp(j(phi0 + k*dphi)), k = 0..n-1
 * (one complex multiply a step; renormalised every 64 steps against drift).
 */
export function phaseRamp(out: ComplexArray, n: number, phi0: number, dphi: number, amp = 1, off = 0): void {
  const sr = Math.cos(dphi);
  const si = Math.sin(dphi);
  let zr = amp * Math.cos(phi0);
  let zi = amp * Math.sin(phi0);
  for (let k = 0; k < n; k++) {
    if ((k & 63) === 63) {
      const phi = phi0 + k * dphi;
      zr = amp * Math.cos(phi);
      zi = amp * Math.sin(phi);
    }
    out[2 * (off + k)] = zr;
    out[2 * (off + k) + 1] = zi;
    const t = zr * sr - zi * si;
    zi = zr * si + zi * sr;
    zr = t;
  }
}

/**
 * Phase (rad) of Σ_k conj(x_k) x_{k+1} over the n values of x at complex offset `off`: the least-squares
 * phase step of a near-tone (for a tone A e^{jkω}: ω).
 */
export function lagOnePhase(x: Float64Array, off: number, n: number): number {
  const b = 2 * off;
  let sr = 0;
  let si = 0;
  for (let k = 0; k + 1 < n; k++) {
    const pr = x[b + 2 * k] as number;
    const pi = x[b + 2 * k + 1] as number;
    const qr = x[b + 2 * k + 2] as number;
    const qi = x[b + 2 * k + 3] as number;
    sr += pr * qr + pi * qi;
    si += pr * qi - pi * qr;
  }
  return Math.atan2(si, sr);
}
