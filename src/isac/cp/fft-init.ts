import { fft, nextPow2 } from '../../math/fft.js';
import { radix2Plan } from '../../math/fft-radix2.js';
import { reusedBuffer } from '../../math/scratch.js';
import type { WasmKernels } from '../../math/wasm/kernels.js';
import {
  CLEAN_MAX_KEPT,
  CP_ABS_B,
  CP_ABS_C,
  CP_BOUNDS,
  CP_CANDIDATES,
  CP_POWER,
  CP_ROOT_P,
  CP_ROW_MAP,
  CP_SPECTRA,
  CP_TENSOR,
  cpKernels,
} from './cp-kernels.js';
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
  /** its cell of the range-Doppler map (range bin kr, Doppler bin kd); −1 when the map was empty */
  kr: number;
  kd: number;
}

export interface FftInitResult {
  factors: CpFactors;
  peaks: InitPeak[];
  /**
   * with `keepSpectrum`: the range-Doppler spectra F_p before any peak was subtracted (N_A x nr x nd)
   * and their power map P = Σ_p |F_p|². F and P are per-thread buffers reused by the next fftInit call
   * (copy them to keep them); with the WebAssembly kernels they are views on the kernels' memory, which
   * a later decomposition of a larger tensor grows, leaving these views empty (length 0).
   */
  spectrum?: { F: Float64Array; nr: number; nd: number; P?: Float64Array };
  /**
   * ||Y||² by Parseval from the spectra: Σ_p Σ_cells |F_p|² / (nr nd) (exact to rounding; non-finite
   * when Y holds a non-finite value, and then no peak is searched)
   */
  yNorm2: number;
}

