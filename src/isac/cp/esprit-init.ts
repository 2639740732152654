import { reusedBuffer } from '../../math/scratch.js';
import type { EchoTensor } from '../echo-model.js';
import type { CpFactors } from './als.js';
import { complexSolve } from './complex-lu.js';
import { fillTone } from './fft-init.js';
import { smallEig } from './small-eig.js';

/** ESPRIT is offered up to this many antennas (the N_A x N_A eigen-decomposition is O(N_A³) per QR step). */
export const ESPRIT_MAX_ANTENNAS = 16;

/**
 * Algebraic CP start from the shift invariance of the delay and Doppler steering vectors (2-D ESPRIT,
 * Roy & Kailath 1989; Haardt & Nossek 1998), which resolves echoes closer than an FFT cell when
 * the SNR allows. Y_(1)ᵀ = (B ⊙ C) Aᵀ, so when the angle factor A has rank R (R <= N_A, distinct
 * angles) the signal subspace E_s = Y_(1)ᵀ conj(U_s) (U_s: the R dominant eigenvectors of the
 * N_A x N_A matrix Y_(1) Y_(1)ᴴ) equals (B ⊙ C) T. One step along the subcarriers multiplies row
 * (n, m) of B ⊙ C by z_d = e^{j2πν_d} and one step along the symbols by z_f = e^{j2πν_f}, so the
 * least-squares operators Ψ_d = E↓⁺E↑ (subcarrier shift) and Ψ_f (symbol shift) are T⁻¹ diag(z) T.
 * The eigenvectors of Ψ_d + γΨ_f (γ = e^{jπ/4}) diagonalise both, which pairs z_d with z_f.
 * Returns B and C as unit-norm steering vectors at the found frequencies and A = 0 (the first ALS
 * update fills it), or null when R > N_A, N_A > ESPRIT_MAX_ANTENNAS, R = 0 or a dimension is 1.
 * Cost: about (N_A²/2 + 3R + 2R²) N_A N_c M complex multiply-adds.
 */
