import { minCostAssignment } from '../../math/assignment.js';
import type { Vec2 } from '../scenario-types.js';

/**
 * Global nearest-neighbour association with a gate: assigns estimates to tracks minimising
 * Σ (squared distance of an assigned pair) + g² · (tracks left without an estimate), where a pair
 * may only be formed when its distance is ≤ g (the gate). Solved exactly as a linear assignment on
 * the tracks x (estimates + one "no estimate" column per track) matrix (src/math/assignment.ts),
 * so it is the best joint assignment, not a greedy one.
 *
 * Returns, per track, the index of its estimate or −1. Distances are between each track's
 * predicted position and each estimate's position (m).
 */
export function gatedAssignment(
  predicted: readonly Vec2[],
  estimates: readonly Vec2[],
  gateM: number,
): Int32Array {
  const n = predicted.length;
  const m = estimates.length;
  const out = new Int32Array(n).fill(-1);
  if (n === 0 || m === 0) return out;
  const g2 = gateM * gateM;
  const cols = m + n;
  // Any entry above n·g² is never chosen (leaving every track without an estimate costs n·g²).
  const forbidden = (n + 1) * g2 + 1;
  const cost = new Float64Array(n * cols).fill(forbidden);
  let any = false;
  for (let i = 0; i < n; i++) {
    const p = predicted[i] as Vec2;
    for (let j = 0; j < m; j++) {
      const e = estimates[j] as Vec2;
      const d2 = (e[0] - p[0]) ** 2 + (e[1] - p[1]) ** 2;
      if (d2 <= g2) {
        cost[i * cols + j] = d2;
        any = true;
      }
    }
    cost[i * cols + m + i] = g2;
  }
  if (!any) return out;
  const { rowToCol } = minCostAssignment(cost, n, cols);
  for (let i = 0; i < n; i++) {
    const j = rowToCol[i] as number;
    if (j >= 0 && j < m && (cost[i * cols + j] as number) <= g2) out[i] = j;
  }
  return out;
}
