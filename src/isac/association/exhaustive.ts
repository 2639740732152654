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
  addPermutations(out, new Int32Array(U), new Uint8Array(R), 0);
  return out;
}

/** kPermutations from position u on (a module function, not a closure made per call: compiled once). */
function addPermutations(out: Int32Array[], cur: Int32Array, used: Uint8Array, u: number): void {
  if (u === cur.length) {
    out.push(cur.slice());
    return;
  }
  for (let j = 0; j < used.length; j++) {
    if (used[j]) continue;
    used[j] = 1;
    cur[u] = j;
    addPermutations(out, cur, used, u + 1);
    used[j] = 0;
  }
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
  const others = counts.map((_, l) => l).filter((l) => l !== ref);
  const search = new ExhaustiveSearch(meas, fitter, counts, strides, others, size);
  for (let u = 0; u < U; u++) (search.partial[0] as Int32Array)[u] = u * (strides[ref] as number);
  search.descend(0);
  const { evaluated } = search;
  const chosen = search.bestIdx;
  if (!chosen) return { tuples: [], fits: [], cost: 0, method: 'exhaustive', evaluated };
  const tuples = Array.from(chosen, (i) => search.tupleOf(i));
  const fitList = Array.from(chosen, (i) => {
    search.costOf(i);
    return search.fits.get(i) as TargetFit;
  });
  return {
    tuples,
    fits: fitList,
    cost: fitList.reduce((s, f) => s + f.cost, 0),
    method: 'exhaustive',
    evaluated,
  };
}

/**
 * The state of one associateExhaustive search (a class rather than closures made per call, so that its
 * recursion is compiled once for every frame, not again each time the collector drops the last code).
 */
class ExhaustiveSearch {
  /** a tuple's criterion by its index (NaN: not fitted yet) */
  private readonly table: Float64Array;
  readonly fits = new Map<number, TargetFit>();
  private readonly tupleMeas: ApMeasurement[];
  private readonly perms: Int32Array[][];
  /** per depth d the U tuple indices with the first d non-reference APs chosen */
  readonly partial: Int32Array[] = [];
  private readonly U: number;
  best = Infinity;
  bestIdx: Int32Array | null = null;
  evaluated = 0;

  constructor(
    private readonly meas: readonly (readonly ApMeasurement[])[],
    private readonly fitter: TargetFitter,
    private readonly counts: readonly number[],
    private readonly strides: readonly number[],
    private readonly others: readonly number[],
    size: number,
  ) {
    this.table = new Float64Array(size).fill(NaN);
    this.tupleMeas = new Array<ApMeasurement>(meas.length);
    const ref = referenceAp(counts);
    this.U = counts[ref] as number;
    this.perms = others.map((l) => kPermutations(this.U, counts[l] as number));
    for (let d = 0; d <= others.length; d++) this.partial.push(new Int32Array(this.U));
  }

  /** The component of each AP in tuple `index`. */
  tupleOf(index: number): number[] {
    return this.counts.map((R, l) => Math.floor(index / (this.strides[l] as number)) % R);
  }

  /** The criterion of tuple `index` (fitted once, then looked up). */
  costOf(index: number): number {
    let c = this.table[index] as number;
    if (Number.isNaN(c)) {
      const t = this.tupleOf(index);
      for (let l = 0; l < this.meas.length; l++)
        this.tupleMeas[l] = (this.meas[l] as readonly ApMeasurement[])[t[l] as number] as ApMeasurement;
      const f = this.fitter.fit(this.tupleMeas);
      this.fits.set(index, f);
      c = Number.isFinite(f.cost) ? f.cost : Number.MAX_VALUE;
      this.table[index] = c;
    }
    return c;
  }

  /** Every permutation of the non-reference APs from depth d on, keeping the best total. */
  descend(d: number): void {
    const cur = this.partial[d] as Int32Array;
    const U = this.U;
    if (d === this.others.length) {
      this.evaluated++;
      let s = 0;
      for (let u = 0; u < U && s < this.best; u++) s += this.costOf(cur[u] as number);
      if (s < this.best) {
        this.best = s;
        this.bestIdx = cur.slice();
      }
      return;
    }
    const l = this.others[d] as number;
    const next = this.partial[d + 1] as Int32Array;
    const stride = this.strides[l] as number;
    for (const q of this.perms[d] as Int32Array[]) {
      for (let u = 0; u < U; u++) next[u] = (cur[u] as number) + (q[u] as number) * stride;
      this.descend(d + 1);
    }
  }
}
