import type { EchoTensor } from '../echo-model.js';

/**
 * Projection of one AP's echo tensor onto the steering basis of one hypothesised echo (eq. 1):
 * c_i = ⟨E_i, Y⟩ = Σ conj(E_i[p,n,m]) Y[p,n,m] for E = [s, ∂s/∂τ, ∂s/∂sin θ, ∂s/∂f_D] with
 * s = a(ω_a) ⊗ d(ω_d) ⊗ f(ω_f), x(ω)[k] = e^{jωk}, k = 1..N, and ∂x/∂η = j c k x (joint-gram.ts).
 * Three contractions, no per-sample exp: Doppler first (z0[p,n] = Σ_m conj(f_m) Y, z1 = Σ_m m conj(f_m) Y,
 * one pass over the N_A N_c M samples), then delay (N_A N_c), then angle (N_A).
 * Output out[0..8) = [c_s, c_τ, c_sinθ, c_fD] interleaved. `scales` = c_τ, c_s, c_f.
 * Not re-entrant (module scratch).
 */
let fv = new Float64Array(0);
let dv = new Float64Array(0);
let av = new Float64Array(0);
let z0 = new Float64Array(0);
let z1 = new Float64Array(0);

function ramp(out: Float64Array, n: number, w: number): void {
  // conj(x(ω))[k] = e^{−jωk}, k = 1..n, by recurrence re-anchored every 32 steps
  const cr = Math.cos(w);
  const ci = -Math.sin(w);
  let zr = cr;
  let zi = ci;
  for (let k = 0; k < n; k++) {
    if ((k & 31) === 31) {
      zr = Math.cos(w * (k + 1));
      zi = -Math.sin(w * (k + 1));
    }
    out[2 * k] = zr;
    out[2 * k + 1] = zi;
    const t = zr * cr - zi * ci;
    zi = zr * ci + zi * cr;
    zr = t;
  }
}

export function projectEcho(
  y: EchoTensor,
  wa: number,
  wd: number,
  wf: number,
  scales: readonly [number, number, number],
  out: Float64Array,
  withDerivatives = true,
): void {
  const { na, nc, m, data } = y;
  if (fv.length < 2 * m) fv = new Float64Array(2 * m);
  if (dv.length < 2 * nc) dv = new Float64Array(2 * nc);
  if (av.length < 2 * na) av = new Float64Array(2 * na);
  if (z0.length < 2 * na * nc) {
    z0 = new Float64Array(2 * na * nc);
    z1 = new Float64Array(2 * na * nc);
  }
  ramp(fv, m, wf);
  ramp(dv, nc, wd);
  ramp(av, na, wa);
  // Doppler contraction: one pass over the tensor
  const rows = na * nc;
  const m2 = 2 * m;
  for (let r = 0; r < rows; r++) {
    let s0r = 0;
    let s0i = 0;
    let s1r = 0;
    let s1i = 0;
    let k = r * m2;
    if (withDerivatives) {
      for (let j = 0; j < m2; j += 2, k += 2) {
        const yr = data[k] as number;
        const yi = data[k + 1] as number;
        const fr = fv[j] as number;
        const fi = fv[j + 1] as number;
        const tr = fr * yr - fi * yi;
        const ti = fr * yi + fi * yr;
        const w = (j >> 1) + 1;
        s0r += tr;
        s0i += ti;
        s1r += w * tr;
        s1i += w * ti;
      }
    } else {
      for (let j = 0; j < m2; j += 2, k += 2) {
        const yr = data[k] as number;
        const yi = data[k + 1] as number;
        const fr = fv[j] as number;
        const fi = fv[j + 1] as number;
        s0r += fr * yr - fi * yi;
        s0i += fr * yi + fi * yr;
      }
    }
    z0[2 * r] = s0r;
    z0[2 * r + 1] = s0i;
    z1[2 * r] = s1r;
    z1[2 * r + 1] = s1i;
  }
  // delay, then angle
  let c0r = 0;
  let c0i = 0;
  let cdr = 0;
  let cdi = 0;
  let car = 0;
  let cai = 0;
  let cfr = 0;
  let cfi = 0;
  for (let p = 0; p < na; p++) {
    let w00r = 0;
    let w00i = 0;
    let w10r = 0;
    let w10i = 0;
    let w01r = 0;
    let w01i = 0;
    const base = 2 * p * nc;
    for (let n = 0; n < nc; n++) {
      const dr = dv[2 * n] as number;
      const di = dv[2 * n + 1] as number;
      const ar = z0[base + 2 * n] as number;
      const ai = z0[base + 2 * n + 1] as number;
      const tr = dr * ar - di * ai;
      const ti = dr * ai + di * ar;
      w00r += tr;
      w00i += ti;
      w10r += (n + 1) * tr;
      w10i += (n + 1) * ti;
      if (withDerivatives) {
        const br = z1[base + 2 * n] as number;
        const bi = z1[base + 2 * n + 1] as number;
        w01r += dr * br - di * bi;
        w01i += dr * bi + di * br;
      }
    }
    const pr = av[2 * p] as number;
    const pi = av[2 * p + 1] as number;
    const q = p + 1;
    const x0r = pr * w00r - pi * w00i;
    const x0i = pr * w00i + pi * w00r;
    c0r += x0r;
    c0i += x0i;
    car += q * x0r;
    cai += q * x0i;
    cdr += pr * w10r - pi * w10i;
    cdi += pr * w10i + pi * w10r;
    cfr += pr * w01r - pi * w01i;
    cfi += pr * w01i + pi * w01r;
  }
  out[0] = c0r;
  out[1] = c0i;
  // ⟨j c k x, y⟩ = −j c Σ k conj(x) y: (re, im) → (c·im, −c·re)
  const [ct, cs, cf] = scales;
  out[2] = ct * cdi;
  out[3] = -ct * cdr;
  out[4] = cs * cai;
  out[5] = -cs * car;
  out[6] = cf * cfi;
  out[7] = -cf * cfr;
}