export interface FftInitOptions {
  /** rank 'auto': keep peaks with amplitude >= threshold x the strongest one's */
  threshold: number;
  /** rank 'auto': at most this many peaks */
  maxRank: number;
  /** rank 'auto': false-alarm probability of the noise gate over the whole map (default 1e-3) */
  pfa?: number;
  /** return the spectra before subtraction (for the DFT-window compression, dft-compress.ts) */
  keepSpectrum?: boolean;
  /**
   * fixed rank: subtract each peak from every spectrum and recompute the power map (the classic CLEAN
   * pass) instead of finding the next largest cell by bounds; the same peaks (tested), slower
   */
  exactClean?: boolean;
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
 * angle steering vector x √(N_c M). Cost: N_A(N_c + M) FFTs plus, for rank 'auto', one N_A N_c M pass
 * per peak. For a fixed rank no subtraction pass runs (bounded CLEAN, RangeDopplerMap.largestCell): the
 * subtracted components are kept aside, and the next largest cell of the subtracted map is found from
 * bounds on the unsubtracted power map, evaluating the subtracted spectra only where the bounds allow the
 * maximum; the same cells as the passes (tested; `exactClean` runs the passes).
 */
export function fftInit(t: EchoTensor, rank: number | 'auto', opts: FftInitOptions): FftInitResult {
  const auto = rank === 'auto';
  // a fixed rank needs only each step's largest cell: found by bounds, without subtraction passes
  const map = new RangeDopplerMap(t, opts.keepSpectrum === true, !auto && opts.exactClean !== true);
  // the spectra are never subtracted in place: map.F0 stays the unsubtracted spectra; P their power
  // map (the bounded CLEAN never changes map.P, 'auto' does: a copy then)
  const spectrum = opts.keepSpectrum
    ? {
        F: map.F0,
        nr: map.nr,
        nd: map.nd,
        P: auto ? copyInto(reusedBuffer('cp/fft-init/P0', map.cells), map.P) : map.P,
      }
    : undefined;
  const yNorm2 = map.total / map.cells;
  if (!Number.isFinite(yNorm2)) return { factors: toneFactors(t, [], []), peaks: [], yNorm2 };
  const maxComp = auto ? Math.max(0, opts.maxRank) : rank;
  const gate = auto ? powerGateFactor(t.na, map.cells, opts.pfa ?? 1e-3) * (t.na / gammaMedian(t.na)) : 0;
  const angleEst = new ToneEstimator(Math.max(64, 8 * nextPow2(t.na)));
  const peaks: InitPeak[] = [];
  const vecs: Float64Array[] = [];
  const found: FoundCell[] = [];
  for (let i = 0, examined = 0; i < maxComp && examined < 8 * maxComp + 8; examined++) {
    const idx = map.largestCell();
    const gateRatio = auto ? map.gateRatio(idx, gate) : 0;
    if (auto && !(gateRatio >= 1)) break;
    if (!(map.power(idx) > 0)) {
      // nothing left (zero or exactly fitted data): spread the remaining components over the grid
      const nu = (i * 0.6180339887498949) % 1;
      peaks.push({ nuDelay: nu, nuDoppler: nu, nuAngle: 0, amplitude: 0, gateRatio, kr: -1, kd: -1 });
      vecs.push(new Float64Array(2 * t.na));
      i++;
      continue;
    }
    const peak = map.refinePeak(idx, angleEst);
    if (auto && isLeftover(found, peak, map, t.na)) {
      map.maskAround(peak.kr, peak.kd); // a leftover of an echo already taken (imperfect subtraction): do not count it
      continue;
    }
    // the last of a fixed number of peaks: nothing reads the subtracted map after it (one pass saved)
    if (auto || i + 1 < maxComp) map.subtract(peak.vec);
    peaks.push({
      nuDelay: peak.nuR,
      nuDoppler: peak.nuD,
      nuAngle: peak.nuA,
      amplitude: peak.amplitude,
      gateRatio,
      kr: peak.kr,
      kd: peak.kd,
    });
    vecs.push(peak.vec);
    found.push({ kr: peak.kr, kd: peak.kd, nuA: peak.nuA });
    i++;
  }
  if (auto) keepStrong(peaks, vecs, opts.threshold);
  return { factors: toneFactors(t, peaks, vecs), peaks, ...(spectrum ? { spectrum } : {}), yNorm2 };
}

/** A peak already taken: its range and Doppler bin and its angle frequency. */
interface FoundCell {
  kr: number;
  kd: number;
  nuA: number;
}

/** One refined FFT peak: its cell, frequencies, antenna vector (amplitude x angle steering) and |α̂|. */
interface RefinedPeak {
  kr: number;
  kd: number;
  nuR: number;
  nuD: number;
  nuA: number;
  vec: Float64Array;
  amplitude: number;
}

/**
 * The range-Doppler maps of step 1: F_p (2-D DFT of each antenna's N_c x M slice, zero padded to
 * nr x nd), the power map P = Σ_p |F_p|² (with masked cells at 0) and the scratch of the peak steps.
 */
class RangeDopplerMap {
  readonly na: number;
  readonly nr: number;
  readonly nd: number;
  readonly cells: number;
  /** the spectra as subtracted so far (F0 until the first subtraction) */
  F: Float64Array;
  /** the spectra before any subtraction */
  readonly F0: Float64Array;
  /** Σ P before any subtraction (Parseval: nr nd ||Y||²) */
  readonly total: number;
  readonly P: Float64Array;
  /** subtract into a second buffer first, so that F0 is kept */
  private readonly keep: boolean;
  /**
   * bounded CLEAN (fixed rank): F and P stay the unsubtracted F0 and P0; the subtracted components
   * are kept in `comps`, the current spectra are evaluated at the few cells that need them
   */
  private readonly lazy: boolean;
  private readonly comps: Array<{ v: Float64Array; bt: Float64Array; ct: Float64Array; vNorm: number }> = [];
  /** the current spectra at three cells x N_A (Candan's samples), interleaved [cell][p] */
  private readonly three: Float64Array;
  /** √P0 per cell (bounded CLEAN), once needed */
  private rootP: Float64Array | null = null;
  /** the WebAssembly kernels (F0 and P are then their regions), or null */
  private readonly kernels: WasmKernels | null;
  /** 1 = masked cell (a subtraction leftover) */
  private readonly mask: Uint8Array;
  private readonly scratch: Float64Array;
  /** DFT of the delay / Doppler tone of the current peak (bt, ct) and their time-domain buffers */
  readonly bt: Float64Array;
  readonly ct: Float64Array;
  private readonly bv: Float64Array;
  private readonly cv: Float64Array;
  private readonly g: Float64Array;
  private readonly nc: number;
  private readonly m: number;

  constructor(t: EchoTensor, keep: boolean, lazy: boolean) {
    const { na, nc, m } = t;
    this.na = na;
    this.nc = nc;
    this.m = m;
    this.keep = keep;
    this.lazy = lazy;
    this.three = new Float64Array(6 * na);
    this.nr = Math.max(2, nextPow2(nc));
    this.nd = Math.max(2, nextPow2(m));
    this.cells = this.nr * this.nd;
    const kernels = cpKernels(na, nc, m);
    this.kernels = kernels;
    this.F0 = kernels
      ? kernels.view(CP_SPECTRA, 2 * na * this.cells)
      : reusedBuffer('cp/fft-init/F', 2 * na * this.cells);
    this.F = this.F0;
    this.P = kernels ? kernels.view(CP_POWER, this.cells) : reusedBuffer('cp/fft-init/P', this.cells);
    rangeDopplerDft(t, this.nr, this.nd, this.F0, this.P, kernels);
    let total = 0;
    for (let k = 0; k < this.cells; k++) total += this.P[k] as number;
    this.total = total;
    this.mask = new Uint8Array(this.cells);
    this.scratch = reusedBuffer('cp/fft-init/scratch', this.cells);
    this.bv = new Float64Array(2 * this.nr);
    this.bt = new Float64Array(2 * this.nr);
    this.cv = new Float64Array(2 * this.nd);
    this.ct = new Float64Array(2 * this.nd);
    this.g = new Float64Array(2 * na);
  }

