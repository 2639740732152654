import { fft, nextPow2 } from '../../math/fft.js';
import type { Rng } from '../../math/rng.js';
import type { EchoTensor } from '../echo-model.js';
import { ToneEstimator } from '../music/tone-frequency.js';
import type { CpFactors } from './als.js';
import { gammaMedian, powerGateFactor } from './detection-gate.js';

/** One peak found by the FFT initialisation (frequencies in cycles per sample). */
export interface InitPeak {
  /** delay mode: ν = −Δf τ (mod 1), the phase slope of eq. (33) */
  nuDelay: number;
  /** Doppler mode: ν = T f_D, eq. (34) */
  nuDoppler: number;
  /** angle mode: ν = κ sin θ, eq. (2) (0 when N_A = 1) */
  nuAngle: number;
  /** |α̂|: the echo amplitude estimated at the peak */
  amplitude: number;
  /** the peak's power over the noise gate (>= 1 passes); 0 when rank is not 'auto' */
  gateRatio: number;
}

export interface FftInitResult {
  factors: CpFactors;
  peaks: InitPeak[];
}

export interface FftInitOptions {
  /** rank 'auto': keep peaks with amplitude >= threshold x the strongest one's */
  threshold: number;
  /** rank 'auto': at most this many peaks */
  maxRank: number;
  /** rank 'auto': false-alarm probability of the noise gate over the whole map (default 1e-3) */
  pfa?: number;
}

/**
 * CP initialisation from the range-Doppler FFT peaks (model notes: ALS from a random start
 * swamps; from the FFT peaks it converges in a few sweeps), CLEAN style:
 * 1. F_p = 2-D DFT of Y over (subcarrier, symbol) for each antenna p, P = Σ_p |F_p|²;
 * 2. repeat: take the largest cell of P, refine the delay and Doppler frequencies to a fraction of a
 *    bin (Candan's three-sample estimator, combined coherently over antennas), read the antenna
 *    vector g at the peak, take its dominant angle (zero-padded DFT + Brent, as in MUSIC) so that two
 *    echoes in one range-Doppler cell but at different angles are split, and subtract that component's
 *    exact DFT response from every F_p;
 * 3. stop after `rank` components; for rank 'auto' at the first peak below the noise gate
 *    (detection-gate.ts, false-alarm probability pfa) or at `maxRank` peaks, then keep the peaks whose
 *    amplitude is >= `threshold` x the strongest one's. For 'auto' a peak within one range and Doppler bin and one beamwidth (1/N_A in
 *    κ sin θ) of a peak already taken counts as its subtraction leftover and is skipped, so 'auto'
 *    cannot count echoes closer than that in every mode (give the rank to resolve them).
 * The factors are steering vectors at the found frequencies: B and C unit norm, A = amplitude x
 * angle steering vector x √(N_c M). Cost: N_A(N_c + M) FFTs plus one N_A N_c M pass per peak.
 */
