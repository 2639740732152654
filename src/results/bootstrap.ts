import type { Rng } from '../math/rng.js';

/**
 * Nonparametric bootstrap over clusters (trials): each replicate draws `clusters` trials with
 * replacement and passes their multiplicities w (length `clusters`, Σ w = clusters) to `visit`.
 * The draws come from `rng` only, so the replicates are a pure function of its key.
 */
export function bootstrapClusters(
  rng: Rng,
  clusters: number,
  replicates: number,
  visit: (w: Float64Array) => void,
): void {
  if (clusters === 0) return;
  const w = new Float64Array(clusters);
  for (let b = 0; b < replicates; b++) {
    w.fill(0);
    for (let i = 0; i < clusters; i++) {
      const t = rng.int(clusters);
      w[t] = (w[t] as number) + 1;
    }
    visit(w);
  }
}
