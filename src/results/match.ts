import type { Target } from '../isac/scenario-types.js';
import { minCostAssignment } from '../math/assignment.js';

/** An estimate has the shape of a target: position (m), speed (m/s), heading (rad from +x). */
export type Estimate = Target;

/** Errors of one matched estimate against its truth target. */
export interface TargetErrors {
  /** |p̂ − p|, m */
  position: number;
  /** Cartesian velocity error |v̂ − v| of (v cos θ, v sin θ), m/s */
  velocity: number;
  /** signed speed error v̂ − v, m/s */
  speed: number;
  /** signed heading error θ̂ − θ wrapped to (−π, π], rad */
  heading: number;
}

export interface TargetMatch {
  /** index into the truth list */
  truth: number;
  /** index into the estimate list, −1 when this target was missed */
  estimate: number;
  /** null when missed */
  errors: TargetErrors | null;
}

export interface MatchResult {
  /** one entry per truth target, in truth order */
  targets: TargetMatch[];
  /** number of truth targets left without an estimate */
  missed: number;
  /** indices of valid estimates left without a truth target */
  extra: number[];
  /** indices of estimates with missing or non-finite fields (never matched) */
  invalid: number[];
  /** sum of the assignment costs of the matched pairs */
  cost: number;
}

export interface MatchOptions {
  /**
   * Weight (s) of the velocity error in the matching cost |Δp| + w·|Δv|. Default 0: an estimate
   * belongs to the truth target nearest in position (as in OSPA/GOSPA), so a good position with a
   * bad velocity is scored as a velocity error, not as a swap.
   */
  velocityWeightS?: number;
}

const TWO_PI = 2 * Math.PI;

/** Wraps an angle to (−π, π]. */
export function wrapAngle(x: number): number {
  let r = x % TWO_PI;
  if (r <= -Math.PI) r += TWO_PI;
  else if (r > Math.PI) r -= TWO_PI;
  return r;
}

/** Errors of `est` against `truth` (units: m, m/s, rad). */
export function targetErrors(truth: Target, est: Estimate): TargetErrors {
  const { speed: v, heading: th } = truth.velocity;
  const { speed: ve, heading: the } = est.velocity;
  return {
    position: Math.hypot(est.position[0] - truth.position[0], est.position[1] - truth.position[1]),
    velocity: Math.hypot(ve * Math.cos(the) - v * Math.cos(th), ve * Math.sin(the) - v * Math.sin(th)),
    speed: ve - v,
    heading: wrapAngle(the - th),
  };
}

/** True when the estimate has a finite 2-D position, speed and heading. */
export function isValidEstimate(e: unknown): e is Estimate {
  if (e === null || typeof e !== 'object') return false;
  const { position, velocity } = e as Partial<Estimate>;
  return (
    Array.isArray(position) &&
    Number.isFinite(position[0]) &&
    Number.isFinite(position[1]) &&
    velocity !== null &&
    typeof velocity === 'object' &&
    Number.isFinite(velocity.speed) &&
    Number.isFinite(velocity.heading)
  );
}

/**
 * Matches estimates to truth targets by minimum total cost Σ (|Δp| + w·|Δv|) over all
 * assignments (brute force up to 7, Hungarian above), then reports the errors per truth target.
 * Unmatched truth targets are misses; unmatched estimates are extras.
 */
export function matchEstimates(
  truth: readonly Target[],
  estimates: readonly unknown[],
  options: MatchOptions = {},
): MatchResult {
  const w = options.velocityWeightS ?? 0;
  const valid: number[] = [];
  const invalid: number[] = [];
  estimates.forEach((e, k) => (isValidEstimate(e) ? valid : invalid).push(k));
  const rows = truth.length;
  const cols = valid.length;
  const cost = new Float64Array(rows * cols);
  const errs: TargetErrors[] = new Array<TargetErrors>(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const e = targetErrors(truth[i] as Target, estimates[valid[j] as number] as Estimate);
      errs[i * cols + j] = e;
      cost[i * cols + j] = e.position + (w === 0 ? 0 : w * e.velocity);
    }
  }
  const { rowToCol, total } = minCostAssignment(cost, rows, cols);
  const taken = new Uint8Array(cols);
  const targets: TargetMatch[] = [];
  let missed = 0;
  for (let i = 0; i < rows; i++) {
    const j = rowToCol[i] as number;
    if (j < 0) {
      missed++;
      targets.push({ truth: i, estimate: -1, errors: null });
    } else {
      taken[j] = 1;
      targets.push({ truth: i, estimate: valid[j] as number, errors: errs[i * cols + j] as TargetErrors });
    }
  }
  const extra = valid.filter((_, j) => taken[j] === 0);
  return { targets, missed, extra, invalid, cost: total };
}
