import { describe, expect, it } from 'vitest';
import { crbTargets, isSingular, jointCrbTargets, type CrbBound } from '../../../src/isac/crb/index.js';
import { derivativeScales } from '../../../src/isac/crb/joint-gram.js';
import { defaultScenario } from '../../../src/isac/default-scenario.js';
import { synthesizeEcho, type EchoTensor } from '../../../src/isac/echo-model.js';
import { projectEcho } from '../../../src/isac/joint/contraction.js';
import { glrtThreshold, gammaTail } from '../../../src/isac/joint/glrt.js';
import { jointMl, type JointMlOptions } from '../../../src/isac/joint/joint-ml.js';
import { JointRefiner } from '../../../src/isac/joint/joint-refine.js';
import type { Ap, SystemParams, Target } from '../../../src/isac/scenario-types.js';
import { Rng } from '../../../src/math/rng.js';
import {
  fuseFrame,
  fusionRegistry,
  observedFrame,
  scenarioOf,
  targetErrors,
  THREE_RANDOM,
} from '../fusion/chain.js';

const sc = defaultScenario();
const truth = sc.targets as Target[];

function psiOf(ts: readonly Target[]): Float64Array {
  return Float64Array.from(
    ts.flatMap((t) => [t.position[0], t.position[1], t.velocity.speed, t.velocity.heading]),
  );
}

function frame(
  sys: SystemParams,
  aps: readonly Ap[],
  ts: readonly Target[],
  db: number,
  rng: Rng,
  noise = true,
): { echoes: EchoTensor[]; phases: number[][] } {
  const snr = { ...sc.snr, db };
  const out = aps.map((ap, l) => synthesizeEcho(sys, ap, ts, snr, rng.fork('ap', l), { noise }));
  return {
    echoes: out.map((o) => o.tensor),
    phases: out.map((o) => ts.map((_, u) => Math.atan2(o.amplitudes[2 * u + 1]!, o.amplitudes[2 * u]!))),
  };
}

function bound(r: ReturnType<typeof crbTargets>[number] | undefined): CrbBound {
  if (r === undefined || isSingular(r)) throw new Error('singular');
  return r;
}

const options = (count: number, order: 'known' | 'glrt' = 'known'): JointMlOptions => ({
  order,
  count,
  pfa: 1e-3,
  box: { lower: [125, 125], upper: [225, 225] },
  speedMax: 150,
  gridM: 2,
  cyclicSweeps: 1,
  cyclicSteps: 3,
  polishSteps: 6,
  mapRounds: 4,
  marginM: 25,
  misfitZ: 6,
  swapDistanceM: 30,
});

