import type { FrameRecord } from '../../src/core/frame.js';
import type { Target } from '../../src/isac/scenario-types.js';
import { Rng } from '../../src/math/rng.js';
import { aggregate } from '../../src/results/aggregate.js';
import type { Summary } from '../../src/results/summary-types.js';

const tg = (x: number, y: number, speed: number, heading: number): Target => ({
  position: [x, y],
  velocity: { speed, heading },
});

/**
 * A small Fig. 9-like run: SNR −20..10 dB, two variants whose position errors are Gaussian with
 * sd 0.03·10^(−snr/20)·k m (k = 1.5 for sfo, 4 for lattice), so the curves span several decades,
 * and a √CRB of 0.03·10^(−snr/20) m per target.
 */
export function fig9Summary(trials = 20): Summary {
  const g = new Rng(['fixture', 'fig9']);
  const records: FrameRecord[] = [];
  for (const snr of [-20, -10, 0, 10]) {
    const s = 0.03 * 10 ** (-snr / 20);
    for (let t = 0; t < trials; t++) {
      const truth = [tg(150.37, 160.82, 100.3, 0.6), tg(200.81, 140.26, 110.7, 2.1)];
      const est = (k: number): Target[] =>
        truth.map((x) =>
          tg(
            x.position[0] + k * s * g.normal(),
            x.position[1] + k * s * g.normal(),
            x.velocity.speed + k * s * g.normal(),
            x.velocity.heading,
          ),
        );
      records.push({
        point: { 'scenario.snr.db': snr },
        trial: t,
        frame: 0,
        seed: t,
        truth,
        estimates: { sfo: est(1.5), lattice: est(4) },
        crb: { exact: truth.map(() => ({ sqrtTrP: s, sqrtTrVelXY: s, stdSpeed: s, stdHeading: 1e-4 })) },
        placement: { objective: 1 + 0.1 * g.normal() },
        timings: {},
      });
    }
  }
  return aggregate(records, new Rng(['fixture', 'boot']), {
    bootstrap: 200,
    fields: ['placement.objective'],
  });
}
