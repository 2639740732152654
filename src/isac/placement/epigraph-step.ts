/**
 * Exact minimiser of (P2.3) (model notes; the printed Step 3, eq. 28 then U = max ϖ, is not):
 *   min_{U, ϖ} U + Σ_u [γ_u (ϖ_u − h_u) + ρ₃/2 (ϖ_u − h_u)²]  s.t.  ϖ_u <= U,
 * i.e. with w_u = h_u − γ_u/ρ₃: min U + ρ₃/2 Σ (ϖ_u − w_u)². For fixed U, ϖ_u = min(U, w_u);
 * g(U) = U + ρ₃/2 Σ (w_u − U)₊² is convex with g'(U) = 1 − ρ₃ Σ (w_u − U)₊, so U solves
 *   Σ_u (w_u − U)₊ = 1/ρ₃,
 * a piecewise-linear root found exactly by sorting w in descending order: with the k largest
 * active, U = (Σ_{i<=k} w_(i) − 1/ρ₃)/k for the k with w_(k+1) <= U < w_(k).
 *
 * `w` (length U), writes ϖ into `varpi` and returns U. KKT multipliers of ϖ_u <= U:
 * μ_u = ρ₃ (w_u − ϖ_u) >= 0, Σ μ_u = 1. `order` is scratch of length >= w.length.
 */
export function epigraphStep(
  w: ArrayLike<number>,
  rho3: number,
  varpi: Float64Array,
  order: Float64Array,
): number {
  const n = w.length;
  for (let i = 0; i < n; i++) order[i] = w[i] as number;
  const sorted = order.subarray(0, n).sort().reverse();
  const target = 1 / rho3;
  let sum = 0;
  let U = -Infinity;
  for (let k = 1; k <= n; k++) {
    sum += sorted[k - 1] as number;
    const cand = (sum - target) / k;
    const next = k < n ? (sorted[k] as number) : -Infinity;
    if (cand >= next) {
      U = cand;
      break;
    }
  }
  for (let i = 0; i < n; i++) varpi[i] = Math.min(U, w[i] as number);
  return U;
}