describe('joint-ml building blocks', () => {
  it('projectEcho equals the explicit inner products ⟨[s, ∂τ s, ∂sinθ s, ∂fD s], Y⟩ (1e-10 relative)', () => {
    const sys: SystemParams = { ...sc.system, subcarriers: 16, symbols: 8 };
    const ap: Ap = { position: [0, 0], antennas: 4 };
    const rng = new Rng(['joint-test', 'projection']);
    const { echoes } = frame(sys, [ap], truth, 0, rng);
    const y = echoes[0]!;
    const [wa, wd, wf] = [0.7, -1.3, 0.4];
    const scales = derivativeScales(
      sys.subcarrierSpacingHz,
      sys.antennaSpacingWavelengths,
      sys.symbolDurationS,
    );
    const out = new Float64Array(8);
    projectEcho(y, wa, wd, wf, scales, out);
    const want = new Float64Array(8);
    for (let p = 1; p <= y.na; p++) {
      for (let n = 1; n <= y.nc; n++) {
        for (let m = 1; m <= y.m; m++) {
          const ph = wa * p + wd * n + wf * m;
          const k = 2 * (((p - 1) * y.nc + (n - 1)) * y.m + (m - 1));
          const yr = y.data[k]!;
          const yi = y.data[k + 1]!;
          // conj(e^{jφ}) y
          const cr = Math.cos(ph) * yr + Math.sin(ph) * yi;
          const ci = Math.cos(ph) * yi - Math.sin(ph) * yr;
          const w = [1, scales[0] * n, scales[1] * p, scales[2] * m];
          for (let i = 0; i < 4; i++) {
            // derivative basis j·c·k·s: conj(j w) = −j w
            const f = w[i]!;
            if (i === 0) {
              want[0] = want[0]! + cr;
              want[1] = want[1]! + ci;
            } else {
              want[2 * i] = want[2 * i]! + f * ci;
              want[2 * i + 1] = want[2 * i + 1]! - f * cr;
            }
          }
        }
      }
    }
    const scale = Math.max(...Array.from(want, Math.abs));
    for (let i = 0; i < 8; i++) expect(Math.abs(out[i]! - want[i]!) / scale).toBeLessThan(1e-10);
  });

  it('GLRT threshold: the Gamma(L, 1) tail at the threshold is pfa / cells', () => {
    const g = glrtThreshold(1e-3, 2601 * 128, 4);
    expect(gammaTail(g, 4) * 2601 * 128).toBeCloseTo(1e-3, 8);
    expect(gammaTail(0, 4)).toBeCloseTo(1, 12);
  });

  it('noise-free: the refinement converges to the truth from metres away (3 targets, 4 APs)', () => {
    const { echoes } = frame(sc.system, sc.aps, truth, 0, new Rng(['joint-test', 'noise-free']), false);
    const r = new JointRefiner(echoes, sc.aps, sc.system);
    const start = psiOf(truth);
    const rng = new Rng(['joint-test', 'start']);
    for (let u = 0; u < 3; u++) {
      start[4 * u] = start[4 * u]! + 3 * rng.normal();
      start[4 * u + 1] = start[4 * u + 1]! + 3 * rng.normal();
      start[4 * u + 2] = start[4 * u + 2]! + 1.5 * rng.normal();
      start[4 * u + 3] = start[4 * u + 3]! + 0.02 * rng.normal();
    }
    r.set(start);
    r.refine(1, 4, 10);
    const want = psiOf(truth);
    for (let i = 0; i < 12; i++)
      expect(Math.abs(r.psi[i]! - want[i]!), `param ${i}`).toBeLessThan(i % 4 === 3 ? 1e-7 : 1e-5);
  });
});

