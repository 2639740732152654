import { describe, expect, it } from 'vitest';
import { associate } from '../../../src/isac/association/associate.js';
import { exhaustiveCount } from '../../../src/isac/association/exhaustive.js';
import { TargetFitter, type ApMeasurement, type ApSite } from '../../../src/isac/association/target-fit.js';
import { SPEED_OF_LIGHT } from '../../../src/isac/constants.js';
import { defaultScenario } from '../../../src/isac/default-scenario.js';
import { echoSnr } from '../../../src/isac/echo-model.js';
import { cartesianVelocity, pairGeometry } from '../../../src/isac/geometry.js';
import type { Target } from '../../../src/isac/scenario-types.js';
import { Rng } from '../../../src/math/rng.js';

const sc = defaultScenario();
const sys = sc.system;
const rangeCell = SPEED_OF_LIGHT / (2 * sys.subcarriers * sys.subcarrierSpacingHz);
const sites: ApSite[] = sc.aps.map((ap) => ({
  position: ap.position,
  rangeCell,
  sinCell: 1 / (sys.antennaSpacingWavelengths * ap.antennas),
  dopplerCell: 1 / (sys.symbols * sys.symbolDurationS),
}));

/** The paper's random targets: (125..225 m)², speed 90..120 m/s, heading 0..π. */
function randomTargets(rng: Rng, count: number): Target[] {
  return Array.from({ length: count }, () => ({
    position: [rng.uniformIn(125, 225), rng.uniformIn(125, 225)] as [number, number],
    velocity: { speed: rng.uniformIn(90, 120), heading: rng.uniformIn(0, Math.PI) },
  }));
}

/**
 * What the MUSIC step would report at AP l for each target at `db` (radar path loss): truth plus Gaussian
 * errors with the single-echo CRB standard deviations (model notes, exact mode, N = N_A N_c M):
 * σ_τ = 1/√(2 SNR N (2πΔf)² (N_c²−1)/12), σ_sinθ = 1/√(2 SNR N (2πκ)² (N_A²−1)/12),
 * σ_f = 1/√(2 SNR N (2πT)² (M²−1)/12). Components are shuffled per AP; `order[l][ξ]` is the target of
 * component ξ.
 */
function measure(targets: Target[], db: number, rng: Rng): { meas: ApMeasurement[][]; order: Int32Array[] } {
  const meas: ApMeasurement[][] = [];
  const order: Int32Array[] = [];
  sc.aps.forEach((ap) => {
    const N = ap.antennas * sys.subcarriers * sys.symbols;
    const perm = rng.permutation(targets.length);
    order.push(perm);
    meas.push(
      Array.from(perm, (u) => {
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
      }),
    );
  });
  return { meas, order };
}

/** True iff every associated tuple holds one target's components at every AP and all targets appear. */
function correct(tuples: number[][], order: Int32Array[], U: number): boolean {
  const seen = new Set<number>();
  for (const t of tuples) {
    const u = order[0]![t[0]!]!;
    if (t.some((xi, l) => order[l]![xi] !== u)) return false;
    seen.add(u);
  }
  return seen.size === U && tuples.length === U;
}

describe('TargetFitter (association criterion)', () => {
  it('recovers position and velocity exactly from noise-free range, sin θ and Doppler', () => {
    const fitter = new TargetFitter(sites, { useDoppler: true, carrierHz: sys.carrierHz });
    for (const t of sc.targets as Target[]) {
      const meas = sc.aps.map((ap) => {
        const g = pairGeometry(ap.position, t, sys);
        return { range: g.range, sinAoa: Math.sin(g.aoa), angleKnown: true, doppler: g.doppler };
      });
      const f = fitter.fit(meas);
      expect(Math.hypot(f.position[0] - t.position[0], f.position[1] - t.position[1])).toBeLessThan(1e-6);
      const v = cartesianVelocity(t.velocity);
      expect(Math.hypot(f.velocity[0] - v[0], f.velocity[1] - v[1])).toBeLessThan(1e-6);
      expect(f.cost).toBeLessThan(1e-16);
    }
  });
});