export function espritInit(t: EchoTensor, R: number): CpFactors | null {
  const { na, nc, m, data: y } = t;
  if (R < 1 || R > na || na > ESPRIT_MAX_ANTENNAS || nc < 2 || m < 2) return null;
  const K = nc * m;
  // G = Y_(1) Y_(1)ᴴ, over blocks of the K columns so that the N_A row pieces stay in cache
  const g = new Float64Array(2 * na * na);
  const BLOCK = 1024;
  for (let k0 = 0; k0 < K; k0 += BLOCK) {
    const k1 = 2 * Math.min(K, k0 + BLOCK);
    for (let p = 0; p < na; p++) {
      const op = 2 * p * K;
      for (let q = p; q < na; q++) {
        const oq = 2 * q * K;
        let sr = 0;
        let si = 0;
        for (let k = 2 * k0; k < k1; k += 2) {
          const ar = y[op + k] as number;
          const ai = y[op + k + 1] as number;
          const br = y[oq + k] as number;
          const bi = y[oq + k + 1] as number;
          sr += ar * br + ai * bi;
          si += ai * br - ar * bi;
        }
        g[2 * (p * na + q)] = (g[2 * (p * na + q)] as number) + sr;
        g[2 * (p * na + q) + 1] = (g[2 * (p * na + q) + 1] as number) + si;
      }
    }
  }
  for (let p = 0; p < na; p++)
    for (let q = p + 1; q < na; q++) {
      g[2 * (q * na + p)] = g[2 * (p * na + q)] as number;
      g[2 * (q * na + p) + 1] = -(g[2 * (p * na + q) + 1] as number);
    }
  const eg = smallEig(g, na);
  const order = Array.from({ length: na }, (_, i) => i).sort(
    (i, j) => (eg.values[2 * j] as number) - (eg.values[2 * i] as number),
  );
  // w[p, r] = conj(U_s[p, r])
  const w = new Float64Array(2 * na * R);
  for (let r = 0; r < R; r++) {
    const col = order[r] as number;
    for (let p = 0; p < na; p++) {
      w[2 * (p * R + r)] = eg.vectors[2 * (p * na + col)] as number;
      w[2 * (p * R + r) + 1] = -(eg.vectors[2 * (p * na + col) + 1] as number);
    }
  }
  // E_s[k, r] = Σ_p Y[p, k] w[p, r]: each Y element read once, each row of E_s accumulated in place
  const e = reusedBuffer('cp/esprit-init/e', 2 * K * R).fill(0);
  for (let k = 0; k < K; k++) {
    const o = 2 * k * R;
    for (let p = 0; p < na; p++) {
      const yr = y[2 * (p * K + k)] as number;
      const yi = y[2 * (p * K + k) + 1] as number;
      for (let r = 0, j = 2 * p * R; r < R; r++, j += 2) {
        const wr = w[j] as number;
        const wi = w[j + 1] as number;
        e[o + 2 * r] = (e[o + 2 * r] as number) + yr * wr - yi * wi;
        e[o + 2 * r + 1] = (e[o + 2 * r + 1] as number) + yr * wi + yi * wr;
      }
    }
  }
  const [psiD, psiF] = shiftOperators(e, R, nc, m);
  if (!psiD || !psiF) return null;
  // Ψ = Ψ_d + γ Ψ_f
  const gr = Math.SQRT1_2;
  const gi = Math.SQRT1_2;
  const psi = new Float64Array(2 * R * R);
  for (let k = 0; k < 2 * R * R; k += 2) {
    psi[k] = (psiD[k] as number) + gr * (psiF[k] as number) - gi * (psiF[k + 1] as number);
    psi[k + 1] = (psiD[k + 1] as number) + gr * (psiF[k + 1] as number) + gi * (psiF[k] as number);
  }
  const ev = smallEig(psi, R);
  const b = new Float64Array(2 * nc * R);
  const c = new Float64Array(2 * m * R);
  for (let r = 0; r < R; r++) {
    const nuD = Math.atan2(...rayleigh(psiD, ev.vectors, R, r)) / (2 * Math.PI);
    const nuF = Math.atan2(...rayleigh(psiF, ev.vectors, R, r)) / (2 * Math.PI);
    fillTone(b, nc, R, r, nuD);
    fillTone(c, m, R, r, nuF);
  }
  return { na, nc, m, R, a: new Float64Array(2 * na * R), b, c };
}

/**
 * Least-squares shift operators Ψ = (E↓ᴴE↓)⁻¹ E↓ᴴE↑ over the rows k = n·M + m of E (K x R), along
 * the subcarriers (pairs (k, k + M), n < N_c − 1) and along the symbols (pairs (k, k + 1), m < M − 1),
 * from one pass over E: the Gram EᴴE and both cross products, then E↓ᴴE↓ = EᴴE minus the rows left
 * out (the last subcarrier, resp. the last symbol). Null when either system is singular.
 */
