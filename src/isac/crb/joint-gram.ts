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

/** Central power sums M_2p = Σ_m m^{2p}, m = k − (N+1)/2, k = 1..N, as polynomials in (real) N. */
function centralMoments(n: number, out: Float64Array): void {
  const n2 = n * n;
  const base = n * (n2 - 1);
  out[0] = n;
  out[1] = base / 12;
  out[2] = (base * (3 * n2 - 7)) / 240;
  out[3] = (base * (3 * n2 * n2 - 18 * n2 + 31)) / 1344;
  out[4] = (base * (5 * n2 * n2 * n2 - 55 * n2 * n2 + 239 * n2 - 381)) / 11520;
}

const moments = new Float64Array(5);
const FACT = [1, 1, 2, 6, 24, 120, 720, 5040];

/**
 * S_0, S_1, S_2 of Δω over k = 1..n for a real n ≥ 1 (the placement optimiser relaxes the antenna
 * count): the analytic continuation in n of the sums, the same polynomials in n as the exact mode's
 * (local-fim.ts) at Δω = 0. Centred at c = (n + 1)/2, m = k − c:
 *   S_0 = e^{jΔωc} E_0,  S_1 = e^{jΔωc}(c E_0 + E_1),  S_2 = e^{jΔωc}(c² E_0 + 2c E_1 + E_2),
 *   E_0 = D = sin(nΔω/2)/sin(Δω/2),  E_1 = −j dD/dΔω,  E_2 = −d²D/dΔω²  (E_p = Σ_m m^p e^{jΔωm}),
 * by the closed form, or by the Taylor series in the central moments when |Δω| n < 0.1 (the closed
 * form's derivatives cancel there). Equal to {@link powerSums} at integer n. Near an alias
 * (|sin(Δω/2)| < 0.05 with Δω ≠ 0, only for targets at opposite end-fire angles) Δω is wrapped to
 * (−π, π], exact for integer n and an approximation in between.
 */
export function powerSumsReal(dw: number, n: number, out: Float64Array, off = 0): void {
  let w = dw;
  if (Math.abs(Math.sin(w / 2)) < 0.05 && Math.abs(w) * n >= 0.1)
    w -= 2 * Math.PI * Math.round(w / (2 * Math.PI));
  let e0: number;
  let e1: number; // E_1 = j e1
  let e2: number;
  if (Math.abs(w) * n < 0.1) {
    centralMoments(n, moments);
    e0 = 0;
    e1 = 0;
    e2 = 0;
    const w2 = w * w;
    let pw = 1; // w^{2p}
    for (let p = 0; p <= 3; p++) {
      const sgn = p % 2 === 0 ? 1 : -1;
      e0 += (sgn * pw * (moments[p] as number)) / (FACT[2 * p] as number);
      e1 += (sgn * pw * w * (moments[p + 1] as number)) / (FACT[2 * p + 1] as number);
      e2 += (sgn * pw * (moments[p + 1] as number)) / (FACT[2 * p] as number);
      pw *= w2;
    }
  } else {
    const a = w / 2;
    const s = Math.sin(a);
    const cs = Math.cos(a);
    const sn = Math.sin(n * a);
    const cn = Math.cos(n * a);
    const d = sn / s;
    const da = (n * cn * s - sn * cs) / (s * s);
    const daa = d * (1 - n * n) - (2 * n * cn * cs) / (s * s) + (2 * sn * cs * cs) / (s * s * s);
    e0 = d;
    e1 = -da / 2;
    e2 = -daa / 4;
  }
  const c = (n + 1) / 2;
  const pr = Math.cos(w * c);
  const pi = Math.sin(w * c);
  // S_q = e^{jwc} (re_q + j im_q)
  const r0 = e0;
  const r1 = c * e0;
  const i1 = e1;
  const r2 = c * c * e0 + e2;
  const i2 = 2 * c * e1;
  out[off] = pr * r0;
  out[off + 1] = pi * r0;
  out[off + 2] = pr * r1 - pi * i1;
  out[off + 3] = pi * r1 + pr * i1;
  out[off + 4] = pr * r2 - pi * i2;
  out[off + 5] = pi * r2 + pr * i2;
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
 * `closedForm`: every dimension by {@link powerSumsReal} (O(1) per sum instead of O(N); round-off
 * ~1e-13 relative to the main lobe: the placement objective's choice, where speed matters).
 * Otherwise the recurrence for integer lengths (the crb-evaluator's choice).
 *
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
  closedForm = false,
): void {
  // dimension order matches the basis: 0 delay (basis 1), 1 angle (basis 2), 2 Doppler (basis 3)
  if (closedForm) {
    powerSumsReal(dwd, nc, sums, 0);
    powerSumsReal(dwa, na, sums, 6);
    powerSumsReal(dwf, m, sums, 12);
  } else {
    powerSums(dwd, nc, sums, 0);
    if (Number.isInteger(na)) powerSums(dwa, na, sums, 6);
    else powerSumsReal(dwa, na, sums, 6);
    powerSums(dwf, m, sums, 12);
  }
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
