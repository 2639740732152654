import { cnorm2, lagOnePhase } from '../../math/complex.js';
import type { Rng } from '../../math/rng.js';
import type { EchoTensor } from '../echo-model.js';
import { regularisedAls, type CpFactors } from './als.js';
import { espritInit } from './esprit-init.js';
import {
  coreFromSpectrum,
  extendTones,
  factorsFromCore,
  factorsToCore,
  windowBins,
  type DftWindows,
} from './dft-compress.js';
import { fftInit, randomInit, residualGateExceeded, type FftInitResult, type InitPeak } from './fft-init.js';
import { degeneracyIndex, normaliseFactors } from './finalise.js';
import { lmFinish, type LmResult } from './lm-finish.js';
import { residualNorm2 } from './residual.js';
import { toneRefine, type SpectrumStart, type ToneRefineResult } from './tone-refine.js';
import {
  DEFAULT_CP_OPTIONS,
  type CpDecomposition,
  type CpFinishOutcome,
  type CpOptions,
  type CpStatus,
} from './types.js';
import { IsacflowError } from '../../core/errors.js';

/** A finish whose degeneracy index exceeds both this and the ALS result's is rejected. */
export const DEGENERACY_LIMIT = 10;

/** ALS sweeps run from each start by init 'auto' before the better one is kept. */
export const PROBE_SWEEPS = 3;

/** Levenberg-Marquardt iterations on the full tensor after the core solution before the uncompressed path takes over. */
export const FULL_FINISH_ITERATIONS = 6;

/**
 * Relative cost decrease (measured, or predicted by the Gauss-Newton model before the residual pass)
 * that ends the full-tensor finish after the core solution. With noise the cost is ~N σ², and the
 * noise itself moves the optimum by ~P σ² (P = 2R(N_A + N_c + M) real parameters, ~6e-3 N here), so
 * 1e-6 of the cost is far inside the estimates' spread (paired comparison: bench/speed-accuracy.ts).
 * Noise-free, each step lowers the cost by orders of magnitude, so the finish still runs to the
 * rounding floor.
 */
export const FULL_FINISH_TOLERANCE = 1e-6;

/**
 * Relative cost decrease (measured or predicted, as above) that ends the Levenberg-Marquardt finish of
 * the uncompressed restart (hard cases and low SNR, slow to converge). With noise the cost is ~N σ², so
 * 1e-5 of it is ~1.3 σ² on the paper's 8 x 128 x 128 tensor: a decrease at the noise level, where the
 * unstructured factors go on fitting the noise (hundreds of iterations at −20 dB). Paired on the Fig. 9
 * set-up (bench/speed-accuracy.ts, 50 trials, against 1e-7): association correct 0.88 -> 1.00 at 0 dB
 * and 0.54 -> 0.66 at −20 dB, velocity ARMSE 12.8 -> 1.1 m/s at 0 dB, a −20 dB frame 538 -> 292 ms;
 * 3e-5 and 1e-4 gave the same associations, 1e-6 and 3e-6 fewer.
 */
export const RESTART_TOLERANCE = 1e-5;

/**
 * ALS sweeps of the uncompressed restart before its Levenberg-Marquardt finish takes over. There the
 * ALS only warms the LM up; run long at low SNR it drifts into fitting the noise. Paired against
 * 200 sweeps (50 trials per SNR, bench/speed-accuracy.ts): associations 0.66 -> 0.82 at −20 dB and
 * 0.88 -> 0.94 at −15 dB, location ARMSE 6.8 -> 4.2 m and 2.5 -> 1.5 m; −10 dB within the intervals;
 * at 0 / 10 dB associations equal and location ARMSE +0.7 % / +0.0 % (median +2 % at 10 dB).
 */
export const RESTART_ALS_SWEEPS = 20;

/**
 * init 'auto' runs the ESPRIT start only when two FFT peaks lie within this many bins of each other in
 * both delay and Doppler: farther apart, the FFT start already separates them (on the Fig. 9 set-up
 * ESPRIT won the probe only for pairs closer than 0.92 bin, 10 of 480 APs at 0 and 10 dB).
 */
