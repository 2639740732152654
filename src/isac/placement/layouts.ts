import type { Rng } from '../../math/rng.js';
import { projectAntennas } from './antenna-projection.js';
import { projectPositions } from './disc-projection.js';
import { minAntennasOf, type DesignTarget, type PlacementProblem } from './types.js';

/**
 * Equal integer split of N_max over L APs ("antenna equipartition", Section V.A):
 * ⌊N_max/L⌋ each, plus one for the first N_max mod L APs. Every part is >= b_min whenever
 * N_max >= L·b_min (⌊N_max/L⌋ >= b_min), so a floor `minAntennas` needs no change here.
 */
export function equalSplit(maxAntennas: number, L: number): number[] {
  const base = Math.floor(maxAntennas / L);
  const extra = maxAntennas - base * L;
  return Array.from({ length: L }, (_, l) => base + (l < extra ? 1 : 0));
}

/** The "Initial" layout: nominal positions ĉ_l and the equal split. z = [c, N]. */
export function initialLayout(p: PlacementProblem): Float64Array {
  const L = p.objective.L;
  const z = new Float64Array(3 * L);
  z.set(p.nominal, 0);
  z.set(equalSplit(p.maxAntennas, L), 2 * L);
  return z;
}

/**
 * A uniformly random feasible layout: each AP uniform in its disc (r = ε√u, φ = 2πu') and a
 * uniformly random integer split of all N_max antennas with every AP >= b_min: a uniform
 * composition of M = N_max − L(b_min − 1) into L parts >= 1 (L − 1 distinct cut points among
 * 1..M − 1), each part shifted by b_min − 1 (a bijection onto the splits with parts >= b_min,
 * so those are uniform too). Requires N_max >= L·b_min.
 */
export function randomLayout(p: PlacementProblem, rng: Rng): Float64Array {
  const L = p.objective.L;
  const z = new Float64Array(3 * L);
  for (let l = 0; l < L; l++) {
    const r = p.radius * Math.sqrt(rng.uniform());
    const phi = 2 * Math.PI * rng.uniform();
    z[2 * l] = (p.nominal[2 * l] as number) + r * Math.cos(phi);
    z[2 * l + 1] = (p.nominal[2 * l + 1] as number) + r * Math.sin(phi);
  }
  const shift = minAntennasOf(p) - 1;
  const M = p.maxAntennas - L * shift;
  const perm = rng.permutation(M - 1);
  const cuts = Array.from(perm.subarray(0, L - 1), (i) => i + 1).sort((a, b) => a - b);
  let prev = 0;
  for (let l = 0; l < L; l++) {
    const next = l < L - 1 ? (cuts[l] as number) : M;
    z[2 * L + l] = next - prev + shift;
    prev = next;
  }
  return z;
}

/** Centroid of the design targets. */
export function targetCentroid(targets: readonly DesignTarget[]): [number, number] {
  let x = 0;
  let y = 0;
  for (const t of targets) {
    x += t.x;
    y += t.y;
  }
  return [x / targets.length, y / targets.length];
}

/**
 * Positions moved ε straight toward the design targets' centroid (an AP at the centroid stays),
 * antennas as given: the honest baseline of the model notes.
 */
export function towardTargetsPositions(p: PlacementProblem, z: Float64Array): void {
  const [gx, gy] = targetCentroid(p.objective.targets);
  for (let l = 0; l < p.objective.L; l++) {
    const cx = p.nominal[2 * l] as number;
    const cy = p.nominal[2 * l + 1] as number;
    const d = Math.hypot(gx - cx, gy - cy);
    const s = d > 0 ? Math.min(p.radius, d) / d : 0;
    z[2 * l] = cx + s * (gx - cx);
    z[2 * l + 1] = cy + s * (gy - cy);
  }
}

/** Projects z onto the feasible set of (P1) in place: positions onto their discs, antennas onto {Σ <= N_max, >= b_min}. */
export function projectFeasible(p: PlacementProblem, z: Float64Array): void {
  const L = p.objective.L;
  projectPositions(z, p.nominal, p.radius, L);
  const n = z.subarray(2 * L, 3 * L);
  projectAntennas(n, p.maxAntennas, n, minAntennasOf(p));
}

/**
 * Constraint violations of a layout: max over APs of (||c_l − ĉ_l|| − ε)₊, (Σ N − N_max)₊,
 * max (b_min − N_l)₊ and, when `integer`, the largest distance of an antenna count to an integer.
 */
export function violations(
  p: PlacementProblem,
  z: ArrayLike<number>,
  integer: boolean,
): { disc: number; sum: number; lower: number; integrality: number } {
  const L = p.objective.L;
  const bmin = minAntennasOf(p);
  let disc = 0;
  let sum = 0;
  let lower = 0;
  let integrality = 0;
  for (let l = 0; l < L; l++) {
    const d = Math.hypot(
      (z[2 * l] as number) - (p.nominal[2 * l] as number),
      (z[2 * l + 1] as number) - (p.nominal[2 * l + 1] as number),
    );
    disc = Math.max(disc, d - p.radius);
    const n = z[2 * L + l] as number;
    sum += n;
    lower = Math.max(lower, bmin - n);
    if (integer) integrality = Math.max(integrality, Math.abs(n - Math.round(n)));
  }
  return {
    disc: Math.max(0, disc),
    sum: Math.max(0, sum - p.maxAntennas),
    lower: Math.max(0, lower),
    integrality,
  };
}
