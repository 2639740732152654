import type { Scenario } from './scenario-types.js';

/** The paper's Section V set-up: shared/spec/scenario.yaml defaults. A fresh copy per call. */
export function defaultScenario(): Scenario {
  return {
    system: {
      carrierHz: 3.5e9,
      subcarrierSpacingHz: 30e3,
      subcarriers: 128,
      symbols: 128,
      symbolDurationS: 35.714e-6,
      antennaSpacingWavelengths: 0.5,
    },
    aps: [
      { position: [0, 0], antennas: 8 },
      { position: [350, 0], antennas: 8 },
      { position: [0, 350], antennas: 8 },
      { position: [350, 350], antennas: 8 },
    ],
    targets: [
      { position: [150.37, 160.82], velocity: { speed: 100.3, heading: 0.6 } },
      { position: [200.81, 140.26], velocity: { speed: 110.7, heading: 2.1 } },
      { position: [170.55, 210.43], velocity: { speed: 95.4, heading: 1.2 } },
    ],
    snr: { db: 0, referenceRangeM: 250, pathLoss: 'radar' },
    seed: 2024,
  };
}

/** Section V's random targets: `count` of them in (125, 125)-(225, 225) m at 90-120 m/s, any heading in [0, π). */
export function sectionVRandomTargets(count = 3): Scenario['targets'] {
  return {
    random: {
      count,
      area: [
        [125, 125],
        [225, 225],
      ],
      speed: [90, 120],
      heading: [0, Math.PI],
    },
  };
}
