/**
 * A function of the step length along a search direction: φ(α) = f(x + α d) and φ'(α) = ∇f·d.
 * `dphi(α)` is only called right after `phi(α)` for the same α.
 */
export interface LineFunction {
  phi(alpha: number): number;
  dphi(alpha: number): number;
}

export interface LineSearchResult {
  ok: boolean;
  alpha: number;
  /** φ(alpha) */
  value: number;
  /** the step stopped at alpha = amax (a bound) while φ was still decreasing */
  atBound: boolean;
}

export interface WolfeOptions {
  /** sufficient decrease constant (Armijo) */
  c1: number;
  /** curvature constant of the strong Wolfe condition */
  c2: number;
  /** bracketing steps before giving up */
  maxIterations: number;
  /** zoom steps before giving up */
  maxZoom: number;
}

export const WOLFE_DEFAULTS: WolfeOptions = { c1: 1e-4, c2: 0.9, maxIterations: 30, maxZoom: 30 };

/**
 * Line search for the strong Wolfe conditions (Nocedal & Wright, Algorithms 3.5 and 3.6;
 * the bracketing/zoom logic and safeguarded cubic/quadratic interpolation follow
 * scipy.optimize's scalar_search_wolfe2):
 *
 *   φ(α) <= φ(0) + c1 α φ'(0)   and   |φ'(α)| <= c2 |φ'(0)|.
 *
 * The step is capped at `amax` (the distance to the box boundary along d): when φ is still
 * decreasing at amax with sufficient decrease, amax is accepted (`atBound`), since the
 * constraint, not the curvature, stops the step. Needs φ'(0) < 0.
 */
export function strongWolfe(
  fn: LineFunction,
  phi0: number,
  dphi0: number,
  alphaInit: number,
  amax: number,
  opts: WolfeOptions = WOLFE_DEFAULTS,
): LineSearchResult {
  const { c1, c2 } = opts;
  const fail: LineSearchResult = { ok: false, alpha: 0, value: phi0, atBound: false };
  if (!(dphi0 < 0) || !(amax > 0)) return fail;
  let a0 = 0;
  let phiA0 = phi0;
  let dphiA0 = dphi0;
  let a1 = Math.min(alphaInit > 0 ? alphaInit : 1, amax);
  let phiA1 = fn.phi(a1);
  for (let i = 0; i < opts.maxIterations; i++) {
    if (!(a1 > 0)) return fail;
    if (phiA1 > phi0 + c1 * a1 * dphi0 || (i > 0 && phiA1 >= phiA0) || !Number.isFinite(phiA1)) {
      return zoom(fn, a0, a1, phiA0, phiA1, dphiA0, phi0, dphi0, opts);
    }
    const dphiA1 = fn.dphi(a1);
    if (Math.abs(dphiA1) <= -c2 * dphi0) return { ok: true, alpha: a1, value: phiA1, atBound: false };
    if (dphiA1 >= 0) return zoom(fn, a1, a0, phiA1, phiA0, dphiA1, phi0, dphi0, opts);
    if (a1 >= amax) return { ok: true, alpha: a1, value: phiA1, atBound: true };
    const a2 = Math.min(2 * a1, amax);
    a0 = a1;
    phiA0 = phiA1;
    dphiA0 = dphiA1;
    a1 = a2;
    phiA1 = fn.phi(a1);
  }
  // still decreasing after maxIterations doublings: a0 satisfies sufficient decrease
  return a0 > 0 ? { ok: true, alpha: a0, value: phiA0, atBound: false } : fail;
}

function zoom(
  fn: LineFunction,
  aLoIn: number,
  aHiIn: number,
  phiLoIn: number,
  phiHiIn: number,
  dphiLoIn: number,
  phi0: number,
  dphi0: number,
  opts: WolfeOptions,
): LineSearchResult {
  const { c1, c2 } = opts;
  let aLo = aLoIn;
  let aHi = aHiIn;
  let phiLo = phiLoIn;
  let phiHi = phiHiIn;
  let dphiLo = dphiLoIn;
  let aRec = 0;
  let phiRec = phi0;
  for (let i = 0; i < opts.maxZoom; i++) {
    const dalpha = aHi - aLo;
    const a = dalpha < 0 ? aHi : aLo;
    const b = dalpha < 0 ? aLo : aHi;
    let aj = NaN;
    if (i > 0) {
      const cchk = 0.2 * dalpha;
      aj = cubicMin(aLo, phiLo, dphiLo, aHi, phiHi, aRec, phiRec);
      if (Number.isNaN(aj) || aj > b - Math.abs(cchk) || aj < a + Math.abs(cchk)) aj = NaN;
    }
    if (Number.isNaN(aj)) {
      const qchk = Math.abs(0.1 * dalpha);
      aj = quadMin(aLo, phiLo, dphiLo, aHi, phiHi);
      if (Number.isNaN(aj) || aj > b - qchk || aj < a + qchk) aj = aLo + 0.5 * dalpha;
    }
    if (aj === aLo || aj === aHi) break; // interval below floating-point resolution
    const phiJ = fn.phi(aj);
    if (phiJ > phi0 + c1 * aj * dphi0 || phiJ >= phiLo || !Number.isFinite(phiJ)) {
      aRec = aHi;
      phiRec = phiHi;
      aHi = aj;
      phiHi = phiJ;
    } else {
      const dphiJ = fn.dphi(aj);
      if (Math.abs(dphiJ) <= -c2 * dphi0) return { ok: true, alpha: aj, value: phiJ, atBound: false };
      if (dphiJ * (aHi - aLo) >= 0) {
        aRec = aHi;
        phiRec = phiHi;
        aHi = aLo;
        phiHi = phiLo;
      } else {
        aRec = aLo;
        phiRec = phiLo;
      }
      aLo = aj;
      phiLo = phiJ;
      dphiLo = dphiJ;
    }
  }
  // no point met the curvature condition; aLo (if > 0) still has sufficient decrease
  if (aLo > 0 && phiLo < phi0) return { ok: true, alpha: aLo, value: phiLo, atBound: false };
  return { ok: false, alpha: 0, value: phi0, atBound: false };
}

/** Minimiser of the cubic through (a, fa) with slope fpa at a, (b, fb), (c, fc); NaN if none. */
function cubicMin(a: number, fa: number, fpa: number, b: number, fb: number, c: number, fc: number): number {
  const C = fpa;
  const db = b - a;
  const dc = c - a;
  const denom = (db * dc) ** 2 * (db - dc);
  if (denom === 0) return NaN;
  const r1 = fb - fa - C * db;
  const r2 = fc - fa - C * dc;
  const A = (dc * dc * r1 - db * db * r2) / denom;
  const B = (-dc * dc * dc * r1 + db * db * db * r2) / denom;
  const radical = B * B - 3 * A * C;
  if (radical < 0 || A === 0) return NaN;
  const x = a + (-B + Math.sqrt(radical)) / (3 * A);
  return Number.isFinite(x) ? x : NaN;
}

/** Minimiser of the quadratic through (a, fa) with slope fpa at a and (b, fb); NaN if none. */
function quadMin(a: number, fa: number, fpa: number, b: number, fb: number): number {
  const db = b - a;
  if (db === 0) return NaN;
  const B = (fb - fa - fpa * db) / (db * db);
  if (!(B > 0)) return NaN; // no minimum (line or concave parabola)
  const x = a - fpa / (2 * B);
  return Number.isFinite(x) ? x : NaN;
}
