/**
 * GLRT threshold of the joint-ml model order. Under H0 (no further target) the statistic of one
 * hypothesised echo at AP l, |⟨s_l, r_l⟩|²/(N_l σ_l²), is Exp(1) (r_l white CN(0, σ²)); summed over
 * L APs it is Gamma(L, 1), with upper tail e^{−γ} Σ_{k<L} γ^k/k!. A frame searches about
 * `cells` independent hypotheses (stated by the caller: x-y grid points × Doppler cells), so the
 * Bonferroni threshold for a false-alarm probability `pfa` per frame solves cells · tail(γ) = pfa.
 */
export function gammaTail(gamma: number, L: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 1; k < L; k++) {
    term *= gamma / k;
    sum += term;
  }
  return Math.exp(-gamma) * sum;
}

export function glrtThreshold(pfa: number, cells: number, L: number): number {
  const target = pfa / Math.max(1, cells);
  let lo = 0;
  let hi = 10;
  while (gammaTail(hi, L) > target) hi *= 2;
  for (let i = 0; i < 100; i++) {
    const mid = 0.5 * (lo + hi);
    if (gammaTail(mid, L) > target) lo = mid;
    else hi = mid;
  }
  return hi;
}
