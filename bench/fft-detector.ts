/**
 * `npm run bench -- fft-detector`: the coarse FFT detector of one AP (default scenario, 3 targets,
 * 8 x 128 x 128, 64 angle bins): the whole coarseDetections and its peak search alone (on a fixed
 * spectrum), medians over repeats.
 */
import { performance } from 'node:perf_hooks';
import { defaultScenario } from '../src/isac/default-scenario.js';
import { synthesizeEcho } from '../src/isac/echo-model.js';
import { coarseDetections, rangeDopplerAngleSpectrum, spectrumPeaks } from '../src/isac/fft-detector.js';
import type { Target } from '../src/isac/scenario-types.js';
import { Rng } from '../src/math/rng.js';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

export async function run(): Promise<void> {
  const sc = defaultScenario();
  const t = synthesizeEcho(
    sc.system,
    sc.aps[0]!,
    sc.targets as Target[],
    sc.snr,
    new Rng(['bench', 'fft-detector']),
  ).tensor;
  const reps = 15;
  for (let i = 0; i < 3; i++) coarseDetections(t, sc.system, 3, 64); // warm-up
  const power = rangeDopplerAngleSpectrum(t, 64);
  const P = power.length / (t.nc * t.m);
  const floor = power.reduce((a, v) => Math.max(a, v), 0) * 1e-4;
  const peaks: number[] = [];
  const full: number[] = [];
  for (let i = 0; i < reps; i++) {
    let t0 = performance.now();
    spectrumPeaks(power, P, t.nc, t.m, floor);
    peaks.push(performance.now() - t0);
    t0 = performance.now();
    coarseDetections(t, sc.system, 3, 64);
    full.push(performance.now() - t0);
  }
  console.log(
    `coarseDetections (8x128x128, 64 angle bins): ${median(full).toFixed(1)} ms median of ${reps}; of which the peak search ${median(peaks).toFixed(1)} ms`,
  );
}
