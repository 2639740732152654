import type { Rng } from '../math/rng.js';
import { bootstrapClusters } from './bootstrap.js';
import { armseOf, perTargetRmse, weightedMedianOf, type ErrorSamples } from './error-samples.js';
import { expandedTail, mean, percentileInterval, rms } from './stats.js';
import type { ErrorStats, PairedStats } from './summary-types.js';

export interface IntervalOptions {
  rng: Rng;
  /** bootstrap replicates; 0 = no intervals */
  replicates: number;
  /** confidence level, e.g. 0.95 */
  level: number;
  /** 'expanded': Hesterberg's expanded percentile interval (default); 'percentile': plain */
  method: 'expanded' | 'percentile';
}

/** The tail probability of each side for `clusters` resampled trials. */
export function bootstrapTail(ci: IntervalOptions, clusters: number): number {
  return ci.method === 'expanded' ? expandedTail(ci.level, clusters) : (1 - ci.level) / 2;
}

/**
 * Statistics of one quantity's errors. The ARMSE and median intervals are bootstrap intervals
 * resampling whole trials (frames of one trial share targets, so they are not independent);
 * null with fewer than two trials.
 */
export function errorStats(s: ErrorSamples, outlierThreshold: number, ci: IntervalOptions): ErrorStats {
  const n = s.values.length;
  let outliers = 0;
  for (let i = 0; i < n; i++) if ((s.values[i] as number) > outlierThreshold) outliers++;
  const armseReps: number[] = [];
  const medianReps: number[] = [];
  if (s.clusters >= 2 && n > 0 && ci.replicates > 0) {
    bootstrapClusters(ci.rng, s.clusters, ci.replicates, (w) => {
      const a = armseOf(s, w);
      const m = weightedMedianOf(s, w);
      if (a !== null) armseReps.push(a);
      if (m !== null) medianReps.push(m);
    });
  }
  return {
    n,
    mean: mean(s.values),
    rmse: rms(s.values),
    armse: armseOf(s, null),
    armseCi: percentileInterval(armseReps, bootstrapTail(ci, s.clusters)),
    median: weightedMedianOf(s, null),
    medianCi: percentileInterval(medianReps, bootstrapTail(ci, s.clusters)),
    perTarget: perTargetRmse(s),
    outlierThreshold,
    outlierRate: n === 0 ? null : outliers / n,
  };
}

/** 100·(b − a)/b: how much lower a is than b, in % of b; null when undefined. */
export function improvementPct(a: number | null, b: number | null): number | null {
  if (a === null || b === null || !(b > 0)) return null;
  return (100 * (b - a)) / b;
}

/**
 * Variant A against B on the same frames: the improvement of A's ARMSE and median over B's, with
 * a paired bootstrap (the same resampled trials for both variants) percentile interval.
 * `a` and `b` must be built on the same clusters.
 */
export function pairedStats(a: ErrorSamples, b: ErrorSamples, ci: IntervalOptions): PairedStats {
  const armseA = armseOf(a, null);
  const armseB = armseOf(b, null);
  const medianA = weightedMedianOf(a, null);
  const medianB = weightedMedianOf(b, null);
  const armseReps: number[] = [];
  const medianReps: number[] = [];
  if (a.clusters >= 2 && a.clusters === b.clusters && ci.replicates > 0) {
    bootstrapClusters(ci.rng, a.clusters, ci.replicates, (w) => {
      const ia = improvementPct(armseOf(a, w), armseOf(b, w));
      const im = improvementPct(weightedMedianOf(a, w), weightedMedianOf(b, w));
      if (ia !== null) armseReps.push(ia);
      if (im !== null) medianReps.push(im);
    });
  }
  return {
    armseA,
    armseB,
    armseImprovementPct: improvementPct(armseA, armseB),
    armseImprovementCi: percentileInterval(armseReps, bootstrapTail(ci, a.clusters)),
    medianA,
    medianB,
    medianImprovementPct: improvementPct(medianA, medianB),
    medianImprovementCi: percentileInterval(medianReps, bootstrapTail(ci, a.clusters)),
  };
}