describe('association across APs (eq. 40)', () => {
  // Set-up of the paper: 4 APs at the corners of the 350 m square, default system (8 x 128 x 128),
  // 3 random targets. The per-AP measurements are the truth plus CRB-level errors at snr.db = 0 with radar
  // path loss (SNR_l >= (250/320)⁴ ≈ −4.3 dB per element): the range error is then below 7 cm and every
  // error is below 2e-3 resolution cells, while the smallest separation between two echoes at any AP over
  // these 200 draws, in cells of range, sin θ and Doppler, is above 0.1 cell (checked in the test): the
  // errors are 50x below the separation, so every association must be right. The CP separation itself is
  // left out here on purpose: echoes that coincide in one mode make the CP of that AP non-unique
  // (Kruskal), which no association can repair (see the stage test and the README for full-chain rates).
  it('is 100 % correct over 200 seeded trials, and the Hungarian method agrees with the exhaustive search', () => {
    const rng = new Rng(['association', 'accuracy']);
    let minSeparation = Infinity;
    let agree = 0;
    for (let trial = 0; trial < 200; trial++) {
      const targets = randomTargets(rng.fork('targets', trial), 3);
      sc.aps.forEach((ap) => {
        const g = targets.map((t) => pairGeometry(ap.position, t, sys));
        for (let i = 0; i < 3; i++)
          for (let j = i + 1; j < 3; j++)
            minSeparation = Math.min(
              minSeparation,
              Math.hypot(
                (g[i]!.range - g[j]!.range) / rangeCell,
                (Math.sin(g[i]!.aoa) - Math.sin(g[j]!.aoa)) / sites[0]!.sinCell,
                (g[i]!.doppler - g[j]!.doppler) / sites[0]!.dopplerCell,
              ),
            );
      });
      const { meas, order } = measure(targets, 0, rng.fork('noise', trial));
      const opts = { exhaustiveLimit: 1e6, useDoppler: true, carrierHz: sys.carrierHz };
      const ex = associate(meas, sites, { ...opts, method: 'exhaustive' });
      const hu = associate(meas, sites, { ...opts, method: 'hungarian' });
      expect(ex.method).toBe('exhaustive');
      expect(ex.evaluated).toBe(6 ** 3);
      expect(correct(ex.tuples, order, 3)).toBe(true);
      expect(correct(hu.tuples, order, 3)).toBe(true);
      if (JSON.stringify(ex.tuples) === JSON.stringify(hu.tuples)) agree++;
    }
    expect(minSeparation).toBeGreaterThan(0.1);
    expect(agree).toBe(200);
  });

  it('the Hungarian method handles U = 8 targets on 4 APs ((8!)³ ≈ 6.6e13 permutation sets)', () => {
    const rng = new Rng(['association', 'u8']);
    const targets = randomTargets(rng.fork('targets'), 8);
    const { meas, order } = measure(targets, 10, rng.fork('noise'));
    expect(exhaustiveCount(meas.map((m) => m.length))).toBeGreaterThan(6e13);
    const r = associate(meas, sites, {
      method: 'auto',
      exhaustiveLimit: 1e5,
      useDoppler: true,
      carrierHz: sys.carrierHz,
    });
    expect(r.method).toBe('hungarian');
    expect(correct(r.tuples, order, 8)).toBe(true);
  });

  it("'auto' picks exhaustive below the limit, and 'exhaustive' refuses astronomically many permutation sets", () => {
    const rng = new Rng(['association', 'auto']);
    const { meas } = measure(randomTargets(rng.fork('t'), 3), 0, rng.fork('n'));
    const base = { exhaustiveLimit: 216, useDoppler: true, carrierHz: sys.carrierHz };
    expect(associate(meas, sites, { ...base, method: 'auto' }).method).toBe('exhaustive');
    expect(associate(meas, sites, { ...base, exhaustiveLimit: 215, method: 'auto' }).method).toBe(
      'hungarian',
    );
    const big = measure(randomTargets(rng.fork('t8'), 8), 0, rng.fork('n8')).meas;
    expect(() => associate(big, sites, { ...base, method: 'exhaustive' })).toThrow(RangeError);
  });

  it('unequal component counts: targets = the smallest count, extra components left out; empty input is defined', () => {
    const rng = new Rng(['association', 'unequal']);
    const targets = randomTargets(rng.fork('t'), 3);
    const { meas, order } = measure(targets, 0, rng.fork('n'));
    // AP 2 reports a spurious fourth component far from everything
    meas[2]!.push({ range: 900, sinAoa: -0.9, angleKnown: true, doppler: 4000 });
    for (const method of ['exhaustive', 'hungarian'] as const) {
      const r = associate(meas, sites, {
        method,
        exhaustiveLimit: 1e6,
        useDoppler: true,
        carrierHz: sys.carrierHz,
      });
      expect(r.tuples.length).toBe(3);
      expect(r.tuples.every((t) => t[2] !== 3)).toBe(true);
      expect(correct(r.tuples, order, 3)).toBe(true);
    }
    const none = associate([[], [], [], []], sites, {
      method: 'auto',
      exhaustiveLimit: 1e6,
      useDoppler: true,
      carrierHz: sys.carrierHz,
    });
    expect(none.tuples).toEqual([]);
    expect(none.cost).toBe(0);
  });
});