  /** The peak's power over the noise gate μ̂·gate, μ̂ the median of P (>= 1 passes). */
  gateRatio(idx: number, gate: number): number {
    this.scratch.set(this.P);
    const med = selectKth(this.scratch, this.cells >> 1);
    const pmax = this.P[idx]!;
    return med > 0 ? pmax / (med * gate) : pmax > 0 ? Infinity : 0;
  }

  /**
   * Step 2 at cell idx: delay and Doppler frequencies to a fraction of a bin (Candan, combined over
   * the antennas), the antenna vector g_p = F_p[peak] / (B̃[kr] C̃[kd]) and its dominant angle.
   */
  refinePeak(idx: number, angleEst: ToneEstimator): RefinedPeak {
    const { na, nr, nd, bt, ct, g, three } = this;
    const kr = Math.floor(idx / nd);
    const kd = idx % nd;
    this.gatherThree(((kr + nr - 1) % nr) * nd + kd, idx, ((kr + 1) % nr) * nd + kd);
    const dr = candan(three, na, nr);
    this.gatherThree(kr * nd + ((kd + nd - 1) % nd), idx, kr * nd + ((kd + 1) % nd));
    const dd = candan(three, na, nd);
    const nuR = wrap((kr + dr) / nr);
    const nuD = wrap((kd + dd) / nd);
    toneDft(nuR, this.nc, nr, this.bv, bt);
    toneDft(nuD, this.m, nd, this.cv, ct);
    const br = bt[2 * kr] as number;
    const bi = bt[2 * kr + 1] as number;
    const cr = ct[2 * kd] as number;
    const ci = ct[2 * kd + 1] as number;
    const hr = br * cr - bi * ci;
    const hi = br * ci + bi * cr;
    const h2 = hr * hr + hi * hi;
    // three[1] holds the current spectra at idx (the Doppler triple's centre)
    for (let p = 0; p < na; p++) {
      const fr = three[2 * (na + p)] as number;
      const fi = three[2 * (na + p) + 1] as number;
      g[2 * p] = (fr * hr + fi * hi) / h2;
      g[2 * p + 1] = (fi * hr - fr * hi) / h2;
    }
    const { vec, nuA } = dominantAngle(g, na, angleEst);
    let s = 0;
    for (let k = 0; k < 2 * na; k++) s += (vec[k] as number) ** 2;
    return { kr, kd, nuR, nuD, nuA, vec, amplitude: Math.sqrt(s / na) };
  }

  /** three[c][p] = F_p at cells a, b, c as subtracted so far (F itself, or F0 − the kept components). */
  private gatherThree(a: number, b: number, c: number): void {
    const { na, cells, F, three } = this;
    [a, b, c].forEach((cell, q) => {
      for (let p = 0; p < na; p++) {
        three[2 * (q * na + p)] = F[2 * (p * cells + cell)] as number;
        three[2 * (q * na + p) + 1] = F[2 * (p * cells + cell) + 1] as number;
      }
      if (this.comps.length > 0) this.subtractKept(cell, three, q * na);
    });
  }

  /** out[o + p] −= Σ_j v_j[p] B̃_j[kr] C̃_j[kd] at `cell` (the kept components of the bounded CLEAN). */
  private subtractKept(cell: number, out: Float64Array, o: number): void {
    const { na, nd } = this;
    const kr = Math.floor(cell / nd);
    const kd = cell % nd;
    for (const c of this.comps) {
      const br = c.bt[2 * kr] as number;
      const bi = c.bt[2 * kr + 1] as number;
      const cr = c.ct[2 * kd] as number;
      const ci = c.ct[2 * kd + 1] as number;
      const hr = br * cr - bi * ci;
      const hi = br * ci + bi * cr;
      for (let p = 0; p < na; p++) {
        const vr = c.v[2 * p] as number;
        const vi = c.v[2 * p + 1] as number;
        out[2 * (o + p)] = (out[2 * (o + p)] as number) - (vr * hr - vi * hi);
        out[2 * (o + p) + 1] = (out[2 * (o + p) + 1] as number) - (vr * hi + vi * hr);
      }
    }
  }