describe('joint ML attains the joint CRB (Monte Carlo, fixed seeds)', () => {
  // Small CPI (8 x 32 x 32) so that many trials are cheap; every echo then shares one range cell
  // (156 m) at each AP, so the joint bound is well above the single-target one.
  const sys: SystemParams = { ...sc.system, subcarriers: 32, symbols: 32 };
  const two: Target[] = [
    { position: [170, 180], velocity: { speed: 100, heading: 1.0 } },
    { position: [172, 181], velocity: { speed: 104, heading: 1.2 } },
  ];

  it('two targets 2.2 m apart at 10 dB: MSE/CRB(joint) of x, y, v, θ_u within the chi-square spread, and CRB(joint) > CRB(exact)', () => {
    const n = 400;
    const rng = new Rng(['joint-test', 'monte-carlo-two']);
    const sum = new Float64Array(8);
    const crbSum = new Float64Array(8);
    for (let t = 0; t < n; t++) {
      const { echoes, phases } = frame(sys, sc.aps, two, 10, rng.fork('trial', t));
      const r = new JointRefiner(echoes, sc.aps, sys);
      r.set(psiOf(two));
      r.iterate(8);
      const c = jointCrbTargets(sc.aps, two, sys, { ...sc.snr, db: 10 }, phases);
      const want = psiOf(two);
      for (let u = 0; u < 2; u++) {
        const b = bound(c[u]);
        const vars = [b.crbP[0][0], b.crbP[1][1], b.crbA[0][0], b.crbA[1][1]];
        for (let i = 0; i < 4; i++) {
          sum[4 * u + i] = sum[4 * u + i]! + (r.psi[4 * u + i]! - want[4 * u + i]!) ** 2;
          crbSum[4 * u + i] = crbSum[4 * u + i]! + vars[i]!;
        }
      }
    }
    // each ratio is ≈ χ²_n/n: relative sd √(2/n) = 0.071; 4 sd
    const tol = 4 * Math.sqrt(2 / n);
    for (let i = 0; i < 8; i++) {
      const ratio = sum[i]! / crbSum[i]!;
      expect(Math.abs(ratio - 1), `param ${i}: MSE/CRB = ${ratio.toFixed(3)}`).toBeLessThan(tol);
    }
    const j = bound(jointCrbTargets(sc.aps, two, sys, { ...sc.snr, db: 10 })[0]);
    const e = bound(crbTargets(sc.aps, two, sys, { ...sc.snr, db: 10 }, 'exact')[0]);
    expect(j.sqrtTrP / e.sqrtTrP).toBeGreaterThan(1.2);
  }, 120_000);

  it('one target at 0 dB (paper CPI): RMSE ≤ 1.2 √CRB(exact) in position and speed (40 trials)', () => {
    const one = [truth[0]!];
    const n = 40;
    const rng = new Rng(['joint-test', 'monte-carlo-one']);
    let sePos = 0;
    let seV = 0;
    const b = bound(crbTargets(sc.aps, one, sc.system, sc.snr, 'exact')[0]);
    for (let t = 0; t < n; t++) {
      const { echoes } = frame(sc.system, sc.aps, one, 0, rng.fork('trial', t));
      const r = new JointRefiner(echoes, sc.aps, sc.system);
      const start = psiOf(one);
      start[0] = start[0]! + 2;
      start[1] = start[1]! - 2;
      start[2] = start[2]! + 1;
      r.set(start);
      r.refine(1, 3, 6);
      sePos += (r.psi[0]! - one[0]!.position[0]) ** 2 + (r.psi[1]! - one[0]!.position[1]) ** 2;
      seV += (r.psi[2]! - one[0]!.velocity.speed) ** 2;
    }
    expect(Math.sqrt(sePos / n) / b.sqrtTrP).toBeLessThan(1.2);
    expect(Math.sqrt(seV / n) / b.stdSpeed).toBeLessThan(1.2);
  }, 300_000);
});

