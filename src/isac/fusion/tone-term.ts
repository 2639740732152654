import type { ToneTerm } from '../../math/exact-tone.js';

/**
 * Closed forms of the matched-filter terms of (P3)/(P4) (eqs. 48, 52) for factors that are exact
 * tones, as the structured CP (cp-decomposer `structure: tones`) returns them: for
 * x_k = A e^{jkω} (k = 0..n−1),
 *   |Σ_k x_k e^{jkφ}| = |A| |D_n(ω + φ)|,   D_n(θ) = sin(nθ/2) / sin(θ/2)   (Dirichlet kernel),
 * O(1) per evaluation instead of n complex multiply-adds (horner.ts). Equal to the Horner sum up to
 * rounding (~1e-14 relative, tested). Tones are found by src/math/exact-tone.ts detectTone.
 */

/** θ reduced to [−π, π]. */
function reduce(theta: number): number {
  return theta - 2 * Math.PI * Math.round(theta / (2 * Math.PI));
}

/** Below this |nθ| the Taylor series replaces the ratio of sines (its truncation error < 1e-14). */
const SERIES_BELOW = 0.05;

/** |A| |D_n(ω + φ)|: the term's value at phase φ. */
export function toneAbs(t: ToneTerm, n: number, phi: number): number {
  const th = reduce(t.omega + phi);
  if (Math.abs(n * th) < SERIES_BELOW) {
    const n2 = n * n;
    const t2 = th * th;
    return t.amp * n * (1 - ((n2 - 1) * t2) / 24 + ((3 * n2 * n2 - 10 * n2 + 7) * t2 * t2) / 5760);
  }
  return t.amp * Math.abs(Math.sin(0.5 * n * th) / Math.sin(0.5 * th));
}

/** [|A||D_n(θ)|, d(|A||D_n(θ)|)/dφ] at θ = ω + φ into out (derivative 0 where D_n = 0). */
export function toneAbsDerivative(t: ToneTerm, n: number, phi: number, out: Float64Array): void {
  const th = reduce(t.omega + phi);
  if (Math.abs(n * th) < SERIES_BELOW) {
    const n2 = n * n;
    const t2 = th * th;
    const c4 = 3 * n2 * n2 - 10 * n2 + 7;
    out[0] = t.amp * n * (1 - ((n2 - 1) * t2) / 24 + (c4 * t2 * t2) / 5760);
    out[1] = t.amp * n * (-((n2 - 1) * th) / 12 + (c4 * t2 * th) / 1440);
    return;
  }
  const sh = Math.sin(0.5 * th);
  const ch = Math.cos(0.5 * th);
  const sn = Math.sin(0.5 * n * th);
  const cn = Math.cos(0.5 * n * th);
  const d = sn / sh;
  // dD/dθ = (n/2 cos(nθ/2) sin(θ/2) − 1/2 sin(nθ/2) cos(θ/2)) / sin²(θ/2)
  const dd = (0.5 * n * cn * sh - 0.5 * sn * ch) / (sh * sh);
  out[0] = t.amp * Math.abs(d);
  out[1] = d > 0 ? t.amp * dd : d < 0 ? -t.amp * dd : 0;
}
