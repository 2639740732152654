import { componentFactors, type CpDecomposition } from '../../../src/isac/cp/types.js';
import { pairGeometry } from '../../../src/isac/geometry.js';
import type { Ap, SystemParams, Target } from '../../../src/isac/scenario-types.js';
import { angleSteering, delaySteering, dopplerSteering } from '../../../src/isac/steering.js';

/** The factors the documented CP convention promises for one echo (src/isac/cp/types.ts). */
export interface ExpectedFactors {
  angle: Float64Array;
  delay: Float64Array;
  doppler: Float64Array;
}

/**
 * d = a_d(τ)·conj(a_d(τ)[1])/√N_c, f = a_f(f_D)·conj(a_f(f_D)[1])/√M,
 * u = √(N_c M)·α·a_d(τ)[1]·a_f(f_D)[1]·a_r(θ), built from the steering vectors of eqs. (2), (33), (34).
 */
export function expectedFactors(
  sys: SystemParams,
  ap: Ap,
  target: Target,
  alpha: [number, number],
): ExpectedFactors {
  const g = pairGeometry(ap.position, target, sys);
  const na = ap.antennas;
  const nc = sys.subcarriers;
  const m = sys.symbols;
  const ar = new Float64Array(2 * na);
  const ad = new Float64Array(2 * nc);
  const af = new Float64Array(2 * m);
  angleSteering(Math.sin(g.aoa), sys.antennaSpacingWavelengths, na, ar);
  delaySteering(g.delay, sys.subcarrierSpacingHz, nc, ad);
  dopplerSteering(g.doppler, sys.symbolDurationS, m, af);
  const delay = scaledByConjFirst(ad, nc, 1 / Math.sqrt(nc));
  const doppler = scaledByConjFirst(af, m, 1 / Math.sqrt(m));
  // s = √(N_c M) α a_d[1] a_f[1]
  const p1r = (ad[0] as number) * (af[0] as number) - (ad[1] as number) * (af[1] as number);
  const p1i = (ad[0] as number) * (af[1] as number) + (ad[1] as number) * (af[0] as number);
  const sr = Math.sqrt(nc * m) * (alpha[0] * p1r - alpha[1] * p1i);
  const si = Math.sqrt(nc * m) * (alpha[0] * p1i + alpha[1] * p1r);
  const angle = new Float64Array(2 * na);
  for (let p = 0; p < na; p++) {
    angle[2 * p] = sr * (ar[2 * p] as number) - si * (ar[2 * p + 1] as number);
    angle[2 * p + 1] = sr * (ar[2 * p + 1] as number) + si * (ar[2 * p] as number);
  }
  return { angle, delay, doppler };
}

function scaledByConjFirst(x: Float64Array, n: number, s: number): Float64Array {
  const out = new Float64Array(2 * n);
  const cr = x[0] as number;
  const ci = -(x[1] as number);
  for (let i = 0; i < n; i++) {
    const xr = x[2 * i] as number;
    const xi = x[2 * i + 1] as number;
    out[2 * i] = s * (xr * cr - xi * ci);
    out[2 * i + 1] = s * (xr * ci + xi * cr);
  }
  return out;
}

/** ||x − y|| for complex vectors of equal length. */
export function distance(x: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let k = 0; k < x.length; k++) s += ((x[k] as number) - (y[k] as number)) ** 2;
  return Math.sqrt(s);
}

export function norm(x: Float64Array): number {
  let s = 0;
  for (let k = 0; k < x.length; k++) s += (x[k] as number) ** 2;
  return Math.sqrt(s);
}

/** |xᴴ y| */
export function absInner(x: Float64Array, y: Float64Array): number {
  let re = 0;
  let im = 0;
  for (let k = 0; k < x.length; k += 2) {
    re += (x[k] as number) * (y[k] as number) + (x[k + 1] as number) * (y[k + 1] as number);
    im += (x[k] as number) * (y[k + 1] as number) - (x[k + 1] as number) * (y[k] as number);
  }
  return Math.hypot(re, im);
}

/**
 * Matches each expected echo to the component whose delay and Doppler factors correlate best with it
 * (greedy on |d_rᴴ d| |f_rᴴ f|, best pairs first). Returns component index per echo.
 */
export function matchComponents(d: CpDecomposition, expected: readonly ExpectedFactors[]): number[] {
  const pairs: Array<{ r: number; u: number; score: number }> = [];
  for (let r = 0; r < d.rank; r++) {
    const f = componentFactors(d, r);
    expected.forEach((e, u) =>
      pairs.push({ r, u, score: absInner(f.delay, e.delay) * absInner(f.doppler, e.doppler) }),
    );
  }
  pairs.sort((a, b) => b.score - a.score);
  const out = new Array<number>(expected.length).fill(-1);
  const used = new Set<number>();
  for (const p of pairs) {
    if (out[p.u] !== -1 || used.has(p.r)) continue;
    out[p.u] = p.r;
    used.add(p.r);
  }
  return out;
}

/** Every number in a decomposition is finite (no NaN, no ±∞). */
export function allFinite(d: CpDecomposition): boolean {
  const arrays = [d.angle, d.delay, d.doppler];
  const nums = [
    d.noiseVariance,
    d.relativeFitError,
    d.degeneracy,
    d.maxCongruence,
    d.iterations,
    d.finishIterations,
  ];
  return arrays.every((a) => a.every((v) => Number.isFinite(v))) && nums.every((v) => Number.isFinite(v));
}