describe('jointMl (detection, order, repair)', () => {
  it('from no start at all (known order 3): the location map finds every target, errors at the bound (5 dB)', () => {
    const { echoes, phases } = frame(sc.system, sc.aps, truth, 5, new Rng(['joint-test', 'map-only']));
    const r = jointMl(echoes, sc.aps, sc.system, [], options(3));
    expect(r.targets).toHaveLength(3);
    const c = jointCrbTargets(sc.aps, truth, sc.system, { ...sc.snr, db: 5 }, phases);
    for (const [u, t] of truth.entries()) {
      const e = Math.min(
        ...r.targets.map((x) => Math.hypot(x.position[0] - t.position[0], x.position[1] - t.position[1])),
      );
      expect(e / bound(c[u]).sqrtTrP).toBeLessThan(5);
    }
    expect(Math.abs(r.misfitZ)).toBeLessThan(6);
  }, 60_000);

  it("order 'glrt': 3 targets found from the data; noise alone gives none", () => {
    const rng = new Rng(['joint-test', 'glrt']);
    const { echoes } = frame(sc.system, sc.aps, truth, 0, rng.fork('with'));
    expect(jointMl(echoes, sc.aps, sc.system, [], options(0, 'glrt')).targets).toHaveLength(3);
    const { echoes: noise } = frame(sc.system, sc.aps, [], 0, rng.fork('without'));
    expect(jointMl(noise, sc.aps, sc.system, [], options(0, 'glrt')).targets).toHaveLength(0);
  }, 60_000);

  it('a start with two targets whose velocities are mixed up is repaired (Doppler-line re-association)', () => {
    const close: Target[] = [
      { position: [192.9, 188.8], velocity: { speed: 119.2, heading: 1.48 } },
      { position: [186.1, 186.6], velocity: { speed: 117.6, heading: 0.67 } },
      { position: [194.3, 156.1], velocity: { speed: 116.6, heading: 0.64 } },
    ];
    const { echoes } = frame(sc.system, sc.aps, close, 0, new Rng(['joint-test', 'mixed']));
    // the start an association error gives: each close target with a mixture of the two velocities
    const starts = [
      {
        position: [188, 186.8] as [number, number],
        velocity: [139.4 * Math.cos(1.36), 139.4 * Math.sin(1.36)] as [number, number],
      },
      {
        position: [189.4, 189.9] as [number, number],
        velocity: [93.2 * Math.cos(0.64), 93.2 * Math.sin(0.64)] as [number, number],
      },
      {
        position: [194.2, 156.2] as [number, number],
        velocity: [116.7 * Math.cos(0.64), 116.7 * Math.sin(0.64)] as [number, number],
      },
    ];
    const r = jointMl(echoes, sc.aps, sc.system, starts, options(3));
    for (const t of close) {
      const best = r.targets.reduce((a, b) =>
        Math.hypot(a.position[0] - t.position[0], a.position[1] - t.position[1]) <
        Math.hypot(b.position[0] - t.position[0], b.position[1] - t.position[1])
          ? a
          : b,
      );
      expect(Math.hypot(best.position[0] - t.position[0], best.position[1] - t.position[1])).toBeLessThan(
        0.3,
      );
      expect(Math.abs(best.speed - t.velocity.speed)).toBeLessThan(0.3);
    }
  }, 60_000);
});

describe('joint-ml through the fusion-solver stage (full chain, fixed seeds)', () => {
  it('5 dB, 3 random targets, 10 frames: no outlier (> 5 m), median error ≤ 1.5 √CRB(joint), velocity RMSE ≤ 0.1 m/s', () => {
    const registry = fusionRegistry();
    const scenario = scenarioOf({ db: 5, targets: THREE_RANDOM });
    const ratios: number[] = [];
    let seV = 0;
    let count = 0;
    for (let trial = 0; trial < 10; trial++) {
      const f = observedFrame(scenario, 'joint-ml-chain', trial, registry);
      fuseFrame(f, { scheme: 'joint-ml' }, 'joint-ml', registry);
      const amps = f.data.echoAmplitudes as Float64Array[];
      const phases = amps.map((a) => f.truth.map((_, u) => Math.atan2(a[2 * u + 1]!, a[2 * u]!)));
      const crb = jointCrbTargets(f.aps, f.truth, scenario.system, scenario.snr, phases);
      const errs = targetErrors(f, 'joint-ml');
      errs.forEach((e, u) => {
        expect(e.position, `trial ${trial} target ${u}`).toBeLessThan(5);
        ratios.push(e.position / bound(crb[u]).sqrtTrP);
        seV += e.velocity ** 2;
        count++;
      });
    }
    ratios.sort((a, b) => a - b);
    expect(ratios[ratios.length >> 1]!).toBeLessThan(1.5);
    expect(Math.sqrt(seV / count)).toBeLessThan(0.1);
  }, 300_000);

  it('without echoes in the frame the stage says which stage is missing', () => {
    const registry = fusionRegistry();
    const scenario = scenarioOf({ db: 5, targets: THREE_RANDOM });
    const f = observedFrame(scenario, 'joint-ml-chain', 0, registry);
    delete f.data.echoes;
    expect(() => fuseFrame(f, { scheme: 'joint-ml' }, 'joint-ml', registry)).toThrow(
      /needs frame\.data\.echoes/,
    );
  }, 60_000);
});
