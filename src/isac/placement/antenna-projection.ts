/**
 * Euclidean projection onto {b : Σ_l b_l <= N_max, b_l >= b_min} (P2.2, eq. 25 with the model
 * notes: the step is a projection of v = N(z) − χ/ρ₂, no convex-programming package needed;
 * b_min = 1 is the paper's (16c), a larger floor is the `minAntennas` option).
 *
 * KKT: b_l = max(b_min, v_l − μ) with μ >= 0 and μ (Σ b − N_max) = 0. When Σ max(b_min, v_l) <= N_max,
 * μ = 0; otherwise φ(μ) = Σ max(b_min, v_l − μ) is continuous, non-increasing and piecewise linear,
 * φ(0) > N_max >= L·b_min = φ(max v − b_min), and μ is found by bisection on the multiplier, then
 * made exact by solving the linear piece of the bracketed free set F = {l : v_l − μ > b_min}:
 * μ = (Σ_F v_l − N_max + b_min (L − |F|)) / |F|.
 *
 * Requires N_max >= L·b_min (L = v.length). Writes b into `out` (may alias v) and returns μ.
 * The upper bound b_l < N_max of (16c) holds automatically for L >= 2.
 */
export function projectAntennas(
  v: ArrayLike<number>,
  maxAntennas: number,
  out: Float64Array,
  minAntennas = 1,
): number {
  const L = v.length;
  const bmin = minAntennas;
  let sum0 = 0;
  let vmax = -Infinity;
  for (let l = 0; l < L; l++) {
    const x = v[l] as number;
    sum0 += Math.max(bmin, x);
    if (x > vmax) vmax = x;
  }
  if (sum0 <= maxAntennas) {
    for (let l = 0; l < L; l++) out[l] = Math.max(bmin, v[l] as number);
    return 0;
  }
  const phi = (mu: number): number => {
    let s = 0;
    for (let l = 0; l < L; l++) s += Math.max(bmin, (v[l] as number) - mu);
    return s;
  };
  let lo = 0; // φ(lo) > N_max
  let hi = Math.max(0, vmax - bmin); // φ(hi) = L·b_min <= N_max
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
    if (x - mu > bmin) {
      nFree++;
      sFree += x;
    }
  }
  if (nFree > 0) {
    const exact = (sFree - maxAntennas + bmin * (L - nFree)) / nFree;
    if (exact >= 0 && Math.abs(phi(exact) - maxAntennas) <= Math.abs(phi(mu) - maxAntennas)) mu = exact;
  }
  for (let l = 0; l < L; l++) out[l] = Math.max(bmin, (v[l] as number) - mu);
  return mu;
}