export const ESPRIT_GATE_BINS = 1.5;

/**
 * The structured refinement checks its residual for a missed echo (residualPeak) only when two FFT
 * start peaks lie within this many bins of each other in both delay and Doppler: the CLEAN start takes
 * a subtraction leftover for an echo (and then passes over a weaker one) only next to the leftover's
 * own echo. On the Fig. 9 set-up (50 trials at −20, −10, 0 and 10 dB, 800 APs) the check fired at 7 APs
 * when run everywhere, all with a pair closer than 0.82 bin; within 1.5 bins lie a third of the APs.
 */
export const LEFTOVER_GATE_BINS = 1.5;

/** Some pair of peaks closer than `bins` in both delay and Doppler (cyclic, in bins of N_c and M). */
export function closePeaks(peaks: readonly InitPeak[], nc: number, m: number, bins: number): boolean {
  const dist = (a: number, b: number, n: number) => {
    const u = (((a - b) % 1) + 1) % 1;
    return Math.min(u, 1 - u) * n;
  };
  for (let i = 0; i < peaks.length; i++)
    for (let j = i + 1; j < peaks.length; j++) {
      const p = peaks[i]!;
      const q = peaks[j]!;
      if (dist(p.nuDelay, q.nuDelay, nc) < bins && dist(p.nuDoppler, q.nuDoppler, m) < bins) return true;
    }
  return false;
}

/** Congruence above which two components are reported as not separable. */
export const CONGRUENCE_WARNING = 0.99;

/** A finish result is kept unless it raised the cost or degenerated (index above max(10, the start's)). */
function acceptable(lm: LmResult, start: CpFactors): boolean {
  const dLm = degeneracyIndex(lm.factors);
  return (
    lm.cost <= lm.startCost &&
    Number.isFinite(dLm) &&
    dLm <= Math.max(DEGENERACY_LIMIT, degeneracyIndex(start))
  );
}

function isPow2(n: number): boolean {
  return n >= 2 && (n & (n - 1)) === 0;
}

/** Frequency (cycles per sample) of the tone in column r of x (rows x R): the phase step of its first two rows. */
function toneFrequency(x: Float64Array, rows: number, R: number, r: number): number {
  if (rows < 2) return 0;
  const ar = x[2 * r] as number;
  const ai = x[2 * r + 1] as number;
  const br = x[2 * (R + r)] as number;
  const bi = x[2 * (R + r) + 1] as number;
  return Math.atan2(bi * ar - br * ai, br * ar + bi * ai) / (2 * Math.PI);
}

/** DFT windows around the delay and Doppler frequencies of the start(s) (tone factors). */
function startWindows(f: CpFactors, esp: CpFactors | null, halfWidth: number): DftWindows {
  const starts = esp ? [f, esp] : [f];
  const nuB: number[] = [];
  const nuC: number[] = [];
  for (const s of starts)
    for (let r = 0; r < s.R; r++) {
      nuB.push(toneFrequency(s.b, s.nc, s.R, r));
      nuC.push(toneFrequency(s.c, s.m, s.R, r));
    }
  return { delayBins: windowBins(nuB, f.nc, halfWidth), dopplerBins: windowBins(nuC, f.m, halfWidth) };
}

