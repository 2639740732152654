import type { LineProbe } from './line-probe.js';
import type { LineSearchResult } from './line-search.js';

/**
 * Backtracking Armijo search along the projected path x(α) = P(x + α d) (Bertsekas 1982,
 * projected Newton): accept the first α = α0, α0/2, ... (safeguarded quadratic interpolation,
 * factor in [0.1, 0.5]) with
 *
 *   f(x(α)) <= f(x) + c1 ∇f(x)·(x(α) − x).
 *
 * Used when a bound blocks the trial step: coordinates that reach a bound stay on it (the
 * projection bends the path) while the others keep moving, so a nearly active coordinate
 * cannot stall the search as it would on the straight segment. `probe` holds x, d and
 * evaluates the projected points; `g` is ∇f(x).
 */
export function projectedArmijo(
  probe: LineProbe,
  g: Float64Array,
  fx: number,
  alpha0: number,
  c1 = 1e-4,
  maxHalvings = 50,
): LineSearchResult {
  let alpha = alpha0;
  for (let k = 0; k < maxHalvings; k++) {
    const ft = probe.phi(alpha);
    let slope = 0;
    for (let i = 0; i < g.length; i++) slope += g[i]! * (probe.xt[i]! - probe.x[i]!);
    if (!(slope < 0)) return { ok: false, alpha: 0, value: fx, atBound: false };
    if (ft <= fx + c1 * slope) return { ok: true, alpha, value: ft, atBound: false };
    // quadratic model through f(x), slope and f(x(α)) (slope measured along the projected step)
    const q = Number.isFinite(ft) ? (-slope * alpha) / (2 * (ft - fx - slope)) : 0.1 * alpha;
    alpha = Math.min(0.5 * alpha, Math.max(0.1 * alpha, q));
  }
  return { ok: false, alpha: 0, value: fx, atBound: false };
}