export function fftInit(t: EchoTensor, rank: number | 'auto', opts: FftInitOptions): FftInitResult {
  const { na, nc, m } = t;
  const nr = Math.max(2, nextPow2(nc));
  const nd = Math.max(2, nextPow2(m));
  const cells = nr * nd;
  const F = new Float64Array(2 * na * cells);
  rangeDopplerDft(t, nr, nd, F);
  const P = new Float64Array(cells);
  powerMap(F, na, cells, P);

  const auto = rank === 'auto';
  const maxComp = auto ? Math.max(0, opts.maxRank) : rank;
  const gate = auto ? powerGateFactor(na, cells, opts.pfa ?? 1e-3) * (na / gammaMedian(na)) : 0;
  const sorted = auto ? new Float64Array(cells) : new Float64Array(0);
  const angleEst = new ToneEstimator(Math.max(64, 8 * nextPow2(na)));
  const bv = new Float64Array(2 * nr);
  const bt = new Float64Array(2 * nr);
  const cv = new Float64Array(2 * nd);
  const ct = new Float64Array(2 * nd);
  const g = new Float64Array(2 * na);
  const peaks: InitPeak[] = [];
  const vecs: Float64Array[] = [];
  const mask = new Uint8Array(auto ? cells : 0);
  const found: Array<{ kr: number; kd: number; nuA: number }> = [];
  for (let i = 0, examined = 0; i < maxComp && examined < 8 * maxComp + 8; examined++) {
    const idx = argmax(P);
    const pmax = P[idx] as number;
    let gateRatio = 0;
    if (auto) {
      sorted.set(P);
      sorted.sort();
      const med = sorted[cells >> 1] as number;
      gateRatio = med > 0 ? pmax / (med * gate) : pmax > 0 ? Infinity : 0;
      if (!(gateRatio >= 1)) break;
    }
    if (!(pmax > 0)) {
      // nothing left (zero or exactly fitted data): spread the remaining components over the grid
      const nu = (i * 0.6180339887498949) % 1;
      peaks.push({ nuDelay: nu, nuDoppler: nu, nuAngle: 0, amplitude: 0, gateRatio });
      vecs.push(new Float64Array(2 * na));
      i++;
      continue;
    }
    const kr = Math.floor(idx / nd);
    const kd = idx % nd;
    const dr = candan(F, na, cells, ((kr + nr - 1) % nr) * nd + kd, idx, ((kr + 1) % nr) * nd + kd, nr);
    const dd = candan(F, na, cells, kr * nd + ((kd + nd - 1) % nd), idx, kr * nd + ((kd + 1) % nd), nd);
    const nuR = wrap((kr + dr) / nr);
    const nuD = wrap((kd + dd) / nd);
    toneDft(nuR, nc, nr, bv, bt);
    toneDft(nuD, m, nd, cv, ct);
    // g_p = F_p[peak] / (B̃[kr] C̃[kd])
    const br = bt[2 * kr] as number;
    const bi = bt[2 * kr + 1] as number;
    const cr = ct[2 * kd] as number;
    const ci = ct[2 * kd + 1] as number;
    const hr = br * cr - bi * ci;
    const hi = br * ci + bi * cr;
    const h2 = hr * hr + hi * hi;
    for (let p = 0; p < na; p++) {
      const fr = F[2 * (p * cells + idx)] as number;
      const fi = F[2 * (p * cells + idx) + 1] as number;
      g[2 * p] = (fr * hr + fi * hi) / h2;
      g[2 * p + 1] = (fi * hr - fr * hi) / h2;
    }
    const vec = new Float64Array(2 * na);
    let nuA = 0;
    if (na >= 2) {
      const est = angleEst.estimate(g, na);
      nuA = est.nu;
      const ar = est.projection[0] / na;
      const ai = est.projection[1] / na;
      for (let p = 0; p < na; p++) {
        const ph = 2 * Math.PI * nuA * (p + 1);
        vec[2 * p] = ar * Math.cos(ph) - ai * Math.sin(ph);
        vec[2 * p + 1] = ar * Math.sin(ph) + ai * Math.cos(ph);
      }
    } else vec.set(g);
    if (auto && found.some((f) => cyclicDist(f.kr, kr, nr) <= 1 && cyclicDist(f.kd, kd, nd) <= 1 && Math.abs(wrapHalf(f.nuA - nuA)) * na < 1)) {
      // a leftover of an echo already taken (imperfect subtraction): mask its cell block, do not count it
      for (let a = -1; a <= 1; a++) for (let b = -1; b <= 1; b++) mask[((kr + a + nr) % nr) * nd + ((kd + b + nd) % nd)] = 1;
      applyMask(P, mask);
      continue;
    }
    let s = 0;
    for (let k = 0; k < 2 * na; k++) s += (vec[k] as number) ** 2;
    const amplitude = Math.sqrt(s / na);
    subtract(F, na, nr, nd, vec, bt, ct);
    powerMap(F, na, cells, P);
    if (auto) applyMask(P, mask);
    peaks.push({ nuDelay: nuR, nuDoppler: nuD, nuAngle: nuA, amplitude, gateRatio });
    vecs.push(vec);
    found.push({ kr, kd, nuA });
    i++;
  }

  if (auto) {
    // keep the peaks whose amplitude is >= threshold x the strongest one's
    const amp0 = Math.max(0, ...peaks.map((p) => p.amplitude));
    for (let r = peaks.length - 1; r >= 0; r--) {
      if ((peaks[r] as InitPeak).amplitude < opts.threshold * amp0) {
        peaks.splice(r, 1);
        vecs.splice(r, 1);
      }
    }
  }
  const R = peaks.length;
  const a = new Float64Array(2 * na * R);
  const b = new Float64Array(2 * nc * R);
  const c = new Float64Array(2 * m * R);
  const scale = Math.sqrt(nc * m);
  peaks.forEach((pk, r) => {
    const vec = vecs[r] as Float64Array;
    for (let p = 0; p < na; p++) {
      a[2 * (p * R + r)] = (vec[2 * p] as number) * scale;
      a[2 * (p * R + r) + 1] = (vec[2 * p + 1] as number) * scale;
    }
    fillTone(b, nc, R, r, pk.nuDelay);
    fillTone(c, m, R, r, pk.nuDoppler);
  });
  return { factors: { na, nc, m, R, a, b, c }, peaks };
}