/**
 * Complex CP decomposition of one AP's echo tensor (eqs. 31, 35, 36):
 * Y (N_A x N_c x M) ≈ Σ_{r=1..R} u_r ∘ d_r ∘ f_r.
 *
 * 1. start (types.ts CpInit): range-Doppler(-angle) FFT peaks (fft-init.ts; they also count the
 *    components for `rank: 'auto'`), 2-D ESPRIT (esprit-init.ts; resolves echoes closer than an FFT
 *    cell), both with the better kept after PROBE_SWEEPS sweeps ('auto'; ESPRIT only when two FFT
 *    peaks are within ESPRIT_GATE_BINS in delay and Doppler), or random (needs `rng`);
 * 1b. `structure: 'tones'` (default): the structured refinement (tone-refine.ts) from the FFT start's
 *    frequencies; when two start peaks are within LEFTOVER_GATE_BINS (or the result failed) its
 *    residual spectrum is searched for a missed echo (fft-init.ts residualGateRatio); a result that
 *    converged, does not degenerate and passes the check is returned (σ̂² over N_A N_c M − R(N_A + 1));
 *    else, if an echo was missed, once more with the weaker of the closest pair moved to it; then the
 *    ESPRIT start (if two peaks were within ESPRIT_GATE_BINS); failing all, the unstructured steps 2-4
 *    run from the same starts and their result is polished by the structured refinement (kept when
 *    acceptable, else the unstructured result is returned);
 * 2. regularised ALS (the paper's "regularised ALS", proximal Tikhonov, als.ts) until the relative
 *    fit error changes by less than `tolerance`; with `compress: 'dft-window'` (N_c, M powers of two)
 *    the probes, the ALS and a first Levenberg-Marquardt finish run on the core of DFT bins around
 *    the start frequencies (dft-compress.ts), the factors are mapped back (each delay and Doppler
 *    factor completed outside its window by its best-fitting tone, `extendTones`), and the finish of
 *    step 3 runs at most FULL_FINISH_ITERATIONS on the full tensor (the uncompressed path when it does
 *    not converge: continuing instead reached higher costs and lost associations in a paired test;
 *    the restart runs at most RESTART_ALS_SWEEPS ALS sweeps, then its LM to RESTART_TOLERANCE);
 * 3. `finish: 'lm'`: Levenberg-Marquardt on the unregularised cost (35) (lm-finish.ts); its result is
 *    kept unless it degenerates (degeneracy index above max(10, the ALS one's)), in which case the
 *    ALS result is kept (model notes);
 * 4. scaling convention of types.ts; σ̂² = ||Y − model||² / (N_A N_c M − R(N_A + N_c + M − 2)).
 *
 * Degenerate input never yields NaN: a zero tensor gives zero-amplitude components
 * (status 'zero-tensor'); singular normal equations are floored; non-separable components and
 * cancelling components are reported in `warnings`, `maxCongruence` and `degeneracy`.
 */
export function cpDecompose(t: EchoTensor, options: Partial<CpOptions> = {}, rng?: Rng): CpDecomposition {
  return decompose(t, { ...DEFAULT_CP_OPTIONS, ...options }, rng);
}

/** The FFT / ESPRIT starts of a decomposition, handed to its uncompressed restart (not recomputed). */
interface Starts {
  f: CpFactors;
  esp: CpFactors | null;
  start: CpDecomposition['start'];
}

function copyFactors(f: CpFactors): CpFactors {
  return { ...f, a: f.a.slice(), b: f.b.slice(), c: f.c.slice() };
}

/** The starts and spectra already computed, handed to the unstructured path when the tone model failed. */
interface Prepared {
  f: CpFactors;
  esp: CpFactors | null;
  start: CpDecomposition['start'];
  spectrum: FftInitResult['spectrum'];
}

