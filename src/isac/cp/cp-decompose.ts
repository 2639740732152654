import { cnorm2 } from '../../math/complex.js';
import type { Rng } from '../../math/rng.js';
import type { EchoTensor } from '../echo-model.js';
import { regularisedAls, type CpFactors } from './als.js';
import { espritInit } from './esprit-init.js';
import { fftInit, randomInit } from './fft-init.js';
import { degeneracyIndex, normaliseFactors } from './finalise.js';
import { lmFinish } from './lm-finish.js';
import { residualNorm2 } from './residual.js';
import { DEFAULT_CP_OPTIONS, type CpDecomposition, type CpFinishOutcome, type CpOptions, type CpStatus } from './types.js';
import { IsacflowError } from '../../core/errors.js';

/** A finish whose degeneracy index exceeds both this and the ALS result's is rejected. */
export const DEGENERACY_LIMIT = 10;

/** ALS sweeps run from each start by init 'auto' before the better one is kept. */
export const PROBE_SWEEPS = 3;

/** Congruence above which two components are reported as not separable. */
export const CONGRUENCE_WARNING = 0.99;

/**
 * Complex CP decomposition of one AP's echo tensor (eqs. 31, 35, 36):
 * Y (N_A x N_c x M) ≈ Σ_{r=1..R} u_r ∘ d_r ∘ f_r.
 *
 * 1. start (types.ts CpInit): range-Doppler(-angle) FFT peaks (fft-init.ts; they also count the
 *    components for `rank: 'auto'`), 2-D ESPRIT (esprit-init.ts; resolves echoes closer than an FFT
 *    cell), both with the better kept after PROBE_SWEEPS sweeps ('auto'), or random (needs `rng`);
 * 2. regularised ALS (the paper's "regularised ALS", proximal Tikhonov, als.ts) until the relative
 *    fit error changes by less than `tolerance`;
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
  const opts: CpOptions = { ...DEFAULT_CP_OPTIONS, ...options };
  const { na, nc, m } = t;
  const N = na * nc * m;
  if (opts.rank !== 'auto' && !(Number.isInteger(opts.rank) && opts.rank >= 0)) throw new RangeError(`cpDecompose: rank must be a non-negative integer or 'auto' (got ${String(opts.rank)})`);
  const yNorm2 = cnorm2(t.data, N);
  const warnings: string[] = [];

  if (!Number.isFinite(yNorm2)) {
    throw new IsacflowError('non-finite', `the echo tensor holds a non-finite value (||Y||² = ${yNorm2}): check the scenario's SNR, positions and speeds`);
  }
  if (!(yNorm2 > 0)) {
    const R = opts.rank === 'auto' ? 0 : opts.rank;
    const f = fftInit(t, R, opts).factors; // zero tensor: flat, zero-amplitude components
    warnings.push('zero tensor: every component has zero amplitude');
    return assemble(f, 0, 0, 0, 'none', R === 0 ? 'empty' : 'zero-tensor', 0, 0, warnings, 'none');
  }

  let f: CpFactors;
  let start: CpDecomposition['start'] = 'fft';
  let probe = 0;
  if (opts.init === 'random') {
    if (!rng) throw new Error("cpDecompose: init 'random' needs an Rng");
    const R = opts.rank === 'auto' ? fftInit(t, 'auto', opts).factors.R : opts.rank;
    f = randomInit(t, R, rng);
    start = 'random';
  } else {
    f = fftInit(t, opts.rank, opts).factors;
    const esp = opts.init === 'fft' ? null : espritInit(t, f.R);
    if (esp && opts.init === 'esprit') {
      f = esp;
      start = 'esprit';
    } else if (esp) {
      // 'auto': a few sweeps from each start, continue from the better fit
      const sweeps = Math.min(PROBE_SWEEPS, opts.maxIterations);
      const probeOpts = { maxIterations: sweeps, tolerance: 0, regularisation: opts.regularisation };
      const eF = regularisedAls(t.data, yNorm2, f, probeOpts).relativeError;
      const eE = regularisedAls(t.data, yNorm2, esp, probeOpts).relativeError;
      probe = 2 * sweeps;
      if (eE < eF) {
        f = esp;
        start = 'esprit';
      }
    }
  }
  const R = f.R;
  if (R === 0) return assemble(f, yNorm2, yNorm2 / N, 1, 'none', 'empty', 0, 0, warnings, 'none');

  const als = regularisedAls(t.data, yNorm2, f, { ...opts, maxIterations: Math.max(1, opts.maxIterations - probe / 2) });
  als.iterations += probe;
  let status: CpStatus = als.converged ? 'converged' : 'max-iterations';
  let finish: CpFinishOutcome = 'none';
  let finishIterations = 0;
  let cost: number;
  if (opts.finish === 'lm' && opts.finishIterations > 0) {
    const lm = lmFinish(t.data, yNorm2, f, opts.finishIterations);
    finishIterations = lm.iterations;
    const dAls = degeneracyIndex(f);
    const dLm = degeneracyIndex(lm.factors);
    if (lm.cost <= lm.startCost && Number.isFinite(dLm) && dLm <= Math.max(DEGENERACY_LIMIT, dAls)) {
      f = lm.factors;
      cost = lm.cost;
      finish = 'accepted';
      if (lm.converged) status = 'converged';
    } else {
      cost = lm.startCost;
      finish = 'reverted';
      warnings.push(`the Levenberg-Marquardt finish degenerated (degeneracy ${dLm.toPrecision(3)}); the regularised ALS result is kept`);
    }
  } else cost = residualNorm2(t.data, na, nc, m, f.a, f.b, f.c, R, new Float64Array(4 * R + 2 * m));

  const dof = N - R * (na + nc + m - 2);
  let noiseVariance: number;
  if (dof > 0) noiseVariance = cost / dof;
  else {
    noiseVariance = cost / N;
    warnings.push(`rank ${R} leaves no residual degrees of freedom (N_A N_c M − R(N_A + N_c + M − 2) = ${dof}); σ̂² = residual / (N_A N_c M)`);
  }
  return assemble(f, yNorm2, noiseVariance, Math.sqrt(cost / yNorm2), finish, status, als.iterations, finishIterations, warnings, start);
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
  if (degeneracy > DEGENERACY_LIMIT) warnings.push(`components cancel each other (degeneracy index ${degeneracy.toPrecision(3)}): the rank may exceed what the data supports`);
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
