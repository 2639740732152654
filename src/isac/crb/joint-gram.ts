/**
 * Separable inner products of the echo model's steering vectors and their derivatives
 * (model notes, "The joint (multi-target) CRB"). One AP sees target u through
 * s_u = a(ω_a,u) ⊗ d(ω_d,u) ⊗ f(ω_f,u) with x(ω)[k] = e^{jωk}, k = 1..N (eqs. 1, 2, 33, 34):
 *   ω_a = 2πκ sin θ (angle, N_A),  ω_d = −2πΔf τ (delay, N_c),  ω_f = 2πT f_D (Doppler, M).
 * The derivative of s_u with respect to η = (τ, sin θ, f_D) is index-weighted:
 *   ∂x/∂η = j c k x with c_τ = −2πΔf, c_s = 2πκ, c_f = 2πT.
 * So ⟨a⊗d⊗f, a'⊗d'⊗f'⟩ = ⟨a,a'⟩⟨d,d'⟩⟨f,f'⟩ and every entry of the Gram matrix of
 * E_u = [s_u, ∂_τ s_u, ∂_s s_u, ∂_f s_u] against E_v is a product of three 1-D sums
 *   S_q(Δω) = Σ_{k=1}^N k^q e^{jΔω k},  q = 0, 1, 2,  Δω = ω_v − ω_u:
 * no loop over the N_A N_c M samples.
 */

/** Basis order of E_u: 0 = s, 1 = ∂/∂τ, 2 = ∂/∂sin θ, 3 = ∂/∂f_D (the rows of the local Jacobian + 1). */
export const BASIS = 4;

/**
 * S_0, S_1, S_2 of Δω over k = 1..n into out[off..off+6) as [re0, im0, re1, im1, re2, im2].
 * By recurrence (one complex multiply a step, re-anchored every 64 steps); n is an integer ≥ 1.
 */
export function powerSums(dw: number, n: number, out: Float64Array, off = 0): void {
  const cr = Math.cos(dw);
  const ci = Math.sin(dw);
  let zr = cr;
  let zi = ci;
  let s0r = 0;
  let s0i = 0;
  let s1r = 0;
  let s1i = 0;
  let s2r = 0;
  let s2i = 0;
  for (let k = 1; k <= n; k++) {
    if ((k & 63) === 0) {
      zr = Math.cos(dw * k);
      zi = Math.sin(dw * k);
    }
    s0r += zr;
    s0i += zi;
    s1r += k * zr;
    s1i += k * zi;
    s2r += k * k * zr;
    s2i += k * k * zi;
    const t = zr * cr - zi * ci;
    zi = zr * ci + zi * cr;
    zr = t;
  }
  out[off] = s0r;
  out[off + 1] = s0i;
  out[off + 2] = s1r;
  out[off + 3] = s1i;
  out[off + 4] = s2r;
  out[off + 5] = s2i;
}

/** Per-dimension derivative scales c_τ, c_s, c_f (see the file comment). */
export function derivativeScales(
  subcarrierSpacingHz: number,
  kappa: number,
  symbolT: number,
): [number, number, number] {
  return [-2 * Math.PI * subcarrierSpacingHz, 2 * Math.PI * kappa, 2 * Math.PI * symbolT];
}

const sums = new Float64Array(18);

/**
 * Gram block Γ_uv = E_uᴴ E_v (4×4 complex, row-major interleaved: entry (i, j) at 2(4i + j)) of
 * two echoes at one AP, from the frequency differences of the three dimensions:
 * dwd = ω_d,v − ω_d,u (delay, length nc), dwa (angle, na), dwf (Doppler, m); `scales` = c_τ, c_s, c_f.
 */
export function gramBlock(
  dwd: number,
  dwa: number,
  dwf: number,
  nc: number,
  na: number,
  m: number,
  scales: readonly [number, number, number],
  out: Float64Array,
  off = 0,
): void {
  // dimension order matches the basis: 0 delay (basis 1), 1 angle (basis 2), 2 Doppler (basis 3)
  powerSums(dwd, nc, sums, 0);
  powerSums(dwa, na, sums, 6);
  powerSums(dwf, m, sums, 12);
  for (let i = 0; i < BASIS; i++) {
    for (let j = 0; j < BASIS; j++) {
      let pr = 1;
      let pi = 0;
      for (let d = 0; d < 3; d++) {
        const hi = i === d + 1 ? 1 : 0;
        const hj = j === d + 1 ? 1 : 0;
        const q = hi + hj;
        let vr = sums[6 * d + 2 * q] as number;
        let vi = sums[6 * d + 2 * q + 1] as number;
        const c = scales[d] as number;
        if (q === 2) {
          // (−jc)(jc) = c²
          vr *= c * c;
          vi *= c * c;
        } else if (hi === 1) {
          // ⟨jck x, x'⟩ = −jc S_1
          const t = vr;
          vr = c * vi;
          vi = -c * t;
        } else if (hj === 1) {
          // ⟨x, jck x'⟩ = jc S_1
          const t = vr;
          vr = -c * vi;
          vi = c * t;
        }
        const nr = pr * vr - pi * vi;
        pi = pr * vi + pi * vr;
        pr = nr;
      }
      out[off + 2 * (BASIS * i + j)] = pr;
      out[off + 2 * (BASIS * i + j) + 1] = pi;
    }
  }
}