function decompose(
  t: EchoTensor,
  opts: CpOptions,
  rng?: Rng,
  given?: Starts,
  prepared?: Prepared,
): CpDecomposition {
  const { na, nc, m } = t;
  const N = na * nc * m;
  if (opts.rank !== 'auto' && !(Number.isInteger(opts.rank) && opts.rank >= 0))
    throw new RangeError(
      `cpDecompose: rank must be a non-negative integer or 'auto' (got ${String(opts.rank)})`,
    );
  const compressible = opts.compress === 'dft-window' && isPow2(nc) && isPow2(m);
  // the FFT start comes first on the default path: its spectra give ||Y||² by Parseval (one pass saved)
  const fftStart = !prepared && !given && opts.init !== 'random';
  const init = fftStart
    ? fftInit(t, opts.rank, { ...opts, keepSpectrum: compressible || opts.structure === 'tones' })
    : null;
  const yNorm2 = init ? init.yNorm2 : cnorm2(t.data, N);
  const warnings: string[] = [];

  if (!Number.isFinite(yNorm2)) {
    // the spectra turn an infinite sample into NaN (∞ − ∞): the message reports the tensor's own norm
    const direct = init ? cnorm2(t.data, N) : yNorm2;
    throw new IsacflowError(
      'non-finite',
      `the echo tensor holds a non-finite value (||Y||² = ${direct}): check the scenario's SNR, positions and speeds`,
    );
  }
  if (!(yNorm2 > 0)) {
    const R = opts.rank === 'auto' ? 0 : opts.rank;
    const f = fftInit(t, R, opts).factors; // zero tensor: flat, zero-amplitude components
    warnings.push('zero tensor: every component has zero amplitude');
    return assemble(f, 0, 0, 0, 'none', R === 0 ? 'empty' : 'zero-tensor', 0, 0, warnings, 'none');
  }

  let f: CpFactors;
  let esp: CpFactors | null = null;
  let start: CpDecomposition['start'] = 'fft';
  let spectrum: FftInitResult['spectrum'];
  let espDeferred = false;
  let checkResidual = true;
  if (prepared) {
    ({ f, esp, start, spectrum } = prepared);
  } else if (given) {
    f = copyFactors(given.f);
    esp = given.esp ? copyFactors(given.esp) : null;
    start = given.start;
  } else if (opts.init === 'random') {
    if (!rng) throw new Error("cpDecompose: init 'random' needs an Rng");
    const R = opts.rank === 'auto' ? fftInit(t, 'auto', opts).factors.R : opts.rank;
    f = randomInit(t, R, rng);
    start = 'random';
  } else {
    if (!init) throw new Error('cpDecompose: the FFT start was not computed'); // fftStart holds here
    f = init.factors;
    spectrum = init.spectrum;
    const wantEsprit =
      opts.init === 'esprit' || (opts.init === 'auto' && closePeaks(init.peaks, nc, m, ESPRIT_GATE_BINS));
    // a start peak that is a subtraction leftover lies next to its echo's peak: without such a pair no
    // echo can have been passed over, and the tone model's missed-echo check is skipped
    checkResidual = closePeaks(init.peaks, nc, m, LEFTOVER_GATE_BINS);
    // with tones and init 'auto' the ESPRIT start is computed only if the FFT start's result fails
    espDeferred = wantEsprit && opts.init === 'auto' && opts.structure === 'tones';
    esp = wantEsprit && !espDeferred ? espritInit(t, f.R) : null;
    if (esp && opts.init === 'esprit') {
      f = esp;
      esp = null;
      start = 'esprit';
    }
  }
  const R = f.R;
  if (R === 0) return assemble(f, yNorm2, yNorm2 / N, 1, 'none', 'empty', 0, 0, warnings, 'none');

  // 1b. structured: tones from the FFT start (a missed echo: moved start), then the ESPRIT start; the
  // unstructured path if all fail
  let tonePasses = 0;
  if (opts.structure === 'tones' && start !== 'random' && !given) {
    const tone = refineTones(
      t,
      yNorm2,
      f,
      init && !prepared && start === 'fft' ? spectrumStartOf(init) : null,
      () => (espDeferred ? espritInit(t, R) : esp),
      spectrum,
      checkResidual,
    );
    tonePasses = tone.passes;
    esp = tone.esp;
    if (tone.best) {
      const startTaken = tone.fromEsprit ? 'esprit' : start;
      return finishStructured(t, yNorm2, tone.best, tone.passes, warnings, startTaken);
    }
    // not converged, degenerate, or an echo missed: the unstructured path, then tones from its result
    const u = decompose(t, { ...opts, structure: 'none' }, rng, undefined, { f, esp, start, spectrum });
    return polishStructured(t, yNorm2, u, spectrum, tonePasses);
  }
  const starts: Starts | undefined =
    start === 'random' ? undefined : { f: copyFactors(f), esp: esp ? copyFactors(esp) : null, start };
  // 1. the working problem: the DFT-window core (compressed) or the full tensor
  const windows = compressible && spectrum ? startWindows(f, esp, opts.windowHalfWidth) : null;
  const useCore = windows !== null && windows.delayBins.length * windows.dopplerBins.length * 2 <= nc * m;
  const work = useCore ? coreFromSpectrum(spectrum!.F, na, spectrum!.nr, spectrum!.nd, windows) : t.data;
  const workNorm2 = useCore ? cnorm2(work) : yNorm2;
  if (useCore) {
    f = factorsToCore(f, windows);
    if (esp) esp = factorsToCore(esp, windows);
  }
  // 2. 'auto': a few sweeps from each start, continue from the better fit
  let probe = 0;
  if (esp) {
    const sweeps = Math.min(PROBE_SWEEPS, opts.maxIterations);
    const probeOpts = { maxIterations: sweeps, tolerance: 0, regularisation: opts.regularisation };
    const eF = regularisedAls(work, workNorm2, f, probeOpts).relativeError;
    const eE = regularisedAls(work, workNorm2, esp, probeOpts).relativeError;
    probe = 2 * sweeps;
    if (eE < eF) {
      f = esp;
      start = 'esprit';
    }
  }
  // 3. regularised ALS (and on the core a first Levenberg-Marquardt finish)
  const als = regularisedAls(work, workNorm2, f, {
    ...opts,
    maxIterations: Math.max(
      1,
      (given ? Math.min(opts.maxIterations, RESTART_ALS_SWEEPS) : opts.maxIterations) - probe / 2,
    ),
  });
  als.iterations += probe;
  let status: CpStatus = als.converged ? 'converged' : 'max-iterations';
  let finish: CpFinishOutcome = 'none';
  let finishIterations = 0;
  let cost: number;
  if (useCore) {
    if (opts.finish === 'lm' && opts.finishIterations > 0) {
      const lm = lmFinish(work, workNorm2, f, opts.finishIterations);
      finishIterations += lm.iterations;
      if (acceptable(lm, f)) f = lm.factors;
    }
    const core = f;
    f = factorsFromCore(core, nc, m, windows);
    if (opts.extendTones) {
      extendTones(f.b, core.b, nc, R, windows.delayBins);
      extendTones(f.c, core.c, m, R, windows.dopplerBins);
    }
  }
  // 4. the finish on the full tensor (from the core solution: a few iterations, else the uncompressed path)
  if (opts.finish === 'lm' && opts.finishIterations > 0) {
    const lm = useCore
      ? lmFinish(
          t.data,
          yNorm2,
          f,
          Math.min(opts.finishIterations, FULL_FINISH_ITERATIONS),
          FULL_FINISH_TOLERANCE,
          true,
        )
      : given
        ? lmFinish(t.data, yNorm2, f, opts.finishIterations, RESTART_TOLERANCE, true)
        : lmFinish(t.data, yNorm2, f, opts.finishIterations);
    if (useCore && (!lm.converged || !acceptable(lm, f)) && opts.finishIterations > FULL_FINISH_ITERATIONS) {
      // a hard case (components that share cells): the core solution sits in another basin (continuing
      // from it ends at a higher cost than a fresh start on the full tensor, paired test): start afresh uncompressed
      const full = decompose(t, { ...opts, compress: 'none' }, rng, starts);
      return {
        ...full,
        iterations: full.iterations + als.iterations,
        finishIterations: full.finishIterations + finishIterations + lm.iterations,
      };
    }
    finishIterations += lm.iterations;
    const dLm = degeneracyIndex(lm.factors);
    if (acceptable(lm, f)) {
      f = lm.factors;
      cost = lm.cost;
      finish = 'accepted';
      if (lm.converged) status = 'converged';
    } else {
      cost = lm.startCost;
      finish = 'reverted';
      warnings.push(
        `the Levenberg-Marquardt finish degenerated (degeneracy ${dLm.toPrecision(3)}); the regularised ALS result is kept`,
      );
    }
  } else {
    if (useCore) {
      // no finish asked for: plain ALS on the full tensor from the expanded core solution
      const full = regularisedAls(t.data, yNorm2, f, opts);
      als.iterations += full.iterations;
      status = full.converged ? 'converged' : 'max-iterations';
    }
    cost = residualNorm2(t.data, na, nc, m, f.a, f.b, f.c, R, new Float64Array(4 * R + 2 * m));
  }

  const dof = N - R * (na + nc + m - 2);
  let noiseVariance: number;
  if (dof > 0) noiseVariance = cost / dof;
  else {
    noiseVariance = cost / N;
    warnings.push(
      `rank ${R} leaves no residual degrees of freedom (N_A N_c M − R(N_A + N_c + M − 2) = ${dof}); σ̂² = residual / (N_A N_c M)`,
    );
  }
  return assemble(
    f,
    yNorm2,
    noiseVariance,
    Math.sqrt(cost / yNorm2),
    finish,
    status,
    als.iterations,
    finishIterations,
    warnings,
    start,
  );
}

