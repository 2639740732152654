import type { Ap, SnrSpec, SystemParams, Target } from '../scenario-types.js';
import { CrbKernel } from './crb-kernel.js';
import { block2, summariseBound } from './crb-summary.js';
import {
  EXACT_VARIANT,
  PAPER_VARIANT,
  type CrbBound,
  type CrbMode,
  type CrbSingular,
  type CrbTargetResult,
  type CrbVariant,
} from './crb-types.js';
import { paperPrintedCrb } from './paper-printed-crb.js';
import { singularReason } from './singular-reason.js';

/** A bound with its 4×4 Fisher matrix and CRB over (x, y, v, θ_u) (row-major; decoupled: cross blocks 0). */
export interface CrbDetail {
  bound: CrbBound;
  fim: Float64Array;
  crb: Float64Array;
  rcond: number;
}

function packAps(aps: readonly Ap[]): { xy: Float64Array; na: Float64Array } {
  const xy = new Float64Array(2 * aps.length);
  const na = new Float64Array(aps.length);
  aps.forEach((a, l) => {
    xy[2 * l] = a.position[0];
    xy[2 * l + 1] = a.position[1];
    na[l] = a.antennas;
  });
  return { xy, na };
}

/**
 * CRB of targets under one {@link CrbVariant} (exact known/unknown, joint/decoupled, index base,
 * Fisher scale) with the 4×4 matrices; a singular FIM gives `{ singular: true, reason }`.
 */
export function crbVariantTargets(
  aps: readonly Ap[],
  targets: readonly Target[],
  sys: SystemParams,
  snr: SnrSpec,
  variant: Readonly<CrbVariant>,
  modeLabel = 'variant',
): Array<CrbDetail | CrbSingular> {
  const kernel = new CrbKernel(sys, snr, variant);
  const { xy, na } = packAps(aps);
  return targets.map((t) => {
    const { speed, heading } = t.velocity;
    if (!kernel.evaluate(xy, na, t.position[0], t.position[1], speed, heading)) {
      return { singular: true as const, reason: singularReason(kernel, aps, speed, modeLabel) };
    }
    return {
      bound: summariseBound(block2(kernel.crb, 0), block2(kernel.crb, 2), speed, heading),
      fim: Float64Array.from(kernel.fim),
      crb: Float64Array.from(kernel.crb),
      rcond: kernel.rcond,
    };
  });
}

/**
 * CRB of each target in one mode (model notes, "CRB modes the software offers"):
 * - `exact` (default): joint 4×4 over (x, y, v, θ_u), one unknown complex amplitude per AP, 2/σ².
 * - `paper`: Theorems 1-2, (5)-(15) with the typos fixed: blocks (7)-(12) (α known, 1/σ²),
 *   corrected P and T, CRB_p = [P J Pᵀ]⁻¹ and CRB_a = [T J Tᵀ]⁻¹ decoupled. Optimistic.
 * - `paper-printed`: as `paper` with P (13) and T (15) as printed (to reproduce the figures).
 */
export function crbTargets(
  aps: readonly Ap[],
  targets: readonly Target[],
  sys: SystemParams,
  snr: SnrSpec,
  mode: CrbMode = 'exact',
): CrbTargetResult[] {
  if (mode === 'paper-printed') return targets.map((t) => paperPrintedCrb(aps, t, sys, snr).result);
  const variant = mode === 'paper' ? PAPER_VARIANT : EXACT_VARIANT;
  return crbVariantTargets(aps, targets, sys, snr, variant, mode).map((r) => ('singular' in r ? r : r.bound));
}

/** CRB of one target in one mode; see {@link crbTargets}. */
export function crbTarget(
  aps: readonly Ap[],
  target: Target,
  sys: SystemParams,
  snr: SnrSpec,
  mode: CrbMode = 'exact',
): CrbTargetResult {
  return crbTargets(aps, [target], sys, snr, mode)[0] as CrbTargetResult;
}
