/**
 * Noise gate of `rank: 'auto'`: a range-Doppler cell holds P = Σ_p |F_p|² over k = N_A antennas;
 * under noise alone each |F_p|² is exponential with mean μ/k, so kP/μ ~ Gamma(k, 1). A peak counts
 * as a detection when P >= μ̂ · g, with g chosen so that the false-alarm probability over the whole
 * map is `pfa` (per cell pfa / cells, Bonferroni), and μ̂ estimated from the map's median (robust to
 * the few cells that hold targets).
 */

/** P(X > x) for X ~ Gamma(k, 1) with integer shape k: e^{−x} Σ_{i<k} x^i / i!. */
export function gammaTail(k: number, x: number): number {
  if (x <= 0) return 1;
  let term = 1;
  let sum = 1;
  for (let i = 1; i < k; i++) {
    term *= x / i;
    sum += term;
  }
  return Math.exp(-x + Math.log(sum));
}

/** Median of Gamma(k, 1), Choi's approximation k − 1/3 + 8/(405 k) (within 1 % for k >= 1). */
export function gammaMedian(k: number): number {
  return k - 1 / 3 + 8 / (405 * k);
}

/**
 * Detection threshold on P / μ (μ the noise mean of P, P the sum of k exponential powers):
 * x / k with gammaTail(k, x) = pfa / cells (bisection).
 */
export function powerGateFactor(k: number, cells: number, pfa: number): number {
  const target = pfa / Math.max(1, cells);
  let lo = 0;
  let hi = k + 10;
  while (gammaTail(k, hi) > target) hi *= 2;
  for (let i = 0; i < 100; i++) {
    const mid = 0.5 * (lo + hi);
    if (gammaTail(k, mid) > target) lo = mid;
    else hi = mid;
  }
  return hi / k;
}
