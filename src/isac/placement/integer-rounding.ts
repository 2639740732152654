import { minAntennasOf, type PlacementProblem } from './types.js';

/** Relative improvement below which a swap is not taken (keeps the search finite under round-off). */
const MIN_GAIN = 1e-12;

/**
 * Integer antennas for the positions of z, in place (Section III relaxes (16c); this maps back):
 *  1. floor each N_l (a count within 1e-9 of an integer is taken as that integer), at least b_min
 *     (`p.minAntennas`, default 1);
 *  2. while Σ N > N_max (only possible through that 1e-9 slack) take one antenna from the AP whose
 *     loss raises the worst-case objective least; while Σ N < N_max give one to the AP whose extra
 *     antenna lowers it most (greedy by marginal objective);
 *  3. {@link improveBySwaps}.
 * The result keeps Σ N = N_max (every antenna is used: the CRB decreases in N) and N_l >= b_min
 * (requires N_max >= L·b_min: then an AP above b_min exists whenever Σ N > N_max).
 */
export function roundAntennas(p: PlacementProblem, z: Float64Array): void {
  const L = p.objective.L;
  const off = 2 * L;
  const bmin = minAntennasOf(p);
  let sum = 0;
  for (let l = 0; l < L; l++) {
    const v = Math.max(bmin, Math.floor((z[off + l] as number) + 1e-9));
    z[off + l] = v;
    sum += v;
  }
  while (sum > p.maxAntennas) {
    const l = bestMove(p, z, -1);
    z[off + l] = (z[off + l] as number) - 1;
    sum--;
  }
  while (sum < p.maxAntennas) {
    const l = bestMove(p, z, +1);
    z[off + l] = (z[off + l] as number) + 1;
    sum++;
  }
  improveBySwaps(p, z);
}

/** The AP whose count changed by `delta` gives the lowest worst-case objective (−1: only APs with N > b_min). */
function bestMove(p: PlacementProblem, z: Float64Array, delta: 1 | -1): number {
  const L = p.objective.L;
  const off = 2 * L;
  const bmin = minAntennasOf(p);
  let best = -1;
  let bestValue = Infinity;
  for (let l = 0; l < L; l++) {
    const n = z[off + l] as number;
    if (delta < 0 && n <= bmin) continue;
    z[off + l] = n + delta;
    const f = p.objective.worst(z);
    z[off + l] = n;
    if (best < 0 || f < bestValue) {
      best = l;
      bestValue = f;
    }
  }
  return best;
}

/**
 * 1-swap local search on integer antennas (positions fixed), in place: move one antenna from AP i
 * (N_i > b_min) to AP j whenever the best such move lowers the worst-case objective by more than a
 * relative 1e-12; repeat until no move does. Keeps Σ N and N >= b_min. Returns true when it improved.
 */
export function improveBySwaps(p: PlacementProblem, z: Float64Array, maxPasses = 100): boolean {
  const L = p.objective.L;
  const off = 2 * L;
  const bmin = minAntennasOf(p);
  let current = p.objective.worst(z);
  let improved = false;
  for (let pass = 0; pass < maxPasses; pass++) {
    let bi = -1;
    let bj = -1;
    let bv = current;
    for (let i = 0; i < L; i++) {
      const ni = z[off + i] as number;
      if (ni <= bmin) continue;
      for (let j = 0; j < L; j++) {
        if (j === i) continue;
        const nj = z[off + j] as number;
        z[off + i] = ni - 1;
        z[off + j] = nj + 1;
        const f = p.objective.worst(z);
        z[off + i] = ni;
        z[off + j] = nj;
        if (f < bv) {
          bv = f;
          bi = i;
          bj = j;
        }
      }
    }
    if (bi < 0 || !(current - bv > MIN_GAIN * Math.abs(current))) break;
    z[off + bi] = (z[off + bi] as number) - 1;
    z[off + bj] = (z[off + bj] as number) + 1;
    current = bv;
    improved = true;
  }
  return improved;
}

/**
 * The integer phase shared by the optimising strategies: {@link roundAntennas} at the continuous
 * positions, then — when `reoptimise` is given — re-optimise the positions with the antennas fixed,
 * and repeat the swap search at the new positions (and the re-optimisation when a swap helped),
 * at most `maxRounds` times. A re-optimised layout is only taken when it is no worse.
 * When `incumbent` (a feasible integer layout, e.g. Initial) is given and is better, it is returned
 * instead, so the result is never worse than it.
 * Returns the final layout (a new array) and the number of re-optimisations run.
 */
export function integerFinish(
  p: PlacementProblem,
  continuous: Float64Array,
  reoptimise?: (z: Float64Array) => Float64Array,
  incumbent?: Float64Array,
  maxRounds = 3,
): { z: Float64Array; rounds: number } {
  const r = roundAndPolish(p, continuous, reoptimise, maxRounds);
  if (incumbent && p.objective.worst(incumbent) < p.objective.worst(r.z)) r.z.set(incumbent);
  return r;
}

function roundAndPolish(
  p: PlacementProblem,
  continuous: Float64Array,
  reoptimise: ((z: Float64Array) => Float64Array) | undefined,
  maxRounds: number,
): { z: Float64Array; rounds: number } {
  const z = Float64Array.from(continuous);
  roundAntennas(p, z);
  if (!reoptimise) return { z, rounds: 0 };
  let rounds = 0;
  let current = p.objective.worst(z);
  while (rounds < maxRounds) {
    rounds++;
    const r = reoptimise(z);
    const f = p.objective.worst(r);
    if (f <= current) {
      z.set(r);
      current = f;
    }
    if (!improveBySwaps(p, z)) break;
    current = p.objective.worst(z);
  }
  return { z, rounds };
}