/** Passes over the tensor the structured refinement may use before the unstructured path takes over. */
export const TONE_PASSES = 30;

/**
 * Relative cost decrease (predicted by the Gauss-Newton model) that ends the structured refinement:
 * 1e-8 of N σ² is ~1e-3 σ², far below the decrease of moving any frequency by its standard deviation.
 */
export const TONE_TOLERANCE = 1e-8;

/** Delay and Doppler frequencies of a start's (tone) factors. */
/**
 * The FFT start's cells as a start on the range-Doppler grid (tone-refine.ts SpectrumStart: its first
 * point costs no pass over the tensor), or null when that start cannot separate its components (two in
 * one cell: split by angle only) or has no spectra or cells.
 */
function spectrumStartOf(init: FftInitResult): SpectrumStart | null {
  const { spectrum, peaks } = init;
  if (!spectrum || peaks.length === 0 || peaks.length !== init.factors.R) return null;
  const seen = new Set<number>();
  for (const p of peaks) {
    const cell = p.kr * spectrum.nd + p.kd;
    if (p.kr < 0 || p.kd < 0 || seen.has(cell)) return null;
    seen.add(cell);
  }
  return { ...spectrum, kr: peaks.map((p) => p.kr), kd: peaks.map((p) => p.kd) };
}