  /** Σ_p |F_p|² at `cell`, as subtracted so far. */
  power(cell: number): number {
    if (!this.lazy || this.comps.length === 0) return this.P[cell] as number;
    const { na, cells, F } = this;
    const x = this.three;
    for (let p = 0; p < na; p++) {
      x[2 * p] = F[2 * (p * cells + cell)] as number;
      x[2 * p + 1] = F[2 * (p * cells + cell) + 1] as number;
    }
    this.subtractKept(cell, x, 0);
    let s = 0;
    for (let p = 0; p < na; p++) s += (x[2 * p] as number) ** 2 + (x[2 * p + 1] as number) ** 2;
    return s;
  }

  /**
   * The largest cell of the current power map (the first on ties). Bounded CLEAN: with s(cell) =
   * Σ_j ||v_j|| |B̃_j[kr]| |C̃_j[kd]| the kept components' largest possible norm there, the current power
   * lies in [(√P0 − s)², (√P0 + s)²] (triangle inequality in C^{N_A}); only cells whose upper bound
   * reaches the largest lower bound can hold the maximum, and only those are evaluated exactly.
   */
  largestCell(): number {
    if (!this.lazy || this.comps.length === 0) return argmax(this.P);
    const { nr, nd, P, comps, kernels } = this;
    const ub = this.scratch;
    const J = comps.length;
    const simd = kernels !== null && J <= CLEAN_MAX_KEPT;
    const absB = simd ? kernels.view(CP_ABS_B, J * nr) : new Float64Array(J * nr);
    const absC = simd ? kernels.view(CP_ABS_C, J * nd) : new Float64Array(J * nd);
    comps.forEach((c, j) => {
      for (let k = 0; k < nr; k++)
        absB[j * nr + k] =
          c.vNorm * Math.sqrt((c.bt[2 * k] as number) ** 2 + (c.bt[2 * k + 1] as number) ** 2);
      for (let k = 0; k < nd; k++)
        absC[j * nd + k] = Math.sqrt((c.ct[2 * k] as number) ** 2 + (c.ct[2 * k + 1] as number) ** 2);
    });
    if (!this.rootP) {
      // √P0, computed once: the bounds of every later step read it
      if (simd) {
        kernels.sqrtInto(CP_POWER, CP_ROOT_P, this.cells);
        this.rootP = kernels.view(CP_ROOT_P, this.cells);
      } else {
        this.rootP = reusedBuffer('cp/fft-init/root-P', this.cells);
        for (let k = 0; k < this.cells; k++) this.rootP[k] = Math.sqrt(P[k] as number);
      }
    }
    if (simd) {
      // the same bounds and candidates in WebAssembly (the same arithmetic), then the same exact scan
      const floor = kernels.cleanBounds(CP_ROOT_P, CP_ABS_B, CP_ABS_C, J, nr, nd, CP_BOUNDS);
      const count = kernels.cleanCandidates(
        CP_BOUNDS,
        this.cells,
        1 + 1e-9,
        floor * (1 - 1e-9),
        CP_CANDIDATES,
      );
      const cand = kernels.int32View(CP_CANDIDATES, count);
      let best = -Infinity;
      let idx = 0;
      for (let i = 0; i < count; i++) {
        const v = this.power(cand[i] as number);
        if (v > best) {
          best = v;
          idx = cand[i] as number;
        }
      }
      return idx;
    }
    const rootP = this.rootP;
    let floor = 0;
    for (let kr = 0; kr < nr; kr++) {
      const o = kr * nd;
      if (J === 1) {
        const b0 = absB[kr] as number;
        for (let kd = 0; kd < nd; kd++) {
          const r = rootP[o + kd] as number;
          const sj = b0 * (absC[kd] as number);
          const lo = r - sj;
          if (lo > 0 && lo * lo > floor) floor = lo * lo;
          ub[o + kd] = (r + sj) * (r + sj);
        }
        continue;
      }
      for (let kd = 0; kd < nd; kd++) {
        let sj = 0;
        for (let j = 0; j < J; j++) sj += (absB[j * nr + kr] as number) * (absC[j * nd + kd] as number);
        const r = rootP[o + kd] as number;
        const lo = r - sj;
        if (lo > 0 && lo * lo > floor) floor = lo * lo;
        ub[o + kd] = (r + sj) * (r + sj);
      }
    }
    // margin for the rounding of the bounds (relative 1e-9: far above it, far below any gap that matters)
    const reach = floor * (1 - 1e-9);
    let best = -Infinity;
    let idx = 0;
    for (let cell = 0; cell < this.cells; cell++) {
      if (!((ub[cell] as number) * (1 + 1e-9) >= reach)) continue;
      const v = this.power(cell);
      if (v > best) {
        best = v;
        idx = cell;
      }
    }
    return idx;
  }

  /** Masks the 3 x 3 cell block around (kr, kd) in P (now and after every later subtraction). */
  maskAround(kr: number, kd: number): void {
    const { nr, nd } = this;
    for (let a = -1; a <= 1; a++)
      for (let b = -1; b <= 1; b++) this.mask[((kr + a + nr) % nr) * nd + ((kd + b + nd) % nd)] = 1;
    applyMask(this.P, this.mask);
  }

