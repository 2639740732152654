/**
 * Types of the CP decomposition of one AP's echo tensor (Section IV.A, eqs. 31, 35, 36).
 *
 * Scaling convention (model notes, "CP scaling"), for component r with delay τ, Doppler f_D,
 * AoA θ and echo amplitude α (eq. 1):
 * - delay factor    d_r = a_d(τ) · conj(a_d(τ)[1]) / √N_c, i.e. d_r[n] = e^{−j2πΔfτ(n−1)}/√N_c
 *   (unit norm, first element real and positive): the steering vector of eq. (33) / √N_c with the
 *   phase of its first element removed;
 * - Doppler factor  f_r = a_f(f_D) · conj(a_f(f_D)[1]) / √M, i.e. f_r[m] = e^{j2πT f_D(m−1)}/√M
 *   (eq. 34, same normalisation);
 * - angle factor    u_r = √(N_c M) · α · e^{−j2πΔfτ} · e^{j2πT f_D} · a_r(θ)  (eq. 2 / eq. 32): it
 *   carries the whole complex amplitude, including the two removed first-element phases.
 * So Y ≈ Σ_r u_r ∘ d_r ∘ f_r, and |α|² ≈ ||u_r||² / (N_A N_c M) up to noise.
 */

/** Why the decomposition stopped, or what made it a special case. */
export type CpStatus =
  /** the regularised ALS met the fit-change tolerance (and the finish, if any, converged) */
  | 'converged'
  /** ALS used `maxIterations` sweeps without meeting the tolerance */
  | 'max-iterations'
  /** ||Y|| = 0: components of zero amplitude, no iteration run */
  | 'zero-tensor'
  /** rank 0 was asked for (or `rank: 'auto'` detected nothing): no components */
  | 'empty';

/** What the Levenberg-Marquardt finish did. */
export type CpFinishOutcome =
  /** no finish was asked for (finish: 'none'), or nothing to finish */
  | 'none'
  /** the finish lowered the unregularised cost (35) and its result is the one returned */
  | 'accepted'
  /** the finish degenerated (diverging, cancelling components): the regularised ALS result is kept */
  | 'reverted';

/** One AP's CP decomposition Y ≈ [[U, V, W]] (eqs. 31, 36), factors stored component by component. */
export interface CpDecomposition {
  /** N_A (antennas), N_c (subcarriers), M (symbols) of the decomposed tensor */
  na: number;
  nc: number;
  m: number;
  /** R, the number of components */
  rank: number;
  /** angle factors U: component r at complex offset r·N_A (N_A values), amplitude included */
  angle: Float64Array;
  /** delay factors V: component r at complex offset r·N_c, unit norm, first element real > 0 */
  delay: Float64Array;
  /** Doppler factors W: component r at complex offset r·M, unit norm, first element real > 0 */
  doppler: Float64Array;
  /**
   * σ̂² = ||Y − [[U, V, W]]||² / (N_A N_c M − R (N_A + N_c + M − 2)) (model notes, noise estimate for
   * eq. 42), with the structured refinement (structure 'tones') over N_A N_c M − R (N_A + 1), the
   * residual degrees of freedom of that model; the residual over N_A N_c M when the denominator is
   * not positive (a warning says so).
   */
  noiseVariance: number;
  /** ||Y − [[U, V, W]]||_F / ||Y||_F, computed from the explicit residual (0 for the zero tensor) */
  relativeFitError: number;
  /**
   * regularised-ALS sweeps used (with init 'auto': including the probe sweeps of the start not taken);
   * 0 when the structured refinement was kept without the unstructured path
   */
  iterations: number;
  /** which start the result came from */
  start: 'fft' | 'esprit' | 'random' | 'none';
  /**
   * Levenberg-Marquardt iterations used by the finish (0 without one) plus the passes over the tensor
   * of the structured refinement (structure 'tones'; its result is reported as finish 'accepted')
   */
  finishIterations: number;
  finish: CpFinishOutcome;
  status: CpStatus;
  /**
   * Σ_r ||u_r||²||d_r||²||f_r||² / ||[[U, V, W]]||²: about 1 for well separated components, large
   * when components cancel each other (degenerate CP; not separable targets). 0 for no model.
   */
  degeneracy: number;
  /**
   * Largest |d_rᴴ d_s|·|f_rᴴ f_s| over pairs r ≠ s: 1 means two components share delay and Doppler
   * (the AP cannot separate them; their angle factors are then not unique). 0 for rank <= 1.
   */
  maxCongruence: number;
  /** human-readable notes on degenerate input (never NaN: the numbers above stay defined) */
  warnings: string[];
}

