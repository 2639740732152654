import { performance } from 'node:perf_hooks';
import { defaultScenario } from '../src/isac/default-scenario.js';
import { synthesizeEcho } from '../src/isac/echo-model.js';
import type { Target } from '../src/isac/scenario-types.js';
import { Rng } from '../src/math/rng.js';

/** Echo generation time per frame for the paper's set-up (4 APs, 8 x 128 x 128, 3 targets). */
export async function run(): Promise<void> {
  const sc = defaultScenario();
  const targets = sc.targets as Target[];
  const frame = (seed: number, noise: boolean) => {
    sc.aps.forEach((ap, l) => synthesizeEcho(sc.system, ap, targets, sc.snr, new Rng([seed, l]), { noise }));
  };
  for (let i = 0; i < 3; i++) frame(i, true); // warm-up
  for (const noise of [false, true]) {
    const times: number[] = [];
    for (let i = 0; i < 15; i++) {
      const t0 = performance.now();
      frame(100 + i, noise);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const med = times[Math.floor(times.length / 2)]!;
    const samples = sc.aps.length * 8 * 128 * 128;
    console.log(
      `echo frame (${sc.aps.length} APs x 8x128x128, ${targets.length} targets, noise ${noise ? 'on ' : 'off'}): median ${med.toFixed(1)} ms/frame, ${(samples / med / 1e3).toFixed(1)} M samples/s`,
    );
  }
  const bytes = sc.aps.length * 8 * 128 * 128 * 16;
  const mem = process.memoryUsage();
  console.log(
    `memory: one frame's echo tensors hold ${(bytes / 2 ** 20).toFixed(1)} MiB (Float64Array, interleaved complex); process rss ${(mem.rss / 2 ** 20).toFixed(0)} MiB, heap used ${(mem.heapUsed / 2 ** 20).toFixed(0)} MiB, array buffers ${(mem.arrayBuffers / 2 ** 20).toFixed(0)} MiB`,
  );
}
