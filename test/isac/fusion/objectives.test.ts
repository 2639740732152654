import { describe, expect, it } from 'vitest';
import type { ApObservation, TargetObservation } from '../../../src/isac/association/types.js';
import { SPEED_OF_LIGHT } from '../../../src/isac/constants.js';
import { defaultScenario } from '../../../src/isac/default-scenario.js';
import {
  hornerAbs,
  hornerAbsDerivative,
  LocationObjective,
  VelocityObjective,
} from '../../../src/isac/fusion/index.js';
import { pairGeometry } from '../../../src/isac/geometry.js';
import type { Ap, SystemParams, Target, Vec2 } from '../../../src/isac/scenario-types.js';
import { angleSteering, delaySteering, dopplerSteering } from '../../../src/isac/steering.js';
import { Rng } from '../../../src/math/rng.js';

const sys: SystemParams = defaultScenario().system;
const aps: Ap[] = [
  { position: [0, 0], antennas: 8 },
  { position: [350, 0], antennas: 4 },
  { position: [0, 350], antennas: 12 },
  { position: [350, 350], antennas: 1 },
];

function randomFactor(rng: Rng, n: number): Float64Array {
  const x = new Float64Array(2 * n);
  rng.addComplexNormal(x, n, 1);
  return x;
}

/** An observation with arbitrary (random) factors: the objectives are checked as formulas. */
function randomObservation(rng: Rng): TargetObservation {
  const perAp: ApObservation[] = aps.map((a, l) => ({
    ap: l,
    component: 0,
    angleFactor: randomFactor(rng, a.antennas),
    delayFactor: randomFactor(rng, sys.subcarriers),
    dopplerFactor: randomFactor(rng, sys.symbols),
    amplitude: [1, 0],
    noiseVariance: 1,
    range: 0,
    delay: 0,
    sinAoa: 0,
    aoa: 0,
    doppler: 0,
  }));
  const w = [0.1, 0.2, 0.3, 0.4];
  return {
    perAp,
    weightsPaper: w,
    weightsSnr: w,
    weights: w,
    weightScheme: 'paper',
    fit: { position: [0, 0], velocity: [0, 0], cost: 0 },
  };
}

/** The factors of a noise-free echo of `t` in the CP scaling convention (src/isac/cp/types.ts). */
function noiseFreeObservation(t: Target, w: number[]): TargetObservation {
  const perAp: ApObservation[] = aps.map((a, l) => {
    const g = pairGeometry(a.position, t, sys);
    const d = new Float64Array(2 * sys.subcarriers);
    delaySteering(g.delay, sys.subcarrierSpacingHz, sys.subcarriers, d);
    const f = new Float64Array(2 * sys.symbols);
    dopplerSteering(g.doppler, sys.symbolDurationS, sys.symbols, f);
    const u = new Float64Array(2 * a.antennas);
    angleSteering(Math.sin(g.aoa), sys.antennaSpacingWavelengths, a.antennas, u);
    // remove the first element's phase and normalise (delay, Doppler); scale the angle factor
    const unit = (x: Float64Array, n: number) => {
      const c = x[0]!;
      const s = -x[1]!;
      for (let k = 0; k < n; k++) {
        const re = x[2 * k]!;
        const im = x[2 * k + 1]!;
        x[2 * k] = (re * c - im * s) / Math.sqrt(n);
        x[2 * k + 1] = (re * s + im * c) / Math.sqrt(n);
      }
    };
    unit(d, sys.subcarriers);
    unit(f, sys.symbols);
    for (let k = 0; k < 2 * a.antennas; k++) u[k] = 3.7 * u[k]!;
    return {
      ap: l,
      component: 0,
      angleFactor: u,
      delayFactor: d,
      dopplerFactor: f,
      amplitude: [1, 0],
      noiseVariance: 1,
      range: g.range,
      delay: g.delay,
      sinAoa: Math.sin(g.aoa),
      aoa: g.aoa,
      doppler: g.doppler,
    };
  });
  return {
    perAp,
    weightsPaper: w,
    weightsSnr: w,
    weights: w,
    weightScheme: 'paper',
    fit: { position: t.position, velocity: [0, 0], cost: 0 },
  };
}