function shiftOperators(
  e: Float64Array,
  R: number,
  nc: number,
  m: number,
): [Float64Array | null, Float64Array | null] {
  const n2 = 2 * R * R;
  const gram = new Float64Array(n2);
  const crossD = new Float64Array(n2);
  const crossF = new Float64Array(n2);
  const K = nc * m;
  for (let k = 0; k < K; k++) {
    const hasD = k + m < K;
    const hasF = (k + 1) % m !== 0;
    for (let r = 0; r < R; r++) {
      const xr = e[2 * (k * R + r)] as number;
      const xi = -(e[2 * (k * R + r) + 1] as number);
      for (let s = 0; s < R; s++) {
        const o = 2 * (r * R + s);
        const lr = e[2 * (k * R + s)] as number;
        const li = e[2 * (k * R + s) + 1] as number;
        gram[o] = (gram[o] as number) + xr * lr - xi * li;
        gram[o + 1] = (gram[o + 1] as number) + xr * li + xi * lr;
        if (hasD) {
          const ur = e[2 * ((k + m) * R + s)] as number;
          const ui = e[2 * ((k + m) * R + s) + 1] as number;
          crossD[o] = (crossD[o] as number) + xr * ur - xi * ui;
          crossD[o + 1] = (crossD[o + 1] as number) + xr * ui + xi * ur;
        }
        if (hasF) {
          const ur = e[2 * ((k + 1) * R + s)] as number;
          const ui = e[2 * ((k + 1) * R + s) + 1] as number;
          crossF[o] = (crossF[o] as number) + xr * ur - xi * ui;
          crossF[o + 1] = (crossF[o + 1] as number) + xr * ui + xi * ur;
        }
      }
    }
  }
  const gramD = gram.slice();
  const gramF = gram.slice();
  for (let j = 0; j < m; j++) subtractOuter(e, (nc - 1) * m + j, R, gramD); // last subcarrier
  for (let n = 0; n < nc; n++) subtractOuter(e, n * m + m - 1, R, gramF); // last symbol
  return [solveShift(gramD, crossD, R), solveShift(gramF, crossF, R)];
}

/** G −= e_kᴴ e_k for row k of E (K x R). */
function subtractOuter(e: Float64Array, k: number, R: number, g: Float64Array): void {
  for (let r = 0; r < R; r++) {
    const xr = e[2 * (k * R + r)] as number;
    const xi = -(e[2 * (k * R + r) + 1] as number);
    for (let s = 0; s < R; s++) {
      const o = 2 * (r * R + s);
      const lr = e[2 * (k * R + s)] as number;
      const li = e[2 * (k * R + s) + 1] as number;
      g[o] = (g[o] as number) - (xr * lr - xi * li);
      g[o + 1] = (g[o + 1] as number) - (xr * li + xi * lr);
    }
  }
}

/** Ψ = A⁻¹ Bm (R x R), or null when A is singular. */
function solveShift(a: Float64Array, bm: Float64Array, R: number): Float64Array | null {
  const psi = new Float64Array(2 * R * R);
  const lhs = new Float64Array(2 * R * R);
  const col = new Float64Array(2 * R);
  for (let s = 0; s < R; s++) {
    lhs.set(a);
    for (let r = 0; r < R; r++) {
      col[2 * r] = bm[2 * (r * R + s)] as number;
      col[2 * r + 1] = bm[2 * (r * R + s) + 1] as number;
    }
    if (!complexSolve(lhs, col, R)) return null;
    for (let r = 0; r < R; r++) {
      psi[2 * (r * R + s)] = col[2 * r] as number;
      psi[2 * (r * R + s) + 1] = col[2 * r + 1] as number;
    }
  }
  return psi;
}

/** vᴴ Ψ v / vᴴ v for column r of `vecs` (R x R) as [im, re], ready for atan2. */
function rayleigh(psi: Float64Array, vecs: Float64Array, R: number, r: number): [number, number] {
  let nr = 0;
  let ni = 0;
  let dd = 0;
  for (let i = 0; i < R; i++) {
    let sr = 0;
    let si = 0;
    for (let j = 0; j < R; j++) {
      const pr = psi[2 * (i * R + j)] as number;
      const pi = psi[2 * (i * R + j) + 1] as number;
      const vr = vecs[2 * (j * R + r)] as number;
      const vi = vecs[2 * (j * R + r) + 1] as number;
      sr += pr * vr - pi * vi;
      si += pr * vi + pi * vr;
    }
    const vr = vecs[2 * (i * R + r)] as number;
    const vi = -(vecs[2 * (i * R + r) + 1] as number);
    nr += vr * sr - vi * si;
    ni += vr * si + vi * sr;
    dd += vr * vr + vi * vi;
  }
  return dd > 0 ? [ni, nr] : [0, 1];
}
