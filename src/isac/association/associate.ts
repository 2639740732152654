import { associateExhaustive, exhaustiveCount } from './exhaustive.js';
import { associateHungarian } from './hungarian-association.js';
import { TargetFitter, type ApMeasurement, type ApSite } from './target-fit.js';
import type { AssociationResult } from './types.js';

/** Exhaustive searches above this many permutation sets are refused even when asked for. */
export const EXHAUSTIVE_HARD_LIMIT = 1e8;

export interface AssociationOptions {
  /** 'auto': exhaustive when its permutation count is <= exhaustiveLimit, else hungarian */
  method: 'exhaustive' | 'hungarian' | 'auto';
  exhaustiveLimit: number;
  /** use the Doppler residuals in the criterion */
  useDoppler: boolean;
  /** f_c, Hz */
  carrierHz: number;
}

/**
 * Associates the CP components of L APs to targets (eq. 40): `meas[l][ξ]` is AP l's measurement of
 * its component ξ. The number of targets is the smallest component count over the APs; APs with
 * more components leave their worst-fitting ones unassigned. Throws RangeError when 'exhaustive' is
 * asked for beyond EXHAUSTIVE_HARD_LIMIT permutation sets.
 */
export function associate(
  meas: readonly (readonly ApMeasurement[])[],
  sites: readonly ApSite[],
  opts: AssociationOptions,
): AssociationResult {
  const fitter = new TargetFitter(sites, { useDoppler: opts.useDoppler, carrierHz: opts.carrierHz });
  const count = exhaustiveCount(meas.map((m) => m.length));
  const method =
    opts.method === 'auto' ? (count <= opts.exhaustiveLimit ? 'exhaustive' : 'hungarian') : opts.method;
  if (method === 'exhaustive') {
    if (count > EXHAUSTIVE_HARD_LIMIT)
      throw new RangeError(
        `exhaustive association would score ${count.toExponential(2)} permutation sets (limit ${EXHAUSTIVE_HARD_LIMIT.toExponential(0)}); use 'hungarian' or 'auto'`,
      );
    return associateExhaustive(meas, fitter);
  }
  return associateHungarian(meas, fitter);
}