/** |Σ_k x_k e^{jkφ}| with Math.cos/sin per term (k from 1). */
function directAbs(x: Float64Array, phi: number): number {
  let re = 0;
  let im = 0;
  for (let k = 0; k < x.length >> 1; k++) {
    const c = Math.cos((k + 1) * phi);
    const s = Math.sin((k + 1) * phi);
    re += x[2 * k]! * c - x[2 * k + 1]! * s;
    im += x[2 * k]! * s + x[2 * k + 1]! * c;
  }
  return Math.hypot(re, im);
}

function norm(x: Float64Array): number {
  let s = 0;
  for (const v of x) s += v * v;
  return Math.sqrt(s);
}

/** tr(|S̃F_d| + |K̃F_a|) of eq. (48) term by term with sin/cos: the reference for the Horner code. */
function directTrace(obs: TargetObservation, t: Vec2, balance: 'printed' | 'normalised' = 'printed'): number {
  let s = 0;
  obs.perAp.forEach((o, l) => {
    const c = aps[l]!.position;
    const r = Math.hypot(t[0] - c[0], t[1] - c[1]);
    const sinT = Math.sin(Math.atan2(t[1] - c[1], t[0] - c[0]));
    const na = o.angleFactor.length >> 1;
    const nc = o.delayFactor.length >> 1;
    const bd = balance === 'normalised' ? 1 / Math.sqrt(nc) : 1;
    const ba = balance === 'normalised' ? 1 / Math.sqrt(na) : 1;
    const delay = directAbs(o.delayFactor, (2 * Math.PI * sys.subcarrierSpacingHz * 2 * r) / SPEED_OF_LIGHT);
    const angle =
      directAbs(o.angleFactor, -2 * Math.PI * sys.antennaSpacingWavelengths * sinT) / norm(o.angleFactor);
    s += obs.weights[l]! * (bd * delay + ba * angle);
  });
  return s;
}

/** tr(|T̃E(v)|) of eq. (52) with T in the phase, term by term. */
function directVelocityTrace(obs: TargetObservation, p: Vec2, v: number, h: number): number {
  let s = 0;
  obs.perAp.forEach((o, l) => {
    const c = aps[l]!.position;
    const th = Math.atan2(p[1] - c[1], p[0] - c[0]);
    s +=
      obs.weights[l]! *
      directAbs(
        o.dopplerFactor,
        (2 * Math.PI * sys.symbolDurationS * 2 * sys.carrierHz * v * Math.cos(th - h)) / SPEED_OF_LIGHT,
      );
  });
  return s;
}

describe('Horner sums (horner.ts)', () => {
  it('match the direct sin/cos sums for every chain remainder, and the derivative matches finite differences', () => {
    const rng = new Rng(['horner']);
    const out = new Float64Array(2);
    for (const n of [1, 2, 3, 4, 5, 7, 8, 31, 128]) {
      const x = randomFactor(rng, n + 3);
      const sub = x.subarray(6); // offset 3
      for (const phi of [0, 0.3, -2.1, 3.1]) {
        const ref = directAbs(sub.subarray(0, 2 * n), phi);
        // |z| = 1: rounding grows like n·ε relative to Σ|x_k|
        expect(hornerAbs(x, 3, n, Math.cos(phi), Math.sin(phi))).toBeCloseTo(ref, 11);
        hornerAbsDerivative(x, 3, n, Math.cos(phi), Math.sin(phi), out);
        expect(out[0]).toBeCloseTo(ref, 11);
        const h = 1e-6;
        const fd =
          (directAbs(sub.subarray(0, 2 * n), phi + h) - directAbs(sub.subarray(0, 2 * n), phi - h)) / (2 * h);
        expect(Math.abs(out[1]! - fd)).toBeLessThan(1e-6 * Math.max(1, n * n));
      }
    }
  });
});

