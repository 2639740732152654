import { SPEED_OF_LIGHT } from '../constants.js';
import type { Vec2 } from '../scenario-types.js';

/** What one AP measured for one CP component (music/component-parameters.ts). */
export interface ApMeasurement {
  /** m */
  range: number;
  /** sin θ (the ULA's measurement; θ from +x, array axis along y) */
  sinAoa: number;
  /** false for a one-antenna AP: the angle residual is left out */
  angleKnown: boolean;
  /** Hz */
  doppler: number;
}

/** An AP as the association sees it: its position and the resolution cells that scale residuals. */
export interface ApSite {
  position: Vec2;
  /** range cell c / (2 N_c Δf), m */
  rangeCell: number;
  /** sin θ cell 1 / (κ N_A) */
  sinCell: number;
  /** Doppler cell 1 / (M T), Hz */
  dopplerCell: number;
}

/** Per-target least-squares fit to one measurement per AP. */
export interface TargetFit {
  position: Vec2;
  /** Cartesian velocity (v cos θ_u, v sin θ_u), m/s; (0, 0) when Doppler is not used */
  velocity: Vec2;
  /** Σ over APs of squared residuals in resolution cells (range, sin θ, Doppler) */
  cost: number;
}

export interface FitOptions {
  /** include the Doppler residuals (adds the velocity as two unknowns, linear given the position) */
  useDoppler: boolean;
  /** f_c, Hz */
  carrierHz: number;
}

/**
 * The association criterion (model notes): how consistent one measurement per AP is with a single
 * point target. Minimises over position p (and velocity v when Doppler is used)
 *   Σ_l ((|p − c_l| − r_l)/δr)² + ((sin θ_l(p) − s_l)/δs_l)² + ((f_l(p, v) − f̂_l)/δf)²,
 * f_l = −(2f_c/c)(v_x cos θ_l + v_y sin θ_l) (eq. 1), residuals in resolution cells (which makes the
 * three kinds comparable: their CRB standard deviations are about the same fraction of a cell).
 * Start: the best of the 2L points c_l + r_l (±cos θ_l, sin θ_l) (with v by linear least squares),
 * then Levenberg-Marquardt on the 2 or 4 unknowns with the analytic Jacobian. No allocation per fit
 * beyond the returned object.
 */
export class TargetFitter {
  private readonly k: number;
  private readonly nres: number;
  private readonly np: number;
  private readonly res: Float64Array;
  private readonly jac: Float64Array;
  private readonly x: Float64Array;
  private readonly xt: Float64Array;
  private readonly h: Float64Array;
  private readonly gr: Float64Array;
  private readonly step: Float64Array;
  private readonly aug: Float64Array;

  constructor(
    readonly sites: readonly ApSite[],
    readonly opts: FitOptions,
  ) {
    this.k = (2 * opts.carrierHz) / SPEED_OF_LIGHT;
    this.nres = 3 * sites.length;
    this.np = opts.useDoppler ? 4 : 2;
    this.res = new Float64Array(this.nres);
    this.jac = new Float64Array(this.nres * 4);
    this.x = new Float64Array(4);
    this.xt = new Float64Array(4);
    this.h = new Float64Array(16);
    this.gr = new Float64Array(4);
    this.step = new Float64Array(4);
    this.aug = new Float64Array(20);
  }

  /** Fit one target to `meas[l]` (one measurement per AP, in site order). */
  fit(meas: readonly ApMeasurement[]): TargetFit {
    const x = this.x;
    let best = Infinity;
    let bx = 0;
    let by = 0;
    for (let l = 0; l < this.sites.length; l++) {
      const mm = meas[l] as ApMeasurement;
      const c = (this.sites[l] as ApSite).position;
      const s = mm.angleKnown ? Math.max(-1, Math.min(1, mm.sinAoa)) : 0;
      const co = Math.sqrt(1 - s * s);
      for (let sign = 1; sign >= -1; sign -= 2) {
        x[0] = c[0] + mm.range * sign * co;
        x[1] = c[1] + mm.range * s;
        this.velocityLs(meas);
        const f = this.residuals(meas, x, false);
        if (f < best) {
          best = f;
          bx = x[0];
          by = x[1];
        }
      }
    }
    x[0] = bx;
    x[1] = by;
    this.velocityLs(meas);
    const cost = this.levenbergMarquardt(meas);
    return {
      position: [x[0], x[1]],
      velocity: this.opts.useDoppler ? [x[2] as number, x[3] as number] : [0, 0],
      cost,
    };
  }

  /**
   * Squared residual (in cells) of AP l's measurement `m` against a target at `position` moving with
   * `velocity`; the Doppler term only when `withDoppler` (default: the fitter's useDoppler).
   */
  apCost(
    l: number,
    m: ApMeasurement,
    position: Vec2,
    velocity: Vec2,
    withDoppler = this.opts.useDoppler,
  ): number {
    const site = this.sites[l] as ApSite;
    const dx = position[0] - site.position[0];
    const dy = position[1] - site.position[1];
    const d = Math.max(Math.sqrt(dx * dx + dy * dy), 1e-9);
    const ux = dx / d;
    const uy = dy / d;
    let c = ((d - m.range) / site.rangeCell) ** 2;
    if (m.angleKnown) c += ((uy - m.sinAoa) / site.sinCell) ** 2;
    if (withDoppler)
      c += ((-this.k * (velocity[0] * ux + velocity[1] * uy) - m.doppler) / site.dopplerCell) ** 2;
    return c;
  }