function startFrequencies(f: CpFactors): [Float64Array, Float64Array] {
  const nu = new Float64Array(f.R);
  const mu = new Float64Array(f.R);
  for (let r = 0; r < f.R; r++) {
    nu[r] = toneFrequency(f.b, f.nc, f.R, r);
    mu[r] = toneFrequency(f.c, f.m, f.R, r);
  }
  return [nu, mu];
}

/**
 * The structured refinement from the FFT start. If its result leaves an echo in the residual
 * (residualPeak; searched when `check` is set or the result did not converge or degenerated), once
 * more with the weaker component of the closest pair moved to that echo's cell (the pair is the echo
 * and its subtraction leftover). If still not acceptable, from the ESPRIT start (`espritStart`:
 * computed on demand, null when two FFT peaks were not close). Returns the first acceptable result
 * (tonesAcceptable) or null, and the ESPRIT start if one was computed.
 */
function refineTones(
  t: EchoTensor,
  yNorm2: number,
  f: CpFactors,
  gridStart: SpectrumStart | null,
  espritStart: () => CpFactors | null,
  spectrum: FftInitResult['spectrum'],
  check: boolean,
): { best: ToneRefineResult | null; passes: number; fromEsprit: boolean; esp: CpFactors | null } {
  let passes = 0;
  const run = (nu: ArrayLike<number>, mu: ArrayLike<number>, grid?: SpectrumStart) => {
    const r = toneRefine(t.data, yNorm2, t.na, t.nc, t.m, nu, mu, TONE_PASSES, TONE_TOLERANCE, grid);
    passes += r.passes;
    const converged = tonesConverged(r);
    // the residual is also searched when the result failed (two components collapsed onto one echo)
    const peak =
      (check || !converged) && Number.isFinite(r.cost) ? residualPeak(t, yNorm2, spectrum, r) : null;
    return { r, ok: converged && peak === null, peak };
  };
  const first = run(...startFrequencies(f), gridStart ?? undefined);
  if (first.ok) return { best: first.r, passes, fromEsprit: false, esp: null };
  if (first.peak) {
    const { nu, mu } = moveWeakerOfClosestPair(first.r, t.nc, t.m, first.peak);
    const second = run(nu, mu);
    if (second.ok) return { best: second.r, passes, fromEsprit: false, esp: null };
  }
  const esp = espritStart();
  if (esp) {
    const third = run(...startFrequencies(esp));
    if (third.ok) return { best: third.r, passes, fromEsprit: true, esp };
  }
  return { best: null, passes, fromEsprit: false, esp };
}

