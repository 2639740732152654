import type { Vec2 } from '../scenario-types.js';
import { referenceAp } from './exhaustive.js';
import { hungarian } from './hungarian.js';
import type { ApMeasurement, TargetFit, TargetFitter } from './target-fit.js';
import type { AssociationResult } from './types.js';

/** Refinement rounds at most per anchor. */
const MAX_ROUNDS = 6;

/**
 * Polynomial-time association (alternative to the (U!)^(L−1) exhaustive search of eq. 40):
 * for each anchor AP a holding the minimal number U of components,
 * 1. each anchor component i gives two candidate points c_a + r_i(±cos θ_i, sin θ_i) (a ULA cannot
 *    tell θ from π − θ); the branch is the one the other APs' nearest measurements agree with best;
 * 2. every other AP l assigns its components to the U candidates by the Hungarian algorithm on the
 *    range/sin θ residual (in resolution cells) predicted from the candidate point;
 * 3. refine: fit each target to its tuple (target-fit.ts; position, and velocity from Doppler), then
 *    reassign every other AP by the Hungarian algorithm on the full residual (range, sin θ, Doppler)
 *    predicted from the fitted state; repeat until the assignment stops changing.
 * The anchor with the smallest total criterion wins. Cost O(L² U³ + L² U² · fit).
 */
export function associateHungarian(
  meas: readonly (readonly ApMeasurement[])[],
  fitter: TargetFitter,
): AssociationResult {
  const L = meas.length;
  const counts = meas.map((m) => m.length);
  const ref = L > 0 ? referenceAp(counts) : 0;
  const U = L > 0 ? (counts[ref] as number) : 0;
  if (U === 0) return { tuples: [], fits: [], cost: 0, method: 'hungarian', evaluated: 0 };
  let best: { tuples: number[][]; fits: TargetFit[]; cost: number } | null = null;
  let evaluated = 0;
  const zero: Vec2 = [0, 0];
  for (let a = 0; a < L; a++) {
    if (counts[a] !== U) continue;
    const anchor = meas[a] as readonly ApMeasurement[];
    const site = (fitter.sites[a] as { position: Vec2 }).position;
    // 1. candidate points and branch choice
    const points: Vec2[] = anchor.map((m) => {
      const s = m.angleKnown ? Math.max(-1, Math.min(1, m.sinAoa)) : 0;
      const co = Math.sqrt(1 - s * s);
      const cands: Vec2[] = [
        [site[0] + m.range * co, site[1] + m.range * s],
        [site[0] - m.range * co, site[1] + m.range * s],
      ];
      let bestC = cands[0] as Vec2;
      let bestS = Infinity;
      for (const p of cands) {
        let score = 0;
        for (let l = 0; l < L; l++) {
          if (l === a) continue;
          let mn = Infinity;
          (meas[l] as readonly ApMeasurement[]).forEach(
            (mm) => (mn = Math.min(mn, fitter.apCost(l, mm, p, zero, false))),
          );
          score += mn;
        }
        if (score < bestS) {
          bestS = score;
          bestC = p;
        }
      }
      return bestC;
    });
    // 2. first assignment from the candidate points
    const assign: Int32Array[] = [];
    for (let l = 0; l < L; l++) {
      if (l === a) {
        assign.push(Int32Array.from({ length: U }, (_, i) => i));
        continue;
      }
      const R = counts[l] as number;
      const cost = new Float64Array(U * R);
      for (let i = 0; i < U; i++)
        for (let j = 0; j < R; j++)
          cost[i * R + j] = fitter.apCost(
            l,
            (meas[l] as readonly ApMeasurement[])[j] as ApMeasurement,
            points[i] as Vec2,
            zero,
            false,
          );
      assign.push(hungarian(cost, U, R));
      evaluated++;
    }
    // 3. refinement
    let fits: TargetFit[] = [];
    for (let round = 0; round < MAX_ROUNDS; round++) {
      fits = fitTuples(meas, assign, U, fitter);
      let changed = false;
      for (let l = 0; l < L; l++) {
        if (l === a) continue;
        const R = counts[l] as number;
        const cost = new Float64Array(U * R);
        for (let i = 0; i < U; i++) {
          const f = fits[i] as TargetFit;
          for (let j = 0; j < R; j++)
            cost[i * R + j] = fitter.apCost(
              l,
              (meas[l] as readonly ApMeasurement[])[j] as ApMeasurement,
              f.position,
              f.velocity,
            );
        }
        const next = hungarian(cost, U, R);
        evaluated++;
        const prev = assign[l] as Int32Array;
        for (let i = 0; i < U; i++) if (next[i] !== prev[i]) changed = true;
        assign[l] = next;
      }
      if (!changed) break;
    }
    fits = fitTuples(meas, assign, U, fitter);
    const total = fits.reduce((s, f) => s + f.cost, 0);
    if (!best || total < best.cost) {
      // canonical order: by the reference AP's component index
      const order = Array.from({ length: U }, (_, i) => i).sort(
        (x, y) => ((assign[ref] as Int32Array)[x] as number) - ((assign[ref] as Int32Array)[y] as number),
      );
      best = {
        tuples: order.map((i) => assign.map((q) => q[i] as number)),
        fits: order.map((i) => fits[i] as TargetFit),
        cost: total,
      };
    }
  }
  const b = best as { tuples: number[][]; fits: TargetFit[]; cost: number };
  return { ...b, method: 'hungarian', evaluated };
}

function fitTuples(
  meas: readonly (readonly ApMeasurement[])[],
  assign: Int32Array[],
  U: number,
  fitter: TargetFitter,
): TargetFit[] {
  const tuple: ApMeasurement[] = new Array<ApMeasurement>(meas.length);
  const out: TargetFit[] = [];
  for (let i = 0; i < U; i++) {
    for (let l = 0; l < meas.length; l++)
      tuple[l] = (meas[l] as readonly ApMeasurement[])[
        (assign[l] as Int32Array)[i] as number
      ] as ApMeasurement;
    out.push(fitter.fit(tuple));
  }
  return out;
}