  /** F_p −= v_p B̃ C̃ᵀ (the current peak's exact DFT response), then P afresh (masked cells at 0). */
  subtract(v: Float64Array): void {
    if (this.lazy) {
      let n2 = 0;
      for (let k = 0; k < 2 * this.na; k++) n2 += (v[k] as number) ** 2;
      this.comps.push({ v: v.slice(), bt: this.bt.slice(), ct: this.ct.slice(), vNorm: Math.sqrt(n2) });
      return;
    }
    const into =
      this.keep && this.F === this.F0 ? reusedBuffer('cp/fft-init/F-subtracted', this.F0.length) : this.F;
    subtractAndPower(this.F, into, this.na, this.nr, this.nd, v, this.bt, this.ct, this.P);
    this.F = into;
    applyMask(this.P, this.mask);
  }
}

/** A peak within one range and Doppler bin and one beamwidth (1/N_A in κ sin θ) of a peak already taken. */
function isLeftover(found: readonly FoundCell[], p: RefinedPeak, map: RangeDopplerMap, na: number): boolean {
  return found.some(
    (f) =>
      cyclicDist(f.kr, p.kr, map.nr) <= 1 &&
      cyclicDist(f.kd, p.kd, map.nd) <= 1 &&
      Math.abs(wrapHalf(f.nuA - p.nuA)) * na < 1,
  );
}

/** The antenna vector's dominant angle (zero-padded DFT + Brent) and the vector replaced by that tone. */
function dominantAngle(
  g: Float64Array,
  na: number,
  angleEst: ToneEstimator,
): { vec: Float64Array; nuA: number } {
  const vec = new Float64Array(2 * na);
  if (na < 2) {
    vec.set(g.subarray(0, 2 * na));
    return { vec, nuA: 0 };
  }
  const est = angleEst.estimate(g, na);
  const nuA = est.nu;
  const ar = est.projection[0] / na;
  const ai = est.projection[1] / na;
  for (let p = 0; p < na; p++) {
    const ph = 2 * Math.PI * nuA * (p + 1);
    vec[2 * p] = ar * Math.cos(ph) - ai * Math.sin(ph);
    vec[2 * p + 1] = ar * Math.sin(ph) + ai * Math.cos(ph);
  }
  return { vec, nuA };
}

/** Rank 'auto': keeps the peaks whose amplitude is >= threshold x the strongest one's (in place). */
function keepStrong(peaks: InitPeak[], vecs: Float64Array[], threshold: number): void {
  const amp0 = Math.max(0, ...peaks.map((p) => p.amplitude));
  for (let r = peaks.length - 1; r >= 0; r--) {
    if ((peaks[r] as InitPeak).amplitude < threshold * amp0) {
      peaks.splice(r, 1);
      vecs.splice(r, 1);
    }
  }
}

/** Step 3: B, C unit-norm tones at the peaks' frequencies, A = antenna vector x √(N_c M). */
function toneFactors(t: EchoTensor, peaks: readonly InitPeak[], vecs: readonly Float64Array[]): CpFactors {
  const { na, nc, m } = t;
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
  return { na, nc, m, R, a, b, c };
}

/**
 * The k-th smallest value of x (0-based), as x.sort()[k] would give, by Hoare's quickselect
 * (median of three pivots); reorders x. O(n) instead of the O(n log n) sort.
 */
export function selectKth(x: Float64Array, k: number): number {
  let lo = 0;
  let hi = x.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    let a = x[lo] as number;
    let b = x[mid] as number;
    let c = x[hi] as number;
    if (a > b) [a, b] = [b, a];
    if (b > c) [b, c] = [c, b];
    if (a > b) [a, b] = [b, a];
    const pivot = b;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((x[i] as number) < pivot) i++;
      while ((x[j] as number) > pivot) j--;
      if (i <= j) {
        const t = x[i] as number;
        x[i] = x[j] as number;
        x[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return x[k] as number;
  }
  return x[k] as number;
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

/**
 * F[(p·nr + kr)·nd + kd] = Σ_{n,m} Y[p, n, m] e^{−j2π(kr n/nr + kd m/nd)} (index from 0, zero padded to
 * nr x nd): each row of Y copied into row reversed(n) of F, transformed in place along the symbols, then
 * along the subcarriers over whole rows (fft-radix2.ts: no strided gather, no permutation pass), the power
 * map P = Σ_p |F_p|² summed in that transform's last stage. With `kernels` (F and P their regions
 * CP_SPECTRA and CP_POWER) the transforms run in WebAssembly SIMD, with the same numbers.
 */
function rangeDopplerDft(
  t: EchoTensor,
  nr: number,
  nd: number,
  F: Float64Array,
  P: Float64Array,
  kernels: WasmKernels | null,
): void {
  const { na, nc, m, data } = t;
  if (nr > nc || nd > m) F.fill(0); // the zero padding (F is a reused buffer)
  P.fill(0);
  const colFft = radix2Plan(nr);
  // each row of Y into row reversed(n) of F: the subcarrier transform then needs no permutation pass
  if (kernels) {
    kernels.view(CP_TENSOR, 2 * na * nc * m).set(data.subarray(0, 2 * na * nc * m));
    const map = kernels.int32View(CP_ROW_MAP, na * nc);
    for (let p = 0; p < na; p++) for (let n = 0; n < nc; n++) map[p * nc + n] = p * nr + colFft.reversed(n);
    kernels.copyRows(CP_TENSOR, m, CP_SPECTRA, nd, na * nc, CP_ROW_MAP);
    kernels.fftSequences(CP_SPECTRA, 0, na * nr, nd);
    for (let p = 0; p < na; p++) kernels.transformRowsReversed(CP_SPECTRA, p * nr * nd, nr, nd, CP_POWER);
    return;
  }
  for (let p = 0; p < na; p++)
    for (let n = 0; n < nc; n++)
      F.set(
        data.subarray(2 * (p * nc + n) * m, 2 * (p * nc + n + 1) * m),
        2 * (p * nr + colFft.reversed(n)) * nd,
      );
  const rowFft = radix2Plan(nd);
  for (let r = 0; r < na * nr; r++) rowFft.transform(F, r * nd);
  for (let p = 0; p < na; p++) colFft.transformRowsReversed(F, p * nr * nd, nd, P);
}

function copyInto(dst: Float64Array, src: Float64Array): Float64Array {
  dst.set(src);
  return dst;
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
function candan(three: Float64Array, na: number, n: number): number {
  if (n < 4) return 0;
  let nr = 0;
  let ni = 0;
  let dr = 0;
  let di = 0;
  for (let p = 0; p < na; p++) {
    // three[q][p]: q = 0 the lower neighbour, 1 the peak, 2 the upper neighbour
    const x0r = three[2 * (na + p)] as number;
    const x0i = -(three[2 * (na + p) + 1] as number);
    const xmr = three[2 * p] as number;
    const xmi = three[2 * p + 1] as number;
    const xpr = three[2 * (2 * na + p)] as number;
    const xpi = three[2 * (2 * na + p) + 1] as number;
    const ar = xmr - xpr;
    const ai = xmi - xpi;
    const br = 2 * (three[2 * (na + p)] as number) - xmr - xpr;
    const bi = 2 * (three[2 * (na + p) + 1] as number) - xmi - xpi;
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

/**
 * G_p[kr, kd] = F_p[kr, kd] − v_p B̃[kr] C̃[kd] for all cells (G may be F: in place), and P = Σ_p |G_p|²
 * in the same pass (the same summation order as the power map of rangeDopplerDft).
 */
function subtractAndPower(
  F: Float64Array,
  G: Float64Array,
  na: number,
  nr: number,
  nd: number,
  v: Float64Array,
  bt: Float64Array,
  ct: Float64Array,
  P: Float64Array,
): void {
  P.fill(0);
  for (let p = 0; p < na; p++) {
    const vr = v[2 * p] as number;
    const vi = v[2 * p + 1] as number;
    for (let kr = 0; kr < nr; kr++) {
      const br = bt[2 * kr] as number;
      const bi = bt[2 * kr + 1] as number;
      const sr = vr * br - vi * bi;
      const si = vr * bi + vi * br;
      const o = 2 * (p * nr + kr) * nd;
      const q = kr * nd;
      for (let j = 0, k = q; j < 2 * nd; j += 2, k++) {
        const cr = ct[j] as number;
        const ci = ct[j + 1] as number;
        const fr = (F[o + j] as number) - (sr * cr - si * ci);
        const fi = (F[o + j + 1] as number) - (sr * ci + si * cr);
        G[o + j] = fr;
        G[o + j + 1] = fi;
        P[k] = (P[k] as number) + fr * fr + fi * fi;
      }
    }
  }
}

/**
 * The fitted tone model's DFT factors for the missed-echo checks: bt (R x nr) and ct (R x nd) the DFTs of
 * the delay and Doppler tones (toneDft's tones start at exponent 1), h (p-major x R) the coefficients
 * h_r[p] = g_r[p] e^{−j2π(ν_r + μ_r)}, so that the model's DFT is Σ_r h_r[p] B̃_r[kr] C̃_r[kd].
 */
function toneModelDft(
  nu: ArrayLike<number>,
  mu: ArrayLike<number>,
  g: Float64Array,
  na: number,
  nc: number,
  m: number,
  nr: number,
  nd: number,
): { bt: Float64Array; ct: Float64Array; h: Float64Array } {
  const R = nu.length;
  const bt = new Float64Array(2 * nr * R);
  const ct = new Float64Array(2 * nd * R);
  const v = new Float64Array(2 * Math.max(nr, nd));
  const out = new Float64Array(2 * Math.max(nr, nd));
  const h = new Float64Array(2 * na * R);
  for (let r = 0; r < R; r++) {
    toneDft(nu[r] as number, nc, nr, v, out);
    bt.set(out.subarray(0, 2 * nr), 2 * r * nr);
    toneDft(mu[r] as number, m, nd, v, out);
    ct.set(out.subarray(0, 2 * nd), 2 * r * nd);
    const ph = -2 * Math.PI * ((nu[r] as number) + (mu[r] as number));
    const cr = Math.cos(ph);
    const ci = Math.sin(ph);
    for (let p = 0; p < na; p++) {
      const gr = g[2 * (p * R + r)] as number;
      const gi = g[2 * (p * R + r) + 1] as number;
      h[2 * (p * R + r)] = gr * cr - gi * ci;
      h[2 * (p * R + r) + 1] = gr * ci + gi * cr;
    }
  }
  return { bt, ct, h };
}

/** The delay and Doppler frequencies of cell idx's centre into out. */
function cellFrequencies(idx: number, nr: number, nd: number, out: Float64Array): void {
  out[0] = wrap(Math.floor(idx / nd) / nr);
  out[1] = wrap((idx % nd) / nd);
}

/**
 * Missed-echo check of a fitted tone model (cp-decompose.ts, structure 'tones'): the largest cell of
 * the residual power map Σ_p |F_p − DFT(model)_p|² over the noise gate of rank 'auto' (the noise mean
 * μ̂ = N_A N_c M σ̂² of that map x the gate factor of false-alarm probability `pfa` over the map,
 * detection-gate.ts; σ̂² of the fit). >= 1: the residual still holds a detectable echo, i.e. the model
 * missed one (a start that took a subtraction leftover for an echo converges where it started). The
 * model is Σ_r g_r[p] e^{j2πν_r n} e^{j2πμ_r k} (n, k from 0; `g` p-major x R, interleaved); `F` are
 * the spectra of fftInit's `keepSpectrum` (read only). `peakOut` receives the delay and Doppler
 * frequencies of the largest residual cell (its bin centre). Cost: one pass over F with R complex
 * multiply-adds per cell.
 */
export function residualGateRatio(
  spectrum: { F: Float64Array; nr: number; nd: number },
  na: number,
  nc: number,
  m: number,
  nu: ArrayLike<number>,
  mu: ArrayLike<number>,
  g: Float64Array,
  noiseVariance: number,
  peakOut?: Float64Array,
  pfa = 1e-3,
): number {
  const { F, nr, nd } = spectrum;
  const R = nu.length;
  const cells = nr * nd;
  const { bt, ct, h } = toneModelDft(nu, mu, g, na, nc, m, nr, nd);
  const P = reusedBuffer('cp/residual-gate/P', cells);
  P.fill(0);
  const row = new Float64Array(2 * nd);
  for (let p = 0; p < na; p++) {
    for (let kr = 0; kr < nr; kr++) {
      // row = Σ_r (h_r[p] B̃_r[kr]) C̃_r, the model's DFT on this row
      row.fill(0);
      for (let r = 0; r < R; r++) {
        const br = bt[2 * (r * nr + kr)] as number;
        const bi = bt[2 * (r * nr + kr) + 1] as number;
        const hr = h[2 * (p * R + r)] as number;
        const hi = h[2 * (p * R + r) + 1] as number;
        const ur = hr * br - hi * bi;
        const ui = hr * bi + hi * br;
        const oc = 2 * r * nd;
        for (let j = 0; j < 2 * nd; j += 2) {
          const cr = ct[oc + j] as number;
          const ci = ct[oc + j + 1] as number;
          row[j] = (row[j] as number) + ur * cr - ui * ci;
          row[j + 1] = (row[j + 1] as number) + ur * ci + ui * cr;
        }
      }
      const o = 2 * (p * nr + kr) * nd;
      const q = kr * nd;
      for (let j = 0, k = q; j < 2 * nd; j += 2, k++) {
        const fr = (F[o + j] as number) - (row[j] as number);
        const fi = (F[o + j + 1] as number) - (row[j + 1] as number);
        P[k] = (P[k] as number) + fr * fr + fi * fi;
      }
    }
  }
  const imax = argmax(P);
  const pmax = P[imax] as number;
  if (peakOut) cellFrequencies(imax, nr, nd, peakOut);
  const mean = na * nc * m * noiseVariance;
  const gate = powerGateFactor(na, cells, pfa);
  return mean > 0 ? pmax / (mean * gate) : pmax > 0 ? Infinity : 0;
}

/**
 * residualGateRatio(...) >= 1, decided without the full pass: with s(cell) = Σ_r ||g_r|| |B̃_r[kr]| |C̃_r[kd]|
 * the model's largest possible norm at a cell, the residual power there is at most (√P + s)² (P the
 * spectra's power map, `spectrum.P`, else computed); only cells where that reaches the gate are
 * evaluated, with residualGateRatio's arithmetic. The same decision and, when it holds, the same
 * `peakOut` (tested); a residual spectrum far from the echoes costs nothing.
 */
export function residualGateExceeded(
  spectrum: { F: Float64Array; nr: number; nd: number; P?: Float64Array },
  na: number,
  nc: number,
  m: number,
  nu: ArrayLike<number>,
  mu: ArrayLike<number>,
  g: Float64Array,
  noiseVariance: number,
  peakOut?: Float64Array,
  pfa = 1e-3,
): boolean {
  const { F, nr, nd } = spectrum;
  const R = nu.length;
  const cells = nr * nd;
  const mean = na * nc * m * noiseVariance;
  const gate = powerGateFactor(na, cells, pfa);
  if (!(mean > 0) || !(mean * gate < Infinity))
    return residualGateRatio(spectrum, na, nc, m, nu, mu, g, noiseVariance, peakOut, pfa) >= 1;
  const { bt, ct, h } = toneModelDft(nu, mu, g, na, nc, m, nr, nd);
  // the bound's separable factors ||g_r|| |B̃_r[kr]| and |C̃_r[kd]| (|h_r[p]| = |g_r[p]|)
  const absB = new Float64Array(R * nr);
  const absC = new Float64Array(R * nd);
  for (let r = 0; r < R; r++) {
    let n2 = 0;
    for (let p = 0; p < na; p++)
      n2 += (g[2 * (p * R + r)] as number) ** 2 + (g[2 * (p * R + r) + 1] as number) ** 2;
    const gn = Math.sqrt(n2);
    for (let k = 0; k < nr; k++)
      absB[r * nr + k] =
        gn * Math.sqrt((bt[2 * (r * nr + k)] as number) ** 2 + (bt[2 * (r * nr + k) + 1] as number) ** 2);
    for (let k = 0; k < nd; k++)
      absC[r * nd + k] = Math.sqrt(
        (ct[2 * (r * nd + k)] as number) ** 2 + (ct[2 * (r * nd + k) + 1] as number) ** 2,
      );
  }
  let P = spectrum.P;
  if (!P) {
    P = reusedBuffer('cp/residual-gate/P0', cells);
    P.fill(0);
    for (let p = 0; p < na; p++)
      for (let k = 0; k < cells; k++)
        P[k] =
          (P[k] as number) +
          (F[2 * (p * cells + k)] as number) ** 2 +
          (F[2 * (p * cells + k) + 1] as number) ** 2;
  }
  const reach = mean * gate * (1 - 1e-9);
  let best = -Infinity;
  let idx = 0;
  for (let kr = 0; kr < nr; kr++) {
    for (let kd = 0; kd < nd; kd++) {
      const cell = kr * nd + kd;
      let sr = 0;
      for (let r = 0; r < R; r++) sr += (absB[r * nr + kr] as number) * (absC[r * nd + kd] as number);
      const root = Math.sqrt(P[cell] as number) + sr;
      if (!(root * root * (1 + 1e-9) >= reach)) continue;
      // the residual power at the cell, in residualGateRatio's order of operations
      let pw = 0;
      for (let p = 0; p < na; p++) {
        let mr = 0;
        let mi = 0;
        for (let r = 0; r < R; r++) {
          const br = bt[2 * (r * nr + kr)] as number;
          const bi = bt[2 * (r * nr + kr) + 1] as number;
          const ur = (h[2 * (p * R + r)] as number) * br - (h[2 * (p * R + r) + 1] as number) * bi;
          const ui = (h[2 * (p * R + r)] as number) * bi + (h[2 * (p * R + r) + 1] as number) * br;
          const cr = ct[2 * (r * nd + kd)] as number;
          const ci = ct[2 * (r * nd + kd) + 1] as number;
          mr = mr + ur * cr - ui * ci;
          mi = mi + ur * ci + ui * cr;
        }
        const fr = (F[2 * (p * cells + cell)] as number) - mr;
        const fi = (F[2 * (p * cells + cell) + 1] as number) - mi;
        pw = pw + fr * fr + fi * fi;
      }
      if (pw > best) {
        best = pw;
        idx = cell;
      }
    }
  }
  if (!(best / (mean * gate) >= 1)) return false;
  if (peakOut) cellFrequencies(idx, nr, nd, peakOut);
  return true;
}
