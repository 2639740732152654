import type { Rng } from '../math/rng.js';
import type { Box } from './solver.js';

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(z) for z > 0 (Lanczos, g = 7; relative error ~1e-15). */
export function logGamma(z: number): number {
  if (z < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * z)) - logGamma(1 - z);
  const x = z - 1;
  let a = LANCZOS[0]!;
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

const TAIL_LIMIT = 1e8;
const MIN_VISIT_BOUND = 1e-10;

/**
 * Visiting distribution of generalized simulated annealing (Tsallis & Stariolo 1996; the
 * "Visita" formula of Xiang et al. 1997, as in scipy.optimize.dual_annealing): a distorted
 * Cauchy-Lorentz step g_{q_v}(Δx; T) drawn as x·σ(T) / |y|^((q_v−1)/(3−q_v)), x, y ~ N(0, 1),
 * with heavy tails that shrink as T falls. Steps are clamped at ±1e8 and wrapped into the box
 * (periodic, as scipy does).
 */
export class GsaVisiting {
  private readonly qv: number;
  private readonly factor4p: number;
  private readonly factor6: number;
  private readonly range: Float64Array;

  constructor(
    private readonly box: Box,
    visit: number,
    private readonly rng: Rng,
  ) {
    this.qv = visit;
    const f2 = Math.exp((4 - visit) * Math.log(visit - 1));
    const f3 = Math.exp(((2 - visit) * Math.log(2)) / (visit - 1));
    this.factor4p = (Math.sqrt(Math.PI) * f2) / (f3 * (3 - visit));
    const f5 = 1 / (visit - 1) - 0.5;
    const d1 = 2 - f5;
    this.factor6 = (Math.PI * (1 - f5)) / Math.sin(Math.PI * (1 - f5)) / Math.exp(logGamma(d1));
    const n = box.lower.length;
    this.range = new Float64Array(n);
    for (let i = 0; i < n; i++) this.range[i] = box.upper[i]! - box.lower[i]!;
  }

  /** Spread σ(T) of the numerator normal at temperature T. */
  private sigma(temperature: number): number {
    const q = this.qv;
    const factor1 = Math.exp(Math.log(temperature) / (q - 1));
    const factor4 = this.factor4p * factor1;
    return Math.exp((-(q - 1) * Math.log(this.factor6 / factor4)) / (3 - q));
  }

  private draw(sigma: number): number {
    const q = this.qv;
    const x = this.rng.normal() * sigma;
    const y = this.rng.normal();
    const den = Math.exp(((q - 1) * Math.log(Math.abs(y))) / (3 - q));
    return x / den;
  }

  private wrap(v: number, i: number): number {
    const lo = this.box.lower[i]!;
    const w = this.range[i]!;
    if (!(w > 0)) return lo;
    let r = (((v - lo) % w) + w) % w;
    if (!Number.isFinite(r)) r = 0;
    r += lo;
    if (Math.abs(r - lo) < MIN_VISIT_BOUND) r += MIN_VISIT_BOUND;
    return r;
  }

  /**
   * The visiting point from x at chain step `step` (scipy's convention): steps < dim move every
   * coordinate, later steps move coordinate step − dim only. Writes into `out`.
   */
  visit(x: Float64Array, step: number, temperature: number, out: Float64Array): void {
    const n = x.length;
    const sigma = this.sigma(temperature);
    if (step < n) {
      for (let i = 0; i < n; i++) out[i] = this.draw(sigma);
      const upper = this.rng.uniform();
      const lower = this.rng.uniform();
      for (let i = 0; i < n; i++) {
        let v = out[i]!;
        if (v > TAIL_LIMIT) v = TAIL_LIMIT * upper;
        else if (v < -TAIL_LIMIT) v = -TAIL_LIMIT * lower;
        out[i] = this.wrap(v + x[i]!, i);
      }
    } else {
      out.set(x);
      let v = this.draw(sigma);
      if (v > TAIL_LIMIT) v = TAIL_LIMIT * this.rng.uniform();
      else if (v < -TAIL_LIMIT) v = -TAIL_LIMIT * this.rng.uniform();
      const i = step - n;
      out[i] = this.wrap(v + x[i]!, i);
    }
  }
}
