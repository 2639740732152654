import { optionError } from '../core/errors.js';
import type { Rng } from '../math/rng.js';
import type { Box } from './solver.js';

/**
 * Checks a search box of dimension `dim`: both bounds have length `dim` (>= 1), no NaN, and
 * lower[i] <= upper[i] (lower == upper fixes that coordinate). Global solvers sample the box and
 * need finite bounds (`requireFinite`); local solvers accept ±Infinity.
 * Throws IsacflowError 'invalid-option' at `<owner>.box`.
 */
export function checkBox(owner: string, box: Box | undefined, dim: number, requireFinite: boolean): void {
  if (!box || !(box.lower instanceof Float64Array) || !(box.upper instanceof Float64Array)) {
    throw optionError(owner, 'box', 'a box { lower, upper } of Float64Array is required');
  }
  if (box.lower.length !== dim || box.upper.length !== dim) {
    throw optionError(
      owner,
      'box',
      `box bounds have length ${box.lower.length} (lower) and ${box.upper.length} (upper); the objective has dim ${dim}`,
    );
  }
  if (dim < 1) throw optionError(owner, 'box', 'the box is empty (dimension 0)');
  for (let i = 0; i < dim; i++) {
    const lo = box.lower[i]!;
    const hi = box.upper[i]!;
    if (Number.isNaN(lo) || Number.isNaN(hi)) {
      throw optionError(owner, 'box', `bound ${i} is NaN (lower ${lo}, upper ${hi}); bounds must be numbers`);
    }
    if (lo > hi) {
      throw optionError(
        owner,
        'box',
        `empty box: lower[${i}] = ${lo} > upper[${i}] = ${hi}; need lower <= upper`,
      );
    }
    if (requireFinite && !(Number.isFinite(lo) && Number.isFinite(hi))) {
      throw optionError(
        owner,
        'box',
        `bound ${i} is infinite (lower ${lo}, upper ${hi}); this solver samples the box and needs finite bounds`,
      );
    }
  }
}

/** True when every bound is finite. */
export function isFiniteBox(box: Box): boolean {
  for (let i = 0; i < box.lower.length; i++) {
    if (!Number.isFinite(box.lower[i]!) || !Number.isFinite(box.upper[i]!)) return false;
  }
  return true;
}

/** Projection onto the box, in place: x_i <- min(max(x_i, lower_i), upper_i). */
export function clipToBox(x: Float64Array, box: Box): void {
  const lo = box.lower;
  const hi = box.upper;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v < lo[i]!) x[i] = lo[i]!;
    else if (v > hi[i]!) x[i] = hi[i]!;
  }
}

/**
 * Mirror reflection into [lo, hi] (period 2(hi - lo)), for one coordinate: a step that leaves the
 * box comes back in by the distance it overshot. A zero-width interval returns lo.
 */
export function reflectCoordinate(v: number, lo: number, hi: number): number {
  if (v >= lo && v <= hi) return v;
  const w = hi - lo;
  if (!(w > 0) || !Number.isFinite(v)) return v > hi ? hi : lo;
  let t = (v - lo) % (2 * w);
  if (t < 0) t += 2 * w;
  return t <= w ? lo + t : hi - (t - w);
}

/** Uniform point in a finite box, written into `out`. */
export function uniformInBox(rng: Rng, box: Box, out: Float64Array, offset = 0): void {
  const n = box.lower.length;
  for (let i = 0; i < n; i++) out[offset + i] = rng.uniformIn(box.lower[i]!, box.upper[i]!);
}

/**
 * The largest α >= 0 with lower <= x + α d <= upper (Infinity when no bound blocks d).
 * Assumes x is in the box.
 */
export function maxStepInBox(x: Float64Array, d: Float64Array, box: Box): number {
  let amax = Infinity;
  for (let i = 0; i < x.length; i++) {
    const di = d[i]!;
    if (di > 0) {
      const a = (box.upper[i]! - x[i]!) / di;
      if (a < amax) amax = a;
    } else if (di < 0) {
      const a = (box.lower[i]! - x[i]!) / di;
      if (a < amax) amax = a;
    }
  }
  return amax < 0 ? 0 : amax;
}

/**
 * A start point for a local solver without x0: uniform in the box when it is finite, else the
 * origin projected onto the box.
 */
export function defaultStart(rng: Rng, box: Box, out: Float64Array): void {
  if (isFiniteBox(box)) {
    uniformInBox(rng, box, out);
  } else {
    out.fill(0);
    clipToBox(out, box);
  }
}