/**
 * How the initial factors are found: 'fft' = range-Doppler(-angle) FFT peaks (fft-init.ts);
 * 'esprit' = 2-D ESPRIT (esprit-init.ts; falls back to 'fft' when R > N_A); 'auto' = both (ESPRIT only
 * when two FFT peaks lie within 1.5 bins in delay and Doppler, cp-decompose.ts ESPRIT_GATE_BINS), a
 * few ALS sweeps from each, continue from the better fit; 'random' = CN(0, 1) factors.
 */
export type CpInit = 'auto' | 'fft' | 'esprit' | 'random';

/** Options of {@link cpDecompose}. */
export interface CpOptions {
  /** number of components R >= 0, or 'auto' (FFT peak count, see `threshold`) */
  rank: number | 'auto';
  /** regularised-ALS sweeps at most */
  maxIterations: number;
  /** stop ALS when the relative fit error ||Y − [[U,V,W]]||/||Y|| changes by less than this */
  tolerance: number;
  /**
   * ρ of the proximal Tikhonov term: each factor update solves (G + λI) x = b + λ x_prev with
   * λ = ρ · tr(G)/R (G the R x R normal matrix of that update)
   */
  regularisation: number;
  init: CpInit;
  /** rank 'auto': keep FFT peaks whose amplitude is >= threshold x the strongest one's */
  threshold: number;
  /** rank 'auto': at most this many components */
  maxRank: number;
  /** Levenberg-Marquardt finish on the unregularised cost (35) after ALS, or none */
  finish: 'lm' | 'none';
  /** Levenberg-Marquardt iterations at most */
  finishIterations: number;
  /**
   * 'dft-window' (default): ALS (and a first Levenberg-Marquardt finish) on the core of DFT bins in
   * windows around the start's delay and Doppler frequencies (dft-compress.ts), then the finish on
   * the full tensor; 'none': every sweep on the full tensor. Needs N_c and M powers of two (else 'none').
   */
  compress: 'dft-window' | 'none';
  /** 'dft-window': bins kept on each side of every start frequency's bin, per mode */
  windowHalfWidth: number;
  /**
   * 'dft-window': before the full-data finish, give each delay and Doppler factor the out-of-window
   * bins of the tone that best explains its core bins (dft-compress.ts extendTones): a closer start
   */
  extendTones: boolean;
  /**
   * 'tones' (default): the delay and Doppler factors are tones (eqs. 33, 34), so estimate their 2R
   * frequencies and the R angle vectors directly on the full tensor (variable-projection
   * Gauss-Newton from the start's frequencies, tone-refine.ts): no ALS; the unstructured path
   * below takes over when it does not converge or degenerates. 'none': the unstructured CP
   * (regularised ALS and `finish`) of the paper. Not used with init 'random'.
   */
  structure: 'tones' | 'none';
}

export const DEFAULT_CP_OPTIONS: Readonly<CpOptions> = Object.freeze({
  rank: 'auto',
  maxIterations: 200,
  tolerance: 1e-6,
  regularisation: 1e-3,
  init: 'auto',
  threshold: 0.7,
  maxRank: 8,
  finish: 'lm',
  finishIterations: 100,
  compress: 'dft-window',
  windowHalfWidth: 6,
  extendTones: true,
  structure: 'tones',
});

/** Views (no copies) of component r's three factors. */
export interface CpComponentFactors {
  angle: Float64Array;
  delay: Float64Array;
  doppler: Float64Array;
}

/** Subarray views of component r of a decomposition. */
export function componentFactors(d: CpDecomposition, r: number): CpComponentFactors {
  return {
    angle: d.angle.subarray(2 * r * d.na, 2 * (r + 1) * d.na),
    delay: d.delay.subarray(2 * r * d.nc, 2 * (r + 1) * d.nc),
    doppler: d.doppler.subarray(2 * r * d.m, 2 * (r + 1) * d.m),
  };
}
