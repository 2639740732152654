/**
 * Relative floor of σ̂² against the strongest echo power max_l |α̂_l|² (an SNR cap of 120 dB): keeps the
 * weights defined (and equal) for noise-free decompositions whose residual is rounding noise.
 */
export const NOISE_FLOOR_RELATIVE = 1e-12;

function floored(noiseVariances: readonly number[], power: readonly number[]): number[] {
  const ref = Math.max(0, ...power.filter((p) => Number.isFinite(p)));
  const floor = Math.max(NOISE_FLOOR_RELATIVE * ref, 1e-300);
  return noiseVariances.map((s) => (Number.isFinite(s) ? Math.max(s, floor) : floor));
}

function normalised(w: number[]): number[] {
  const s = w.reduce((a, b) => a + b, 0);
  if (!(s > 0) || !Number.isFinite(s)) return w.map(() => 1 / w.length);
  return w.map((x) => x / s);
}

/**
 * Eq. (42) as printed: w_l = (1/σ̂_l²) / Σ_k (1/σ̂_k²). With equal receiver noise at every AP these are
 * all 1/L (model notes). `power[l]` = |α̂_l|² only sets the noise floor.
 */
export function paperWeights(noiseVariances: readonly number[], power: readonly number[]): number[] {
  return normalised(floored(noiseVariances, power).map((s) => 1 / s));
}

/** Maximal-ratio combining: w_l = (|α̂_l|²/σ̂_l²) / Σ_k (|α̂_k|²/σ̂_k²); equal weights when all are 0. */
export function snrWeights(noiseVariances: readonly number[], power: readonly number[]): number[] {
  const s = floored(noiseVariances, power);
  return normalised(power.map((p, l) => (Number.isFinite(p) ? p : 0) / (s[l] as number)));
}