/** Random start: A, B, C with CN(0, 1) entries from `rng`, B and C columns scaled to unit norm. */
export function randomInit(t: EchoTensor, R: number, rng: Rng): CpFactors {
  const { na, nc, m } = t;
  const a = new Float64Array(2 * na * R);
  const b = new Float64Array(2 * nc * R);
  const c = new Float64Array(2 * m * R);
  rng.addComplexNormal(a, na * R, 1);
  rng.addComplexNormal(b, nc * R, 1 / nc);
  rng.addComplexNormal(c, m * R, 1 / m);
  return { na, nc, m, R, a, b, c };
}

/** Columns handled together in the strided delay DFT (keeps the gather and scatter cache friendly). */
const BLOCK = 16;

/**
 * F[(p·nr + kr)·nd + kd] = Σ_{n,m} Y[p, n, m] e^{−j2π(kr n/nr + kd m/nd)} (index from 0, zero padded to
 * nr x nd): DFT along the symbols row by row, then along the subcarriers BLOCK columns at a time.
 */
function rangeDopplerDft(t: EchoTensor, nr: number, nd: number, F: Float64Array): void {
  const { na, nc, m, data } = t;
  const inBuf = new Float64Array(2 * nd);
  const outBuf = new Float64Array(2 * nd);
  for (let p = 0; p < na; p++) {
    for (let n = 0; n < nc; n++) {
      const src = 2 * (p * nc + n) * m;
      for (let j = 0; j < 2 * m; j++) inBuf[j] = data[src + j] as number;
      fft(outBuf, inBuf, nd);
      F.set(outBuf, 2 * (p * nr + n) * nd);
    }
  }
  const cols = Math.min(BLOCK, nd);
  const gather = new Float64Array(2 * nr * cols);
  const colIn = new Float64Array(2 * nr);
  const colOut = new Float64Array(2 * nr);
  for (let p = 0; p < na; p++) {
    for (let k0 = 0; k0 < nd; k0 += cols) {
      const w = Math.min(cols, nd - k0);
      for (let n = 0; n < nr; n++) {
        const o = 2 * ((p * nr + n) * nd + k0);
        for (let j = 0; j < w; j++) {
          gather[2 * (j * nr + n)] = F[o + 2 * j] as number;
          gather[2 * (j * nr + n) + 1] = F[o + 2 * j + 1] as number;
        }
      }
      for (let j = 0; j < w; j++) {
        for (let k = 0; k < 2 * nr; k++) colIn[k] = gather[2 * j * nr + k] as number;
        fft(colOut, colIn, nr);
        gather.set(colOut, 2 * j * nr);
      }
      for (let n = 0; n < nr; n++) {
        const o = 2 * ((p * nr + n) * nd + k0);
        for (let j = 0; j < w; j++) {
          F[o + 2 * j] = gather[2 * (j * nr + n)] as number;
          F[o + 2 * j + 1] = gather[2 * (j * nr + n) + 1] as number;
        }
      }
    }
  }
}

function cyclicDist(a: number, b: number, n: number): number {
  const d = Math.abs(a - b) % n;
  return Math.min(d, n - d);
}

function wrapHalf(nu: number): number {
  return nu - Math.round(nu);
}

function applyMask(P: Float64Array, mask: Uint8Array): void {
  for (let k = 0; k < mask.length; k++) if (mask[k]) P[k] = 0;
}

function wrap(nu: number): number {
  return nu - Math.floor(nu);
}

