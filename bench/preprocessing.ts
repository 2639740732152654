/**
 * SL-MDTS preprocessing (Section IV.A): CP decomposition per AP and association across APs.
 *   npm run bench -- preprocessing
 * Environment: ISACFLOW_BENCH_TRIALS (default 10) random-target frames for the CP timings and for the
 * full-chain association accuracy per SNR.
 */
import { associate } from '../src/isac/association/associate.js';
import type { ApMeasurement, ApSite } from '../src/isac/association/target-fit.js';
import { regularisedAls } from '../src/isac/cp/als.js';
import { cpDecompose } from '../src/isac/cp/cp-decompose.js';
import { fftInit } from '../src/isac/cp/fft-init.js';
import type { CpInit } from '../src/isac/cp/types.js';
import { SPEED_OF_LIGHT } from '../src/isac/constants.js';
import { defaultScenario } from '../src/isac/default-scenario.js';
import { echoSnr, synthesizeEcho, type EchoTensor } from '../src/isac/echo-model.js';
import { pairGeometry } from '../src/isac/geometry.js';
import { ComponentParameterEstimator } from '../src/isac/music/component-parameters.js';
import type { Target } from '../src/isac/scenario-types.js';
import { cnorm2 } from '../src/math/complex.js';
import { Rng } from '../src/math/rng.js';

const sc = defaultScenario();
const sys = sc.system;
const trials = Number(process.env.ISACFLOW_BENCH_TRIALS ?? 10);

function randomTargets(rng: Rng, count: number): Target[] {
  return Array.from({ length: count }, () => ({
    position: [rng.uniformIn(125, 225), rng.uniformIn(125, 225)] as [number, number],
    velocity: { speed: rng.uniformIn(90, 120), heading: rng.uniformIn(0, Math.PI) },
  }));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0
    ? NaN
    : s.length % 2
      ? (s[s.length >> 1] as number)
      : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
}

function cpuMs<T>(f: () => T): [T, number] {
  const c0 = process.cpuUsage();
  const r = f();
  const c = process.cpuUsage(c0);
  return [r, (c.user + c.system) / 1000];
}

function tensorsAt(db: number, seed: string): { tensors: EchoTensor[][]; targets: Target[][] } {
  const tensors: EchoTensor[][] = [];
  const targets: Target[][] = [];
  for (let t = 0; t < trials; t++) {
    const rng = new Rng(['bench-preprocessing', seed, t]);
    const tg = randomTargets(rng.fork('targets'), 3);
    targets.push(tg);
    tensors.push(
      sc.aps.map((ap, l) => synthesizeEcho(sys, ap, tg, { ...sc.snr, db }, rng.fork('ap', l)).tensor),
    );
  }
  return { tensors, targets };
}

function benchSweep(t: EchoTensor): void {
  const f = fftInit(t, 3, { threshold: 0.7, maxRank: 8 }).factors;
  const yNorm2 = cnorm2(t.data);
  regularisedAls(t.data, yNorm2, f, { maxIterations: 3, tolerance: 0, regularisation: 1e-3 }); // warm-up
  const runs: number[] = [];
  for (let k = 0; k < 5; k++) {
    const [, ms] = cpuMs(() =>
      regularisedAls(t.data, yNorm2, f, { maxIterations: 20, tolerance: 0, regularisation: 1e-3 }),
    );
    runs.push(ms / 20);
  }
  console.log(
    `rank-3 regularised-ALS sweep on 8x128x128: ${median(runs).toFixed(2)} ms CPU (median of 5 x 20 sweeps)`,
  );
}

function benchCp(tensors: EchoTensor[][]): void {
  console.log(
    `\nCP per AP, paper set-up (8x128x128, 3 random targets, 0 dB, radar path loss), ${trials} frames x 4 APs:`,
  );
  console.log('init     median ms  mean ms  ALS sweeps (median/max)  LM iter (median/max)  converged');
  for (const init of ['fft', 'esprit', 'auto', 'random'] as CpInit[]) {
    const ms: number[] = [];
    const sweeps: number[] = [];
    const lm: number[] = [];
    let conv = 0;
    tensors.flat().forEach((t, i) => {
      const [d, c] = cpuMs(() => cpDecompose(t, { rank: 3, init }, new Rng(['bench-random-start', i])));
      ms.push(c);
      sweeps.push(d.iterations);
      lm.push(d.finishIterations);
      if (d.status === 'converged') conv++;
    });
    const mean = ms.reduce((a, b) => a + b, 0) / ms.length;
    console.log(
      `${init.padEnd(8)} ${median(ms).toFixed(1).padStart(9)} ${mean.toFixed(1).padStart(8)}  ${`${median(sweeps)} / ${Math.max(...sweeps)}`.padStart(23)}  ${`${median(lm)} / ${Math.max(...lm)}`.padStart(20)}  ${conv}/${ms.length}`,
    );
  }
}