/**
 * The result's frequencies with the weaker component (smaller ||g_r||) of its closest pair (in bins,
 * the larger of the delay and Doppler distances) moved to `peak` (delay, Doppler frequency).
 */
function moveWeakerOfClosestPair(
  r: ToneRefineResult,
  nc: number,
  m: number,
  peak: Float64Array,
): { nu: Float64Array; mu: Float64Array } {
  const nu = r.nu.slice();
  const mu = r.mu.slice();
  const R = nu.length;
  const cyc = (a: number, b: number) => Math.abs(a - b - Math.round(a - b));
  const power = (q: number) => {
    let e = 0;
    for (let p = 0; p < r.factors.na; p++)
      e += (r.factors.a[2 * (p * R + q)] as number) ** 2 + (r.factors.a[2 * (p * R + q) + 1] as number) ** 2;
    return e;
  };
  let best = Infinity;
  let drop = R - 1;
  for (let i = 0; i < R; i++)
    for (let j = i + 1; j < R; j++) {
      const d = Math.max(cyc(nu[i]!, nu[j]!) * nc, cyc(mu[i]!, mu[j]!) * m);
      if (d < best) {
        best = d;
        drop = power(i) < power(j) ? i : j;
      }
    }
  nu[drop] = peak[0]!;
  mu[drop] = peak[1]!;
  return { nu, mu };
}

/** Converged, finite and not degenerate. */
function tonesConverged(r: ToneRefineResult): boolean {
  return r.converged && Number.isFinite(r.cost) && degeneracyIndex(r.factors) <= DEGENERACY_LIMIT;
}

/** tonesConverged and no echo left in the residual (residualPeak). */
function tonesAcceptable(
  t: EchoTensor,
  yNorm2: number,
  spectrum: FftInitResult['spectrum'],
  r: ToneRefineResult,
): boolean {
  return tonesConverged(r) && residualPeak(t, yNorm2, spectrum, r) === null;
}

/**
 * A tone model that still leaves a detectable echo in the residual (fft-init.ts residualGateRatio):
 * its start took a subtraction leftover for an echo and missed a weaker one. Returns the frequencies
 * (delay, Doppler) of the largest residual cell then, else null. Without the spectra (no check asked
 * for) null.
 */
function residualPeak(
  t: EchoTensor,
  yNorm2: number,
  spectrum: FftInitResult['spectrum'],
  r: ToneRefineResult,
): Float64Array | null {
  // a residual below 1e-12 ||Y||² holds no echo worth a component (it would be 120 dB below the
  // data), and noise-free data leave only rounding there, whose cells are not noise-like
  if (!spectrum || !(r.cost > 1e-12 * yNorm2)) return null;
  const N = t.na * t.nc * t.m;
  const sigma2 = r.cost / Math.max(1, N - r.factors.R * (t.na + 1));
  const peak = new Float64Array(2);
  return residualGateExceeded(spectrum, t.na, t.nc, t.m, r.nu, r.mu, r.factors.a, sigma2, peak) ? peak : null;
}