describe('LocationObjective (P3, eq. 48)', () => {
  it('value, population values and gradient against a direct sin/cos evaluation and central differences', () => {
    const rng = new Rng(['p3']);
    for (const balance of ['printed', 'normalised'] as const) {
      const obs = randomObservation(rng);
      const f = new LocationObjective(obs, aps, sys, obs.weights, balance);
      const pts: Vec2[] = [
        [150.3, 170.2],
        [200.9, 130.1],
        [10, 20],
        [349, 1],
      ];
      const xs = Float64Array.from(pts.flat());
      const vals = new Float64Array(pts.length);
      f.values(xs, pts.length, vals);
      pts.forEach((t, i) => {
        const tr = directTrace(obs, t, balance);
        expect(f.trace(t[0], t[1])).toBeCloseTo(tr, 10);
        expect(f.value(Float64Array.from(t))).toBeCloseTo(1 / tr, 12);
        expect(vals[i]).toBe(f.value(Float64Array.from(t)));
        const g = new Float64Array(2);
        expect(f.gradient(Float64Array.from(t), g)).toBeCloseTo(1 / tr, 12);
        // central differences of the direct 1/tr; step 1e-4 m is well inside the ≈39 m main lobe
        const h = 1e-4;
        for (let k = 0; k < 2; k++) {
          const a: Vec2 = [t[0], t[1]];
          const b: Vec2 = [t[0], t[1]];
          a[k] = a[k]! + h;
          b[k] = b[k]! - h;
          const fd = (1 / directTrace(obs, a, balance) - 1 / directTrace(obs, b, balance)) / (2 * h);
          expect(Math.abs(g[k]! - fd)).toBeLessThan(1e-6 * Math.abs(fd) + 1e-9);
        }
      });
    }
  });

  it("surrogate: 1/tr from the phase tables, within the tables' proven error of the exact 1/tr, built once", () => {
    const rng = new Rng(['p3-surrogate']);
    const obs = randomObservation(rng);
    const f = new LocationObjective(obs, aps, sys, obs.weights);
    const v = new VelocityObjective(obs, aps, sys, obs.weights, [170, 160]);
    for (const [obj, lo, hi] of [
      [f, [0, 0], [350, 350]],
      [v, [0, -Math.PI], [150, Math.PI]],
    ] as const) {
      const sur = obj.surrogate();
      expect(obj.surrogate()).toBe(sur);
      const err = obj.approximation().error;
      const xs = new Float64Array(2 * 200);
      for (let i = 0; i < 200; i++) {
        xs[2 * i] = lo[0] + (hi[0] - lo[0]) * rng.uniform();
        xs[2 * i + 1] = lo[1] + (hi[1] - lo[1]) * rng.uniform();
      }
      const out = new Float64Array(200);
      sur.values!(xs, 200, out);
      for (let i = 0; i < 200; i++) {
        const tr = obj.trace(xs[2 * i]!, xs[2 * i + 1]!);
        // |1/t̃ − 1/t| = |t − t̃| / (t t̃) <= err / (t (t − err))
        expect(Math.abs(out[i]! - 1 / tr)).toBeLessThanOrEqual(err / (tr * (tr - err)) + 1e-15);
        expect(sur.value(xs.subarray(2 * i, 2 * i + 2))).toBe(out[i]);
      }
    }
  });

  it('noise-free factors: the peak is at the target with tr = Σ w_l(√N_c + √N_A^l), the Cauchy-Schwarz bound', () => {
    const t: Target = { position: [170.37, 160.82], velocity: { speed: 100.3, heading: 0.6 } };
    const w = [0.25, 0.25, 0.25, 0.25];
    const obs = noiseFreeObservation(t, w);
    const f = new LocationObjective(obs, aps, sys, w);
    const peak = aps.reduce((s, a, l) => s + w[l]! * (Math.sqrt(sys.subcarriers) + Math.sqrt(a.antennas)), 0);
    expect(f.bound).toBeCloseTo(peak, 10);
    expect(f.trace(...t.position)).toBeCloseTo(peak, 9);
    const g = new Float64Array(2);
    f.gradient(Float64Array.from(t.position), g);
    // the gradient vanishes at the peak (relative to its size 1 m away)
    const g1 = new Float64Array(2);
    f.gradient(Float64Array.of(t.position[0] + 1, t.position[1]), g1);
    expect(Math.hypot(g[0]!, g[1]!)).toBeLessThan(1e-6 * Math.hypot(g1[0]!, g1[1]!));
    for (const d of [
      [0.5, 0],
      [0, -0.5],
      [3, 3],
    ] as const)
      expect(f.trace(t.position[0] + d[0], t.position[1] + d[1])).toBeLessThan(peak);
  });

  it('zero weights: tr = 0, the objective is +∞ (defined, not NaN) with a zero gradient', () => {
    const obs = randomObservation(new Rng(['zero']));
    const f = new LocationObjective(obs, aps, sys, [0, 0, 0, 0]);
    const g = Float64Array.of(9, 9);
    expect(f.value(Float64Array.of(100, 100))).toBe(Infinity);
    expect(f.gradient(Float64Array.of(100, 100), g)).toBe(Infinity);
    expect([...g]).toEqual([0, 0]);
    // at an AP position the angle is undefined: a defined value, finite gradient
    const h = new LocationObjective(obs, aps, sys, obs.weights);
    expect(Number.isFinite(h.gradient(Float64Array.of(0, 0), g))).toBe(true);
    expect(g.every(Number.isFinite)).toBe(true);
  });
});

