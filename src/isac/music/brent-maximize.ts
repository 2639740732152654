export interface ScalarMaximum {
  x: number;
  value: number;
  evaluations: number;
}

const GOLD = 0.3819660112501051; // (3 − √5)/2

/**
 * Brent's method (golden-section search with parabolic interpolation; Brent 1973, ch. 5) for the
 * maximum of f on [lo, hi]. Converges superlinearly on a smooth peak; stops when the bracket is
 * below 2·(tolRel·|x| + tolAbs) or after `maxIterations` evaluations.
 */
export function brentMaximize(
  f: (x: number) => number,
  lo: number,
  hi: number,
  tolAbs: number,
  maxIterations = 100,
  tolRel = 1e-12,
): ScalarMaximum {
  let a = Math.min(lo, hi);
  let b = Math.max(lo, hi);
  let x = a + GOLD * (b - a);
  let w = x;
  let v = x;
  let fx = -f(x);
  let fw = fx;
  let fv = fx;
  let d = 0;
  let e = 0;
  let evaluations = 1;
  while (evaluations < maxIterations) {
    const xm = 0.5 * (a + b);
    const tol1 = tolRel * Math.abs(x) + tolAbs;
    const tol2 = 2 * tol1;
    if (Math.abs(x - xm) <= tol2 - 0.5 * (b - a)) break;
    let golden = true;
    if (Math.abs(e) > tol1) {
      // parabola through x, w, v
      const r = (x - w) * (fx - fv);
      let q = (x - v) * (fx - fw);
      let p = (x - v) * q - (x - w) * r;
      q = 2 * (q - r);
      if (q > 0) p = -p;
      q = Math.abs(q);
      const eOld = e;
      e = d;
      if (Math.abs(p) < Math.abs(0.5 * q * eOld) && p > q * (a - x) && p < q * (b - x)) {
        d = p / q;
        const u = x + d;
        if (u - a < tol2 || b - u < tol2) d = xm >= x ? tol1 : -tol1;
        golden = false;
      }
    }
    if (golden) {
      e = x >= xm ? a - x : b - x;
      d = GOLD * e;
    }
    const u = Math.abs(d) >= tol1 ? x + d : x + (d > 0 ? tol1 : -tol1);
    const fu = -f(u);
    evaluations++;
    if (fu <= fx) {
      if (u >= x) a = x;
      else b = x;
      v = w;
      fv = fw;
      w = x;
      fw = fx;
      x = u;
      fx = fu;
    } else {
      if (u < x) a = u;
      else b = u;
      if (fu <= fw || w === x) {
        v = w;
        fv = fw;
        w = u;
        fw = fu;
      } else if (fu <= fv || v === x || v === w) {
        v = u;
        fv = fu;
      }
    }
  }
  return { x, value: -fx, evaluations };
}
