/**
 * The structure of summary.json (format `isacflow-summary/1`). Every statistic that can be
 * undefined (no samples, zero denominator, fewer than two trials) is `null`, never NaN.
 * Units: metres (position), m/s (velocity, speed), radians (heading).
 */
import type { SummaryOptions } from './summary-options.js';

export const QUANTITIES = ['position', 'velocity', 'speed', 'heading'] as const;
/** position |Δp| (m); velocity |Δv| of (v cos θ, v sin θ) (m/s); speed |Δv| (m/s); heading |wrap(Δθ)| (rad) */
export type Quantity = (typeof QUANTITIES)[number];

export const QUANTITY_UNITS: Readonly<Record<Quantity, string>> = {
  position: 'm',
  velocity: 'm/s',
  speed: 'm/s',
  heading: 'rad',
};

export type Interval = [number, number];

/** Error statistics of one quantity for one variant at one sweep point. Errors are absolute values. */
export interface ErrorStats {
  /** matched target estimates (samples) */
  n: number;
  mean: number | null;
  /** √(mean e²) pooled over all targets */
  rmse: number | null;
  /** mean over targets (truth order) of the RMSE over trials; targets without samples are left out */
  armse: number | null;
  /** percentile bootstrap interval of the ARMSE, resampling whole trials */
  armseCi: Interval | null;
  median: number | null;
  medianCi: Interval | null;
  /** RMSE of each truth target (index = truth order), null for a target never matched */
  perTarget: Array<number | null>;
  /** an error above this counts as an outlier */
  outlierThreshold: number;
  /** fraction of matched samples with error > outlierThreshold */
  outlierRate: number | null;
}

export interface VariantSummary {
  /** records (frames) that carry estimates of this variant */
  frames: number;
  /** records at the point without estimates of this variant */
  framesMissing: number;
  /** truth targets in those frames */
  targets: number;
  matched: number;
  /** truth targets left without an estimate */
  missed: number;
  /** missed / targets */
  missRate: number | null;
  /** estimates left without a truth target */
  extra: number;
  /** estimates with missing or non-finite fields (never matched) */
  invalid: number;
  metrics: Record<Quantity, ErrorStats>;
}

/** Variant A against variant B on the frames both have; improvement = 100·(B − A)/B %. */
export interface PairedStats {
  armseA: number | null;
  armseB: number | null;
  armseImprovementPct: number | null;
  armseImprovementCi: Interval | null;
  medianA: number | null;
  medianB: number | null;
  medianImprovementPct: number | null;
  medianImprovementCi: Interval | null;
}

export interface PairedSummary {
  a: string;
  b: string;
  /** frames that carry estimates of both variants */
  frames: number;
  metrics: Record<Quantity, PairedStats>;
}

/**
 * The bound comparable to the ARMSE: mean over targets of √(mean over frames of the bound's
 * square), i.e. the same averaging as the ARMSE. From record.crb: position √tr CRB_p (sqrtTrP),
 * velocity √tr of the Cartesian velocity CRB (sqrtTrVelXY), speed std v (stdSpeed), heading std θ
 * (stdHeading).
 */
export interface BoundSummary {
  frames: number;
  /** (target, frame) entries left out of the average: singular FIM (no finite bound) */
  singular: number;
  position: number | null;
  velocity: number | null;
  speed: number | null;
  heading: number | null;
}

/** Statistics of a generic numeric record field. */
/**
 * How a field's interval was computed: 'wilson' (proportion), 'bootstrap' (non-negative values,
 * expanded percentile), 'log-normal' (positive values, no bootstrap), 't' (Student-t, values of
 * both signs), 'none' (non-negative values with zeros and no bootstrap).
 */
export type FieldInterval = 'wilson' | 'bootstrap' | 'log-normal' | 't' | 'none';

export interface FieldStats {
  n: number;
  mean: number | null;
  /** sample standard deviation (n − 1) */
  sd: number | null;
  /** interval of the mean at the summary's confidence level; never crosses 0 for non-negative values (see `interval`) */
  ci: Interval | null;
  interval: FieldInterval;
  median: number | null;
  min: number | null;
  max: number | null;
  /** records where the path was absent or null */
  missing: number;
  /** values that were not finite numbers (NaN, ±Infinity, strings) */
  nonFinite: number;
}

export interface PointSummary {
  /** the sweep point, e.g. { "scenario.snr.db": -10 } */
  point: Record<string, unknown>;
  /** canonical key of the point (JSON with sorted keys) */
  key: string;
  frames: number;
  trials: number;
  /** bound series found in record.crb (e.g. "exact"), by name */
  bound: Record<string, BoundSummary>;
  variants: Record<string, VariantSummary>;
  paired: PairedSummary[];
  /** generic fields: path → group ("all", or the key matched by `*`) → stats */
  fields: Record<string, Record<string, FieldStats>>;
}

export interface Summary {
  format: 'isacflow-summary/1';
  options: SummaryOptions;
  /** variant keys in order of first appearance */
  variants: string[];
  /** bound series names in order of first appearance */
  bounds: string[];
  /** the bound series used for outlier thresholds, null when the records carry none */
  crbMode: string | null;
  /** what the reader should know about the statistics (e.g. a bound series singular everywhere) */
  notes?: string[];
  points: PointSummary[];
}