describe('VelocityObjective (P4, eq. 52)', () => {
  it('value and gradient against a direct sin/cos evaluation and central differences', () => {
    const obs = randomObservation(new Rng(['p4']));
    const p: Vec2 = [160.2, 180.7];
    const f = new VelocityObjective(obs, aps, sys, obs.weights, p);
    for (const [v, h] of [
      [100, 0.6],
      [95.4, -2.5],
      [3, 3.1],
    ] as const) {
      const tr = directVelocityTrace(obs, p, v, h);
      expect(f.trace(v, h)).toBeCloseTo(tr, 10);
      const g = new Float64Array(2);
      expect(f.gradient(Float64Array.of(v, h), g)).toBeCloseTo(1 / tr, 12);
      const dv = 1e-5;
      const dh = 1e-7;
      const fdv =
        (1 / directVelocityTrace(obs, p, v + dv, h) - 1 / directVelocityTrace(obs, p, v - dv, h)) / (2 * dv);
      const fdh =
        (1 / directVelocityTrace(obs, p, v, h + dh) - 1 / directVelocityTrace(obs, p, v, h - dh)) / (2 * dh);
      expect(Math.abs(g[0]! - fdv)).toBeLessThan(1e-5 * Math.abs(fdv) + 1e-9);
      expect(Math.abs(g[1]! - fdh)).toBeLessThan(1e-5 * Math.abs(fdh) + 1e-9);
    }
  });

  it('noise-free factors, true location: peak Σ w_l √M at the true (speed, heading)', () => {
    const t: Target = { position: [170.37, 160.82], velocity: { speed: 100.3, heading: 0.6 } };
    const w = [0.1, 0.2, 0.3, 0.4];
    const obs = noiseFreeObservation(t, w);
    const f = new VelocityObjective(obs, aps, sys, w, t.position);
    const peak = Math.sqrt(sys.symbols);
    expect(f.bound).toBeCloseTo(peak, 10);
    expect(f.trace(100.3, 0.6)).toBeCloseTo(peak, 9);
    expect(f.trace(100.3 + 1, 0.6)).toBeLessThan(peak);
    expect(f.trace(100.3, 0.6 + 0.01)).toBeLessThan(peak);
    // (v, θ) and (−v, θ + π) are the same velocity
    expect(f.trace(-100.3, 0.6 + Math.PI)).toBeCloseTo(peak, 9);
  });
});