  /** v = argmin of the Doppler residuals at the position in x[0..1] (2 x 2 normal equations). */
  private velocityLs(meas: readonly ApMeasurement[]): void {
    const x = this.x;
    if (!this.opts.useDoppler) {
      x[2] = 0;
      x[3] = 0;
      return;
    }
    let a11 = 0;
    let a12 = 0;
    let a22 = 0;
    let b1 = 0;
    let b2 = 0;
    for (let l = 0; l < this.sites.length; l++) {
      const site = this.sites[l] as ApSite;
      const dx = (x[0] as number) - site.position[0];
      const dy = (x[1] as number) - site.position[1];
      const d = Math.max(Math.sqrt(dx * dx + dy * dy), 1e-9);
      const w = 1 / site.dopplerCell ** 2;
      const gx = (-this.k * dx) / d;
      const gy = (-this.k * dy) / d;
      const f = (meas[l] as ApMeasurement).doppler;
      a11 += w * gx * gx;
      a12 += w * gx * gy;
      a22 += w * gy * gy;
      b1 += w * gx * f;
      b2 += w * gy * f;
    }
    const ridge = 1e-12 * (a11 + a22) + 1e-300;
    a11 += ridge;
    a22 += ridge;
    const det = a11 * a22 - a12 * a12;
    x[2] = (a22 * b1 - a12 * b2) / det;
    x[3] = (a11 * b2 - a12 * b1) / det;
  }

  /** Residuals (and the Jacobian when `withJac`) at p; returns the cost Σ res². */
  private residuals(meas: readonly ApMeasurement[], p: Float64Array, withJac: boolean): number {
    const { res, jac, k } = this;
    const px = p[0] as number;
    const py = p[1] as number;
    const vx = p[2] as number;
    const vy = p[3] as number;
    let cost = 0;
    for (let l = 0; l < this.sites.length; l++) {
      const site = this.sites[l] as ApSite;
      const mm = meas[l] as ApMeasurement;
      const dx = px - site.position[0];
      const dy = py - site.position[1];
      const d = Math.max(Math.sqrt(dx * dx + dy * dy), 1e-9);
      const ux = dx / d;
      const uy = dy / d;
      const i = 3 * l;
      res[i] = (d - mm.range) / site.rangeCell;
      res[i + 1] = mm.angleKnown ? (uy - mm.sinAoa) / site.sinCell : 0;
      res[i + 2] = this.opts.useDoppler ? (-k * (vx * ux + vy * uy) - mm.doppler) / site.dopplerCell : 0;
      cost += (res[i] as number) ** 2 + (res[i + 1] as number) ** 2 + (res[i + 2] as number) ** 2;
      if (!withJac) continue;
      // rows i, i + 1, i + 2 of the Jacobian (4 columns each; every entry written, no fill call)
      const j = 4 * i;
      jac[j] = ux / site.rangeCell;
      jac[j + 1] = uy / site.rangeCell;
      jac[j + 2] = 0;
      jac[j + 3] = 0;
      if (mm.angleKnown) {
        // ∂uy/∂x = −ux uy/d, ∂uy/∂y = ux²/d
        jac[j + 4] = (-ux * uy) / d / site.sinCell;
        jac[j + 5] = (ux * ux) / d / site.sinCell;
      } else {
        jac[j + 4] = 0;
        jac[j + 5] = 0;
      }
      jac[j + 6] = 0;
      jac[j + 7] = 0;
      if (this.opts.useDoppler) {
        // ∂ux/∂x = uy²/d, ∂ux/∂y = −ux uy/d
        const s = -k / site.dopplerCell;
        jac[j + 8] = (s * (vx * uy * uy - vy * ux * uy)) / d;
        jac[j + 9] = (s * (-vx * ux * uy + vy * ux * ux)) / d;
        jac[j + 10] = s * ux;
        jac[j + 11] = s * uy;
      } else {
        jac[j + 8] = 0;
        jac[j + 9] = 0;
        jac[j + 10] = 0;
        jac[j + 11] = 0;
      }
    }
    return cost;
  }