/**
 * The structured refinement from an unstructured decomposition's delay and Doppler frequencies; its
 * result when it converges, does not degenerate and leaves no echo in the residual, else `u` itself.
 */
function polishStructured(
  t: EchoTensor,
  yNorm2: number,
  u: CpDecomposition,
  spectrum: FftInitResult['spectrum'],
  earlierPasses: number,
): CpDecomposition {
  const R = u.rank;
  if (R === 0 || u.status === 'zero-tensor') return u;
  const nu = Array.from({ length: R }, (_, r) => lagOnePhase(u.delay, r * u.nc, u.nc) / (2 * Math.PI));
  const mu = Array.from({ length: R }, (_, r) => lagOnePhase(u.doppler, r * u.m, u.m) / (2 * Math.PI));
  const r = toneRefine(t.data, yNorm2, t.na, t.nc, t.m, nu, mu, TONE_PASSES, TONE_TOLERANCE);
  const passes = earlierPasses + u.finishIterations + r.passes;
  if (!tonesAcceptable(t, yNorm2, spectrum, r)) return { ...u, finishIterations: passes };
  const d = finishStructured(t, yNorm2, r, passes, [], u.start);
  return { ...d, iterations: u.iterations };
}

/** The decomposition of a converged structured refinement (σ̂² over its own residual degrees of freedom). */
function finishStructured(
  t: EchoTensor,
  yNorm2: number,
  r: ToneRefineResult,
  passes: number,
  warnings: string[],
  start: CpDecomposition['start'],
): CpDecomposition {
  const { na, nc, m } = t;
  const R = r.factors.R;
  const N = na * nc * m;
  // complex parameters fitted: R N_A angle values and 2R real frequencies (= R complex)
  const dof = N - R * (na + 1);
  const cost = Math.max(r.cost, 0);
  let noiseVariance: number;
  if (dof > 0) noiseVariance = cost / dof;
  else {
    noiseVariance = cost / N;
    warnings.push(
      `rank ${R} leaves no residual degrees of freedom (N_A N_c M − R(N_A + 1) = ${dof}); σ̂² = residual / (N_A N_c M)`,
    );
  }
  return assemble(
    r.factors,
    yNorm2,
    noiseVariance,
    Math.sqrt(cost / yNorm2),
    'accepted',
    'converged',
    0,
    passes,
    warnings,
    start,
  );
}

function assemble(
  f: CpFactors,
  yNorm2: number,
  noiseVariance: number,
  relativeFitError: number,
  finish: CpFinishOutcome,
  status: CpStatus,
  iterations: number,
  finishIterations: number,
  warnings: string[],
  start: CpDecomposition['start'],
): CpDecomposition {
  const nf = normaliseFactors(f);
  const degeneracy = yNorm2 > 0 ? degeneracyIndex(f) : 0;
  if (degeneracy > DEGENERACY_LIMIT)
    warnings.push(
      `components cancel each other (degeneracy index ${degeneracy.toPrecision(3)}): the rank may exceed what the data supports`,
    );
  if (yNorm2 > 0 && nf.maxCongruence > CONGRUENCE_WARNING)
    warnings.push(
      `components ${nf.congruentPair[0]} and ${nf.congruentPair[1]} share delay and Doppler (congruence ${nf.maxCongruence.toFixed(4)}): not separable at this AP, their angle factors are not unique`,
    );
  return {
    na: f.na,
    nc: f.nc,
    m: f.m,
    rank: f.R,
    angle: nf.angle,
    delay: nf.delay,
    doppler: nf.doppler,
    noiseVariance: Number.isFinite(noiseVariance) ? noiseVariance : 0,
    relativeFitError: Number.isFinite(relativeFitError) ? relativeFitError : 1,
    iterations,
    start,
    finishIterations,
    finish,
    status,
    degeneracy: Number.isFinite(degeneracy) ? degeneracy : Number.MAX_VALUE,
    maxCongruence: nf.maxCongruence,
    warnings,
  };
}
