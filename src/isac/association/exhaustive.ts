import type { ApMeasurement, TargetFit, TargetFitter } from './target-fit.js';
import type { AssociationResult } from './types.js';

/** The AP with the fewest components (the first such): its components label the targets. */
export function referenceAp(counts: readonly number[]): number {
  let ref = 0;
  for (let l = 1; l < counts.length; l++) if ((counts[l] as number) < (counts[ref] as number)) ref = l;
  return ref;
}

/** Number of injective maps of U targets into R_l components, multiplied over the non-reference APs: Π_l R_l!/(R_l − U)!. */
export function exhaustiveCount(counts: readonly number[]): number {
  if (counts.length === 0) return 0;
  const ref = referenceAp(counts);
  const U = counts[ref] as number;
  let total = 1;
  counts.forEach((R, l) => {
    if (l === ref) return;
    for (let k = 0; k < U; k++) total *= R - k;
  });
  return total;
}

/** All injective maps [0, U) → [0, R) as rows of U indices. */
function kPermutations(U: number, R: number): Int32Array[] {
  const out: Int32Array[] = [];
  const cur = new Int32Array(U);
  const used = new Uint8Array(R);
  const rec = (u: number): void => {
    if (u === U) {
      out.push(cur.slice());
      return;
    }
    for (let j = 0; j < R; j++) {
      if (used[j]) continue;
      used[j] = 1;
      cur[u] = j;
      rec(u + 1);
      used[j] = 0;
    }
  };
  rec(0);
  return out;
}

/**
 * Exhaustive search of eq. (40): over every choice of one permutation Q_l per non-reference AP
 * ((U!)^(L−1) choices for equal ranks), the association with the smallest total criterion
 * Σ_u cost(tuple_u) (target-fit.ts). Targets are labelled by the reference AP's components. A tuple's
 * cost is computed once (at most U·Π_{l≠ref} R_l fits) and looked up for every permutation set; a
 * set is abandoned as soon as its partial sum exceeds the best total.
 */
export function associateExhaustive(
  meas: readonly (readonly ApMeasurement[])[],
  fitter: TargetFitter,
): AssociationResult {
  const L = meas.length;
  const counts = meas.map((m) => m.length);
  const ref = referenceAp(counts);
  const U = L > 0 ? (counts[ref] as number) : 0;
  if (U === 0) return { tuples: [], fits: [], cost: 0, method: 'exhaustive', evaluated: 0 };
  const strides: number[] = [];
  let size = 1;
  for (let l = L - 1; l >= 0; l--) {
    strides[l] = size;
    size *= counts[l] as number;
  }
  const table = new Float64Array(size).fill(NaN);
  const fits = new Map<number, TargetFit>();
  const tupleOf = (index: number): number[] =>
    counts.map((R, l) => Math.floor(index / (strides[l] as number)) % R);
  const tupleMeas: ApMeasurement[] = new Array<ApMeasurement>(L);
  const costOf = (index: number): number => {
    let c = table[index] as number;
    if (Number.isNaN(c)) {
      const t = tupleOf(index);
      for (let l = 0; l < L; l++)
        tupleMeas[l] = (meas[l] as readonly ApMeasurement[])[t[l] as number] as ApMeasurement;
      const f = fitter.fit(tupleMeas);
      fits.set(index, f);
      c = Number.isFinite(f.cost) ? f.cost : Number.MAX_VALUE;
      table[index] = c;
    }
    return c;
  };
  const others = counts.map((_, l) => l).filter((l) => l !== ref);
  const perms = others.map((l) => kPermutations(U, counts[l] as number));
  const partial: Int32Array[] = [];
  for (let d = 0; d <= others.length; d++) partial.push(new Int32Array(U));
  for (let u = 0; u < U; u++) (partial[0] as Int32Array)[u] = u * (strides[ref] as number);
  let best = Infinity;
  let bestIdx: Int32Array | null = null;
  let evaluated = 0;
  const rec = (d: number): void => {
    const cur = partial[d] as Int32Array;
    if (d === others.length) {
      evaluated++;
      let s = 0;
      for (let u = 0; u < U && s < best; u++) s += costOf(cur[u] as number);
      if (s < best) {
        best = s;
        bestIdx = cur.slice();
      }
      return;
    }
    const l = others[d] as number;
    const next = partial[d + 1] as Int32Array;
    const stride = strides[l] as number;
    for (const q of perms[d] as Int32Array[]) {
      for (let u = 0; u < U; u++) next[u] = (cur[u] as number) + (q[u] as number) * stride;
      rec(d + 1);
    }
  };
  rec(0);
  const chosen = bestIdx as Int32Array | null;
  if (!chosen) return { tuples: [], fits: [], cost: 0, method: 'exhaustive', evaluated };
  const tuples = Array.from(chosen, (i) => tupleOf(i));
  const fitList = Array.from(chosen, (i) => {
    costOf(i);
    return fits.get(i) as TargetFit;
  });
  return {
    tuples,
    fits: fitList,
    cost: fitList.reduce((s, f) => s + f.cost, 0),
    method: 'exhaustive',
    evaluated,
  };
}