  /** LM on x (2 or 4 unknowns) from its current value; returns the final cost. */
  private levenbergMarquardt(meas: readonly ApMeasurement[]): number {
    const { np, nres, res, jac, x, xt, h, gr, step } = this;
    let cost = this.residuals(meas, x, true);
    let lambda = 1e-3;
    for (let it = 0; it < 50; it++) {
      normalEquations(jac, res, nres, np, h, gr);
      let improved = false;
      while (lambda < 1e12) {
        if (!solveDamped(h, gr, np, lambda, step, this.aug)) {
          lambda *= 10;
          continue;
        }
        for (let a = 0; a < 4; a++) xt[a] = (x[a] as number) - (a < np ? (step[a] as number) : 0);
        // with the Jacobian: an accepted trial is the next point as it is (res and jac are read only
        // there; a rejected one is overwritten by the next trial)
        const ct = this.residuals(meas, xt, true);
        if (ct < cost) {
          const rel = (cost - ct) / Math.max(cost, 1e-300);
          x.set(xt);
          cost = ct;
          lambda = Math.max(lambda / 10, 1e-12);
          improved = rel > 1e-12;
          break;
        }
        lambda *= 10;
      }
      if (!improved) break;
    }
    return cost;
  }
}

/**
 * H = JᵀJ (4 x 4 storage, n x n used) and g = Jᵀr of the n <= 4 unknowns (Jacobian rows of 4). For
 * n = 4 the 10 distinct sums and g are kept in registers (the values of the plain loop, bit for bit:
 * the same products added in the same order, and ja·jb = jb·ja).
 */
function normalEquations(
  jac: Float64Array,
  res: Float64Array,
  nres: number,
  n: number,
  h: Float64Array,
  g: Float64Array,
): void {
  if (n === 4) {
    let h00 = 0,
      h01 = 0,
      h02 = 0,
      h03 = 0,
      h11 = 0,
      h12 = 0,
      h13 = 0,
      h22 = 0,
      h23 = 0,
      h33 = 0,
      g0 = 0,
      g1 = 0,
      g2 = 0,
      g3 = 0;
    for (let i = 0; i < nres; i++) {
      const r = res[i] as number;
      const o = 4 * i;
      const j0 = jac[o] as number;
      const j1 = jac[o + 1] as number;
      const j2 = jac[o + 2] as number;
      const j3 = jac[o + 3] as number;
      g0 += j0 * r;
      h00 += j0 * j0;
      h01 += j0 * j1;
      h02 += j0 * j2;
      h03 += j0 * j3;
      g1 += j1 * r;
      h11 += j1 * j1;
      h12 += j1 * j2;
      h13 += j1 * j3;
      g2 += j2 * r;
      h22 += j2 * j2;
      h23 += j2 * j3;
      g3 += j3 * r;
      h33 += j3 * j3;
    }
    h[0] = h00;
    h[1] = h01;
    h[2] = h02;
    h[3] = h03;
    h[4] = h01;
    h[5] = h11;
    h[6] = h12;
    h[7] = h13;
    h[8] = h02;
    h[9] = h12;
    h[10] = h22;
    h[11] = h23;
    h[12] = h03;
    h[13] = h13;
    h[14] = h23;
    h[15] = h33;
    g[0] = g0;
    g[1] = g1;
    g[2] = g2;
    g[3] = g3;
    return;
  }
  h.fill(0);
  g.fill(0);
  for (let i = 0; i < nres; i++) {
    const r = res[i] as number;
    for (let a = 0; a < n; a++) {
      const ja = jac[4 * i + a] as number;
      g[a] = (g[a] as number) + ja * r;
      for (let b = 0; b < n; b++) h[4 * a + b] = (h[4 * a + b] as number) + ja * (jac[4 * i + b] as number);
    }
  }
}

/** Solves (H + λ diag(H) + λ·1e-9 tr(H)/n I) s = g for n <= 4 by Gaussian elimination (`a`: 20 scratch); false if singular. */
function solveDamped(
  h: Float64Array,
  g: Float64Array,
  n: number,
  lambda: number,
  s: Float64Array,
  a: Float64Array,
): boolean {
  let tr = 0;
  for (let i = 0; i < n; i++) tr += h[4 * i + i] as number;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) a[5 * i + j] = h[4 * i + j] as number;
    a[5 * i + i] = (a[5 * i + i] as number) * (1 + lambda) + (lambda * 1e-9 * tr) / n + 1e-300;
    a[5 * i + 4] = g[i] as number;
  }
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++)
      if (Math.abs(a[5 * r + c] as number) > Math.abs(a[5 * piv + c] as number)) piv = r;
    if (!(Math.abs(a[5 * piv + c] as number) > 0)) return false;
    if (piv !== c) {
      for (let j = 0; j < 5; j++) {
        const t = a[5 * c + j] as number;
        a[5 * c + j] = a[5 * piv + j] as number;
        a[5 * piv + j] = t;
      }
    }
    for (let r = c + 1; r < n; r++) {
      const f = (a[5 * r + c] as number) / (a[5 * c + c] as number);
      for (let j = c; j < 5; j++) a[5 * r + j] = (a[5 * r + j] as number) - f * (a[5 * c + j] as number);
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    let v = a[5 * i + 4] as number;
    for (let j = i + 1; j < n; j++) v -= (a[5 * i + j] as number) * (s[j] as number);
    s[i] = v / (a[5 * i + i] as number);
  }
  for (let i = 0; i < n; i++) if (!Number.isFinite(s[i] as number)) return false;
  return true;
}
