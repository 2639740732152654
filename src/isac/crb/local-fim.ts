/**
 * Local Fisher information of one AP about (τ_l, sin θ_l, f_D,l) (Slepian-Bangs, 2/σ² for
 * CN(0, σ²) noise; model notes, "CRB modes"). Signal s[p,n,m] = α e^{j2π(f_D mT − nΔf τ + pκ sin θ)}
 * with p = b..b+N_A−1, n = b..b+N_c−1, m = b..b+M−1 (index base b = 1 as in (2), (33), (34)).
 * The phase gradients are ω_τ = −2πΔf n, ω_s = 2πκ p, ω_f = 2πT m, and
 * J_ij = 2 SNR Σ_{p,n,m} ω_i ω_j  (α known)   or   2 SNR N Cov(ω_i, ω_j)  (α unknown, Schur
 * complement of the amplitude block; the separable phases make it diagonal).
 * N_A may be non-integer (the placement optimiser relaxes it); the sums are then the polynomials
 * S1(N) = Σk, S2(N) = Σk² continued to real N.
 */

/** Physical constants of the local FIM: Δf, κ = d_r/λ, T, N_c, M. */
export interface FimSystem {
  subcarrierSpacingHz: number;
  antennaSpacingWavelengths: number;
  symbolDurationS: number;
  subcarriers: number;
  symbols: number;
}

/** Σ_{k=b}^{b+N−1} k for index base b ∈ {0, 1}, continued to real N. */
export function sum1(n: number, base: 0 | 1): number {
  return base === 1 ? (n * (n + 1)) / 2 : (n * (n - 1)) / 2;
}

/** Σ_{k=b}^{b+N−1} k², continued to real N. */
export function sum2(n: number, base: 0 | 1): number {
  return base === 1 ? (n * (n + 1) * (2 * n + 1)) / 6 : ((n - 1) * n * (2 * n - 1)) / 6;
}

/** d sum1/dN. */
export function dsum1(n: number, base: 0 | 1): number {
  return base === 1 ? (2 * n + 1) / 2 : (2 * n - 1) / 2;
}

/** d sum2/dN. */
export function dsum2(n: number, base: 0 | 1): number {
  return base === 1 ? (6 * n * n + 6 * n + 1) / 6 : (6 * n * n - 6 * n + 1) / 6;
}

/**
 * Local FIM with α known, 3×3 row-major over (τ, sin θ, f_D) into `out[off..off+9)`, multiplied by
 * `scale` (2 for Slepian-Bangs with CN noise; 1 gives the paper's blocks (7)-(12)).
 * `dOut` (optional) receives ∂J/∂N_A. SNR = |α|²/σ².
 */
export function localFimKnown(
  snr: number,
  na: number,
  sys: FimSystem,
  base: 0 | 1,
  scale: number,
  out: Float64Array,
  off = 0,
  dOut?: Float64Array,
): void {
  const wt = -2 * Math.PI * sys.subcarrierSpacingHz;
  const ws = 2 * Math.PI * sys.antennaSpacingWavelengths;
  const wf = 2 * Math.PI * sys.symbolDurationS;
  const nc = sys.subcarriers;
  const m = sys.symbols;
  const g = scale * snr;
  const c1 = sum1(nc, base);
  const c2 = sum2(nc, base);
  const m1 = sum1(m, base);
  const m2 = sum2(m, base);
  const a1 = sum1(na, base);
  const a2 = sum2(na, base);
  const tt = g * wt * wt * c2 * na * m;
  const ts = g * wt * ws * c1 * a1 * m;
  const tf = g * wt * wf * c1 * m1 * na;
  const ss = g * ws * ws * a2 * nc * m;
  const sf = g * ws * wf * a1 * m1 * nc;
  const ff = g * wf * wf * m2 * na * nc;
  fill3(out, off, tt, ts, tf, ss, sf, ff);
  if (dOut) {
    const da1 = dsum1(na, base);
    const da2 = dsum2(na, base);
    fill3(
      dOut,
      off,
      g * wt * wt * c2 * m,
      g * wt * ws * c1 * da1 * m,
      g * wt * wf * c1 * m1,
      g * ws * ws * da2 * nc * m,
      g * ws * wf * da1 * m1 * nc,
      g * wf * wf * m2 * nc,
    );
  }
}

/**
 * Local FIM with the complex amplitude α unknown (Schur complement), 3×3 row-major, diagonal
 * (model notes, N_l = N_A N_c M):
 *   j_τ = 2 SNR N_l (2πΔf)² (N_c² − 1)/12,  j_s = 2 SNR N_l (2πκ)² (N_A² − 1)/12,
 *   j_f = 2 SNR N_l (2πT)² (M² − 1)/12.
 * Independent of the index base. With N_A = 1 the AP gives no angle information (j_s = 0).
 * `dOut` (optional) receives ∂J/∂N_A.
 */
export function localFimUnknown(
  snr: number,
  na: number,
  sys: FimSystem,
  scale: number,
  out: Float64Array,
  off = 0,
  dOut?: Float64Array,
): void {
  const wt = 2 * Math.PI * sys.subcarrierSpacingHz;
  const ws = 2 * Math.PI * sys.antennaSpacingWavelengths;
  const wf = 2 * Math.PI * sys.symbolDurationS;
  const nc = sys.subcarriers;
  const m = sys.symbols;
  const g = (scale * snr * nc * m) / 12;
  const tt = g * na * wt * wt * (nc * nc - 1);
  const ss = g * na * ws * ws * (na * na - 1);
  const ff = g * na * wf * wf * (m * m - 1);
  fill3(out, off, tt, 0, 0, ss, 0, ff);
  if (dOut)
    fill3(
      dOut,
      off,
      g * wt * wt * (nc * nc - 1),
      0,
      0,
      g * ws * ws * (3 * na * na - 1),
      0,
      g * wf * wf * (m * m - 1),
    );
}

function fill3(
  o: Float64Array,
  off: number,
  tt: number,
  ts: number,
  tf: number,
  ss: number,
  sf: number,
  ff: number,
): void {
  o[off] = tt;
  o[off + 1] = ts;
  o[off + 2] = tf;
  o[off + 3] = ts;
  o[off + 4] = ss;
  o[off + 5] = sf;
  o[off + 6] = tf;
  o[off + 7] = sf;
  o[off + 8] = ff;
}
