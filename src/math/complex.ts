/**
 * Complex data layout used everywhere in isacflow: interleaved Float64Array,
 * element k has re at [2k] and im at [2k+1]. No object per complex number.
 */
export type ComplexArray = Float64Array;

/** A complex vector of n elements, zeroed. */
export function czeros(n: number): ComplexArray {
  return new Float64Array(2 * n);
}

/** Number of complex elements. */
export function clength(a: ComplexArray): number {
  return a.length >> 1;
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
 * Inner product a^H b over n elements; writes [re, im] into out (length >= 2) and returns |a^H b|.
 */
export function cdot(a: ComplexArray, b: ComplexArray, n: number, out?: Float64Array): number {
  let re = 0;
  let im = 0;
  for (let k = 0; k < 2 * n; k += 2) {
    const ar = a[k] as number;
    const ai = a[k + 1] as number;
    const br = b[k] as number;
    const bi = b[k + 1] as number;
    re += ar * br + ai * bi;
    im += ar * bi - ai * br;
  }
  if (out) {
    out[0] = re;
    out[1] = im;
  }
  return Math.hypot(re, im);
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
