/**
 * Euclidean projection onto {b : Σ_l b_l <= N_max, b_l >= 1} (P2.2, eq. 25 with the model notes:
 * the step is a projection of v = N(z) − χ/ρ₂, no convex-programming package needed).
 *
 * KKT: b_l = max(1, v_l − μ) with μ >= 0 and μ (Σ b − N_max) = 0. When Σ max(1, v_l) <= N_max,
 * μ = 0; otherwise φ(μ) = Σ max(1, v_l − μ) is continuous, non-increasing and piecewise linear,
 * φ(0) > N_max >= L = φ(max v − 1), and μ is found by bisection on the multiplier, then made
 * exact by solving the linear piece of the bracketed free set F = {l : v_l − μ > 1}:
 * μ = (Σ_F v_l − N_max + L − |F|) / |F|.
 *
 * Requires N_max >= L (L = v.length). Writes b into `out` (may alias v) and returns μ.
 * The upper bound b_l < N_max of (16c) holds automatically for L >= 2.
 */
export function projectAntennas(v: ArrayLike<number>, maxAntennas: number, out: Float64Array): number {
  const L = v.length;
  let sum0 = 0;
  let vmax = -Infinity;
  for (let l = 0; l < L; l++) {
    const x = v[l] as number;
    sum0 += Math.max(1, x);
    if (x > vmax) vmax = x;
  }
  if (sum0 <= maxAntennas) {
    for (let l = 0; l < L; l++) out[l] = Math.max(1, v[l] as number);
    return 0;
  }
  const phi = (mu: number): number => {
    let s = 0;
    for (let l = 0; l < L; l++) s += Math.max(1, (v[l] as number) - mu);
    return s;
  };
  let lo = 0; // φ(lo) > N_max
  let hi = Math.max(0, vmax - 1); // φ(hi) = L <= N_max
  for (let it = 0; it < 200 && hi - lo > 1e-15 * Math.max(1, hi); it++) {
    const mid = 0.5 * (lo + hi);
    if (phi(mid) > maxAntennas) lo = mid;
    else hi = mid;
  }
  let mu = 0.5 * (lo + hi);
  // exact solve on the linear piece of the bracketed free set
  let nFree = 0;
  let sFree = 0;
  for (let l = 0; l < L; l++) {
    const x = v[l] as number;
    if (x - mu > 1) {
      nFree++;
      sFree += x;
    }
  }
  if (nFree > 0) {
    const exact = (sFree - maxAntennas + (L - nFree)) / nFree;
    if (exact >= 0 && Math.abs(phi(exact) - maxAntennas) <= Math.abs(phi(mu) - maxAntennas)) mu = exact;
  }
  for (let l = 0; l < L; l++) out[l] = Math.max(1, (v[l] as number) - mu);
  return mu;
}
