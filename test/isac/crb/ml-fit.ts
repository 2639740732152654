/**
 * Test helper: maximum-likelihood fit of one target's (x, y, v, θ_u) and the per-AP complex
 * amplitudes to explicit echoes, independent of the CRB code. The model is the echo model of
 * src/isac/echo-model.ts (addTargetEcho); its derivatives are central finite differences of that
 * model; the amplitudes are concentrated out (variable projection, α̂_l = a_lᴴ y_l / ||a_l||²) and
 * the four real parameters follow Gauss-Newton (Kaufman's Jacobian). A stationary point of this
 * iteration is a stationary point of the concentrated likelihood, so started from the truth at
 * high SNR it converges to the ML estimate.
 */
import { Matrix, solve } from 'ml-matrix';
import { czeros } from '../../../src/math/complex.js';
import { addTargetEcho, type EchoTensor } from '../../../src/isac/echo-model.js';
import type { Ap, SystemParams, Target } from '../../../src/isac/scenario-types.js';

export type Params4 = [number, number, number, number];

const STEPS: Params4 = [1e-3, 1e-3, 1e-3, 1e-5]; // m, m, m/s, rad: central-difference steps

function toTarget(p: Params4): Target {
  return { position: [p[0], p[1]], velocity: { speed: p[2], heading: p[3] } };
}

export class MlFitter {
  private readonly a: EchoTensor[];
  private readonly dPlus: EchoTensor;
  private readonly dMinus: EchoTensor;
  private readonly d: Float64Array[];
  private readonly scratch: Float64Array;

  constructor(
    private readonly sys: SystemParams,
    private readonly aps: readonly Ap[],
  ) {
    const mk = (na: number): EchoTensor => ({
      na,
      nc: sys.subcarriers,
      m: sys.symbols,
      data: czeros(na * sys.subcarriers * sys.symbols),
      noiseVariance: 1,
    });
    this.a = aps.map((ap) => mk(ap.antennas));
    const maxNa = Math.max(...aps.map((ap) => ap.antennas));
    this.dPlus = mk(maxNa);
    this.dMinus = mk(maxNa);
    this.d = [0, 1, 2, 3].map(() => czeros(maxNa * sys.subcarriers * sys.symbols));
    this.scratch = czeros(maxNa + sys.subcarriers + sys.symbols);
  }

  /** Gauss-Newton from `start`; returns the estimate of (x, y, v, θ_u). */
  fit(ys: readonly Float64Array[], start: Params4, iterations = 6): Params4 {
    const p: Params4 = [...start];
    for (let it = 0; it < iterations; it++) {
      const A = Matrix.zeros(4, 4);
      const b = Matrix.zeros(4, 1);
      this.aps.forEach((ap, l) => {
        const y = ys[l] as Float64Array;
        const a = this.a[l] as EchoTensor;
        const n = ap.antennas * this.sys.subcarriers * this.sys.symbols;
        a.data.fill(0);
        addTargetEcho(a, this.sys, ap, toTarget(p), 1, 0, this.scratch);
        // α̂ = aᴴ y / ||a||²
        let nr = 0;
        let ar = 0;
        let ai = 0;
        for (let k = 0; k < 2 * n; k += 2) {
          const xr = a.data[k] as number;
          const xi = a.data[k + 1] as number;
          nr += xr * xr + xi * xi;
          ar += xr * (y[k] as number) + xi * (y[k + 1] as number);
          ai += xr * (y[k + 1] as number) - xi * (y[k] as number);
        }
        ar /= nr;
        ai /= nr;
        // derivative columns d_k = ∂(α̂ a)/∂p_k (central differences)
        for (let j = 0; j < 4; j++) {
          const h = STEPS[j] as number;
          const pp: Params4 = [...p];
          const pm: Params4 = [...p];
          pp[j] = (pp[j] as number) + h;
          pm[j] = (pm[j] as number) - h;
          const tp = { ...this.dPlus, na: ap.antennas };
          const tm = { ...this.dMinus, na: ap.antennas };
          tp.data.fill(0);
          tm.data.fill(0);
          addTargetEcho(tp, this.sys, ap, toTarget(pp), ar, ai, this.scratch);
          addTargetEcho(tm, this.sys, ap, toTarget(pm), ar, ai, this.scratch);
          const dj = this.d[j] as Float64Array;
          for (let k = 0; k < 2 * n; k++) dj[k] = ((tp.data[k] as number) - (tm.data[k] as number)) / (2 * h);
          // project out a: d ← d − a (aᴴ d)/||a||²
          let cr = 0;
          let ci = 0;
          for (let k = 0; k < 2 * n; k += 2) {
            const xr = a.data[k] as number;
            const xi = a.data[k + 1] as number;
            cr += xr * (dj[k] as number) + xi * (dj[k + 1] as number);
            ci += xr * (dj[k + 1] as number) - xi * (dj[k] as number);
          }
          cr /= nr;
          ci /= nr;
          for (let k = 0; k < 2 * n; k += 2) {
            const xr = a.data[k] as number;
            const xi = a.data[k + 1] as number;
            dj[k] = (dj[k] as number) - (xr * cr - xi * ci);
            dj[k + 1] = (dj[k + 1] as number) - (xr * ci + xi * cr);
          }
        }
        // normal equations: A += Re(Dᴴ D), b += Re(Dᴴ r), r = y − α̂ a
        for (let i = 0; i < 4; i++) {
          const di = this.d[i] as Float64Array;
          let bi = 0;
          for (let k = 0; k < 2 * n; k += 2) {
            const rr = (y[k] as number) - ((a.data[k] as number) * ar - (a.data[k + 1] as number) * ai);
            const ri = (y[k + 1] as number) - ((a.data[k] as number) * ai + (a.data[k + 1] as number) * ar);
            bi += (di[k] as number) * rr + (di[k + 1] as number) * ri;
          }
          b.set(i, 0, b.get(i, 0) + bi);
          for (let j = 0; j <= i; j++) {
            const dj = this.d[j] as Float64Array;
            let s = 0;
            for (let k = 0; k < 2 * n; k++) s += (di[k] as number) * (dj[k] as number);
            A.set(i, j, A.get(i, j) + s);
            if (j !== i) A.set(j, i, A.get(j, i) + s);
          }
        }
      });
      const delta = solve(A, b);
      for (let j = 0; j < 4; j++) p[j] = (p[j] as number) + delta.get(j, 0);
    }
    return p;
  }
}
