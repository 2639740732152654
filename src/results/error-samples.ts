import type { MatchResult } from './match.js';
import type { Quantity } from './summary-types.js';

/**
 * The matched errors of one quantity, prepared for statistics and for the trial bootstrap:
 * absolute errors sorted ascending, each with its cluster (trial) and target (truth index), and
 * per (cluster, target) sums of squares and counts for the ARMSE.
 */
export interface ErrorSamples {
  clusters: number;
  targets: number;
  /** |error|, ascending */
  values: Float64Array;
  cluster: Int32Array;
  target: Int32Array;
  /** Σ e² per cluster·targets + target */
  sumSq: Float64Array;
  /** sample count per cluster·targets + target */
  count: Float64Array;
}

export interface MatchedFrame {
  /** index of the frame's trial among the point's trials (the bootstrap cluster) */
  cluster: number;
  match: MatchResult;
}

/** Collects |error| of quantity `q` from matched frames. */
export function buildSamples(
  frames: readonly MatchedFrame[],
  clusters: number,
  targets: number,
  q: Quantity,
): ErrorSamples {
  const v: number[] = [];
  const c: number[] = [];
  const t: number[] = [];
  const sumSq = new Float64Array(clusters * targets);
  const count = new Float64Array(clusters * targets);
  for (const f of frames) {
    for (const m of f.match.targets) {
      if (m.errors === null) continue;
      const e = Math.abs(m.errors[q]);
      v.push(e);
      c.push(f.cluster);
      t.push(m.truth);
      const k = f.cluster * targets + m.truth;
      sumSq[k] = (sumSq[k] as number) + e * e;
      count[k] = (count[k] as number) + 1;
    }
  }
  const order = v.map((_, i) => i).sort((a, b) => (v[a] as number) - (v[b] as number) || a - b);
  return {
    clusters,
    targets,
    values: Float64Array.from(order, (i) => v[i] as number),
    cluster: Int32Array.from(order, (i) => c[i] as number),
    target: Int32Array.from(order, (i) => t[i] as number),
    sumSq,
    count,
  };
}

/**
 * ARMSE = (1/K') Σ_k √(Σ_t w_t S_tk / Σ_t w_t C_tk) over the K' targets with samples, where w_t is
 * the multiplicity of trial t (all ones for the plain estimate, bootstrap counts otherwise).
 */
export function armseOf(s: ErrorSamples, w: Float64Array | null): number | null {
  let acc = 0;
  let kUsed = 0;
  for (let k = 0; k < s.targets; k++) {
    let ss = 0;
    let cc = 0;
    for (let t = 0; t < s.clusters; t++) {
      const wt = w === null ? 1 : (w[t] as number);
      if (wt === 0) continue;
      ss += wt * (s.sumSq[t * s.targets + k] as number);
      cc += wt * (s.count[t * s.targets + k] as number);
    }
    if (cc > 0) {
      acc += Math.sqrt(ss / cc);
      kUsed++;
    }
  }
  return kUsed === 0 ? null : acc / kUsed;
}

/** RMSE of each target over all its samples (null where a target has none). */
export function perTargetRmse(s: ErrorSamples): Array<number | null> {
  const out: Array<number | null> = [];
  for (let k = 0; k < s.targets; k++) {
    let ss = 0;
    let cc = 0;
    for (let t = 0; t < s.clusters; t++) {
      ss += s.sumSq[t * s.targets + k] as number;
      cc += s.count[t * s.targets + k] as number;
    }
    out.push(cc > 0 ? Math.sqrt(ss / cc) : null);
  }
  return out;
}

/**
 * Median of the multiset in which sample i appears w[cluster_i] times (w = null: once each); the
 * average of the two middle order statistics for an even total. O(n) on the pre-sorted values.
 */
export function weightedMedianOf(s: ErrorSamples, w: Float64Array | null): number | null {
  const n = s.values.length;
  let total = 0;
  if (w === null) total = n;
  else for (let i = 0; i < n; i++) total += w[s.cluster[i] as number] as number;
  if (total === 0) return null;
  const lo = Math.floor((total - 1) / 2);
  const hi = Math.ceil((total - 1) / 2);
  let cum = 0;
  let vlo = NaN;
  for (let i = 0; i < n; i++) {
    cum += w === null ? 1 : (w[s.cluster[i] as number] as number);
    if (Number.isNaN(vlo) && cum > lo) vlo = s.values[i] as number;
    if (cum > hi) return 0.5 * (vlo + (s.values[i] as number));
  }
  return null; // unreachable: cum reaches total > hi
}
