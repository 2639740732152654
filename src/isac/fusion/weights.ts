import type { TargetObservation } from '../association/types.js';

/**
 * Which weights of eq. (42) a symbol-level scheme uses:
 * - 'observation': the ones the associator selected (`TargetObservation.weights`, its `weights` option);
 * - 'paper': (1/σ̂_l²)/Σ(1/σ̂_k²) as printed (all equal when every AP has the same receiver noise);
 * - 'snr': |α̂_l|²/σ̂_l² normalised (maximal-ratio combining);
 * - 'equal': 1/L.
 */
export type FusionWeights = 'observation' | 'paper' | 'snr' | 'equal';

export const FUSION_WEIGHTS = ['observation', 'paper', 'snr', 'equal'] as const;

/** The weight vector w_f (eq. 42) of one target. */
export function fusionWeights(obs: TargetObservation, which: FusionWeights): number[] {
  const L = obs.perAp.length;
  switch (which) {
    case 'observation':
      return [...obs.weights];
    case 'paper':
      return [...obs.weightsPaper];
    case 'snr':
      return [...obs.weightsSnr];
    case 'equal':
      return new Array<number>(L).fill(L > 0 ? 1 / L : 0);
  }
}