/** Column r of x (rows x R) = the unit-norm tone e^{j2πν i}/√rows, i = 1..rows. */
export function fillTone(x: Float64Array, rows: number, R: number, r: number, nu: number): void {
  const s = 1 / Math.sqrt(rows);
  for (let i = 0; i < rows; i++) {
    const ph = 2 * Math.PI * nu * (i + 1);
    x[2 * (i * R + r)] = s * Math.cos(ph);
    x[2 * (i * R + r) + 1] = s * Math.sin(ph);
  }
}

/** DFT (size nfft) of the unit-modulus tone e^{j2πν i}, i = 1..n, zero padded. */
function toneDft(nu: number, n: number, nfft: number, v: Float64Array, out: Float64Array): void {
  v.fill(0);
  for (let i = 0; i < n; i++) {
    const ph = 2 * Math.PI * nu * (i + 1);
    v[2 * i] = Math.cos(ph);
    v[2 * i + 1] = Math.sin(ph);
  }
  fft(out, v, nfft);
}

/**
 * Candan's fine-frequency estimate (IEEE SPL 2011) from DFT samples k−1, k, k+1, combined over the
 * antennas with weights conj(X_k): δ = tan(π/N)/(π/N) · Re[Σ X̄_k (X_{k−1} − X_{k+1}) / Σ X̄_k (2X_k − X_{k−1} − X_{k+1})].
 */
function candan(F: Float64Array, na: number, cells: number, im: number, i0: number, ip: number, n: number): number {
  if (n < 4) return 0;
  let nr = 0;
  let ni = 0;
  let dr = 0;
  let di = 0;
  for (let p = 0; p < na; p++) {
    const o = p * cells;
    const x0r = F[2 * (o + i0)] as number;
    const x0i = -(F[2 * (o + i0) + 1] as number);
    const xmr = F[2 * (o + im)] as number;
    const xmi = F[2 * (o + im) + 1] as number;
    const xpr = F[2 * (o + ip)] as number;
    const xpi = F[2 * (o + ip) + 1] as number;
    const ar = xmr - xpr;
    const ai = xmi - xpi;
    const br = 2 * (F[2 * (o + i0)] as number) - xmr - xpr;
    const bi = 2 * (F[2 * (o + i0) + 1] as number) - xmi - xpi;
    nr += x0r * ar - x0i * ai;
    ni += x0r * ai + x0i * ar;
    dr += x0r * br - x0i * bi;
    di += x0r * bi + x0i * br;
  }
  const den = dr * dr + di * di;
  if (!(den > 0)) return 0;
  const ratio = (nr * dr + ni * di) / den;
  const d = (Math.tan(Math.PI / n) / (Math.PI / n)) * ratio;
  return Number.isFinite(d) ? Math.max(-0.5, Math.min(0.5, d)) : 0;
}

function argmax(x: Float64Array): number {
  let idx = 0;
  let best = -Infinity;
  for (let k = 0; k < x.length; k++) {
    const v = x[k] as number;
    if (v > best) {
      best = v;
      idx = k;
    }
  }
  return idx;
}

function powerMap(F: Float64Array, na: number, cells: number, P: Float64Array): void {
  P.fill(0);
  for (let p = 0; p < na; p++) {
    const o = 2 * p * cells;
    for (let k = 0; k < cells; k++) P[k] = (P[k] as number) + (F[o + 2 * k] as number) ** 2 + (F[o + 2 * k + 1] as number) ** 2;
  }
}

/** F_p[kr, kd] −= v_p B̃[kr] C̃[kd] for all cells. */
function subtract(F: Float64Array, na: number, nr: number, nd: number, v: Float64Array, bt: Float64Array, ct: Float64Array): void {
  for (let p = 0; p < na; p++) {
    const vr = v[2 * p] as number;
    const vi = v[2 * p + 1] as number;
    for (let kr = 0; kr < nr; kr++) {
      const br = bt[2 * kr] as number;
      const bi = bt[2 * kr + 1] as number;
      const sr = vr * br - vi * bi;
      const si = vr * bi + vi * br;
      const o = 2 * (p * nr + kr) * nd;
      for (let j = 0; j < 2 * nd; j += 2) {
        const cr = ct[j] as number;
        const ci = ct[j + 1] as number;
        F[o + j] = (F[o + j] as number) - (sr * cr - si * ci);
        F[o + j + 1] = (F[o + j + 1] as number) - (sr * ci + si * cr);
      }
    }
  }
}
