import type { Vec2 } from '../scenario-types.js';
import type { TargetFit } from './target-fit.js';

/** Which search established the association of eq. (40). */
export type AssociationMethod = 'exhaustive' | 'hungarian';

/** Result of associating the CP components of L APs to U targets (eq. 40). */
export interface AssociationResult {
  /** per associated target u: the CP component index at each AP l (length L, AP order) */
  tuples: number[][];
  /** per target: the least-squares point (and velocity) fitted to its tuple (target-fit.ts) */
  fits: TargetFit[];
  /** Σ_u fits[u].cost: the criterion minimised (squared residuals in resolution cells) */
  cost: number;
  method: AssociationMethod;
  /** candidate associations scored (exhaustive: permutation sets; hungarian: assignment rounds) */
  evaluated: number;
}

/**
 * What one AP contributes to one associated target: the three CP factors (views into that AP's
 * `CpDecomposition`, no copies) and the MUSIC estimates from them. Scaling convention of the
 * factors: see src/isac/cp/types.ts —
 *   delayFactor   = a_d(τ)·conj(a_d(τ)[1])/√N_c (unit norm, first element real > 0; eq. 33),
 *   dopplerFactor = a_f(f_D)·conj(a_f(f_D)[1])/√M (unit norm; eq. 34),
 *   angleFactor   = √(N_c M)·α·e^{−j2πΔfτ}·e^{j2πT f_D}·a_r(θ) (carries the amplitude; eq. 32):
 *                   divide by its norm for a unit-norm angle factor.
 */
export interface ApObservation {
  /** AP index l (position in frame.aps) */
  ap: number;
  /** CP component index ξ at this AP (eq. 36) */
  component: number;
  /** N_A^l complex values, interleaved */
  angleFactor: Float64Array;
  /** N_c complex values, interleaved */
  delayFactor: Float64Array;
  /** M complex values, interleaved */
  dopplerFactor: Float64Array;
  /** α̂, the echo amplitude of eq. (1) [re, im] (component-parameters.ts); |α̂|² estimates SNR·σ² */
  amplitude: [number, number];
  /** σ̂_l² of this AP's CP residual (cp/types.ts) */
  noiseVariance: number;
  /** r̂ = c τ̂ / 2, m (eqs. 37-39) */
  range: number;
  /** τ̂, s */
  delay: number;
  /** sin θ̂, the ULA's measurement (eq. 2) */
  sinAoa: number;
  /**
   * θ̂ in rad from +x, (−π, π]: the branch of asin(sin θ̂) or π − asin(sin θ̂) that points toward the
   * association's fitted position (a ULA cannot tell the two apart on its own)
   */
  aoa: number;
  /** f̂_D, Hz */
  doppler: number;
}

/**
 * One associated target as the fusion stage consumes it (frame.data.observations is an array of
 * these, one per target, in the order of the reference AP's components).
 */
export interface TargetObservation {
  /** one entry per AP, perAp[l].ap === l, length L */
  perAp: ApObservation[];
  /** eq. (42) as printed: (1/σ̂_l²) / Σ_k (1/σ̂_k²) */
  weightsPaper: number[];
  /** maximal-ratio combining: (|α̂_l|²/σ̂_l²) / Σ_k (|α̂_k|²/σ̂_k²) */
  weightsSnr: number[];
  /** the weights selected by the stage's `weights` parameter (a copy of one of the two above) */
  weights: number[];
  /** which of the two `weights` holds */
  weightScheme: 'paper' | 'snr';
  /** the association's least-squares fit for this target (a starting point for fusion) */
  fit: { position: Vec2; velocity: Vec2; cost: number };
}