function sites(): ApSite[] {
  return sc.aps.map((ap) => ({
    position: ap.position,
    rangeCell: SPEED_OF_LIGHT / (2 * sys.subcarriers * sys.subcarrierSpacingHz),
    sinCell: 1 / (sys.antennaSpacingWavelengths * ap.antennas),
    dopplerCell: 1 / (sys.symbols * sys.symbolDurationS),
  }));
}

/** Truth + CRB-level errors (as the association test), components shuffled per AP. */
function crbMeasurements(targets: Target[], db: number, rng: Rng): ApMeasurement[][] {
  return sc.aps.map((ap) => {
    const N = ap.antennas * sys.subcarriers * sys.symbols;
    return Array.from(rng.permutation(targets.length), (u) => {
      const g = pairGeometry(ap.position, targets[u]!, sys);
      const snr = echoSnr({ ...sc.snr, db }, g.range);
      const sd = (w: number, n: number) =>
        1 / Math.sqrt(2 * snr * N * (2 * Math.PI * w) ** 2 * ((n * n - 1) / 12));
      return {
        range: g.range + (SPEED_OF_LIGHT / 2) * sd(sys.subcarrierSpacingHz, sys.subcarriers) * rng.normal(),
        sinAoa: Math.sin(g.aoa) + sd(sys.antennaSpacingWavelengths, ap.antennas) * rng.normal(),
        angleKnown: true,
        doppler: g.doppler + sd(sys.symbolDurationS, sys.symbols) * rng.normal(),
      };
    });
  });
}

function benchAssociation(): void {
  console.log('\nAssociation time, L = 4 APs, CRB-level measurement errors at 0 dB:');
  const s = sites();
  for (const [U, method] of [
    [3, 'exhaustive'],
    [3, 'hungarian'],
    [4, 'exhaustive'],
    [4, 'hungarian'],
    [8, 'hungarian'],
    [12, 'hungarian'],
  ] as const) {
    const ms: number[] = [];
    for (let k = 0; k < 5; k++) {
      const rng = new Rng(['bench-assoc', U, k]);
      const meas = crbMeasurements(randomTargets(rng.fork('t'), U), 0, rng.fork('n'));
      const [, c] = cpuMs(() =>
        associate(meas, s, { method, exhaustiveLimit: 1e6, useDoppler: true, carrierHz: sys.carrierHz }),
      );
      ms.push(c);
    }
    console.log(
      `U = ${String(U).padStart(2)}  ${method.padEnd(10)}  ${median(ms).toFixed(2)} ms CPU (median of 5)`,
    );
  }
}

function benchChain(): void {
  console.log(
    `\nFull chain (echo -> CP -> MUSIC -> association), ${trials} frames per SNR, 3 random targets, radar path loss:`,
  );
  console.log(
    'snr.db  association correct  CP separation ok  (a frame counts as separated when every AP has one component per target)',
  );
  const est = new ComponentParameterEstimator(sys, 8);
  const s = sites();
  for (const db of [-10, 0, 10, 20, 30]) {
    const { tensors, targets } = tensorsAt(db, `chain-${db}`);
    let ok = 0;
    let separated = 0;
    tensors.forEach((ts, t) => {
      const tg = targets[t] as Target[];
      const labels: number[][] = [];
      const meas = ts.map((tensor, l) => {
        const d = cpDecompose(tensor, { rank: 3 });
        const ps = Array.from({ length: 3 }, (_, r) => est.estimate(d, r));
        const site = s[l] as ApSite;
        labels.push(
          ps.map((p) => {
            let best = 0;
            let bd = Infinity;
            tg.forEach((target, u) => {
              const g = pairGeometry(site.position, target, sys);
              const dist =
                ((p.range - g.range) / site.rangeCell) ** 2 +
                ((p.sinAoa - Math.sin(g.aoa)) / site.sinCell) ** 2 +
                ((p.doppler - g.doppler) / site.dopplerCell) ** 2;
              if (dist < bd) {
                bd = dist;
                best = u;
              }
            });
            return best;
          }),
        );
        return ps.map((p) => ({
          range: p.range,
          sinAoa: p.sinAoa,
          angleKnown: p.angleKnown,
          doppler: p.doppler,
        }));
      });
      if (labels.every((lb) => new Set(lb).size === 3)) separated++;
      const r = associate(meas, s, {
        method: 'auto',
        exhaustiveLimit: 1e5,
        useDoppler: true,
        carrierHz: sys.carrierHz,
      });
      const seen = new Set<number>();
      const good = r.tuples.every((tup) => {
        const u = (labels[0] as number[])[tup[0] as number] as number;
        seen.add(u);
        return tup.every((xi, l) => (labels[l] as number[])[xi] === u);
      });
      if (good && seen.size === 3) ok++;
    });
    console.log(
      `${String(db).padStart(6)}  ${`${ok}/${trials}`.padStart(19)}  ${`${separated}/${trials}`.padStart(16)}`,
    );
  }
}

export async function run(): Promise<void> {
  const { tensors } = tensorsAt(0, 'cp');
  benchSweep(tensors[0]![0]!);
  benchCp(tensors);
  benchAssociation();
  benchChain();
}
