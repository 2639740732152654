import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { loadWithBuiltins } from '../src/builtins.js';
import { runPipeline } from '../src/runner/run.js';

/**
 * Trials per second with 1 and 2 workers on a small echo-generation sweep, and the speed-up.
 * Each worker pays a fixed start-up (tsx compiles the sources, the pipeline is loaded and every
 * stage built once), so two run sizes are timed and the steady rate is their difference quotient.
 */
export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'isacflow-bench-'));
  const file = join(dir, 'p.yaml');
  writeFileSync(
    file,
    `isacflow: 1
name: bench-workers
scenario:
  targets:
    random: { count: 3, area: [[125, 125], [225, 225]] }
run: { trials: 8, frames: 1 }
sweep:
  scenario.snr.db: [-10, 0, 10]
stages:
  - { id: echoes, uses: echo-generator }
  - { id: cp, uses: cp-decomposer }
`,
  );
  const steady: number[] = [];
  for (const workers of [1, 2]) {
    const times: number[] = [];
    const counts: number[] = [];
    for (const trials of [4, 16]) {
      const resolved = await loadWithBuiltins(file, [`run.trials=${trials}`]);
      const t0 = performance.now();
      const r = await runPipeline(resolved, { out: join(dir, `w${workers}-${trials}`), workers });
      times.push((performance.now() - t0) / 1000);
      counts.push(r.executed);
    }
    const rate = (counts[1]! - counts[0]!) / (times[1]! - times[0]!);
    const startup = times[0]! - counts[0]! / rate;
    steady.push(rate);
    console.log(
      `workers ${workers}: ${counts[0]} trials in ${times[0]!.toFixed(2)} s, ${counts[1]} in ${times[1]!.toFixed(2)} s (echoes + CP, 4 APs x 8x128x128) -> steady ${rate.toFixed(2)} trials/s, fixed start-up ≈ ${startup.toFixed(1)} s`,
    );
  }
  console.log(`steady-state speed-up 2 vs 1 worker: ${(steady[1]! / steady[0]!).toFixed(2)}x`);
  const ceiling = await machineCeiling();
  const sorted = [...ceiling].sort((a, b) => a - b);
  console.log(
    `this machine's ceiling: a CPU-bound loop with no memory traffic and no garbage runs ${sorted[2]!.toFixed(2)}x (median of 5 rounds; ${sorted.map((c) => c.toFixed(2)).join(', ')}) in 2 threads against 1`,
  );
}

/** Throughput of 2 threads over 1 on a loop that only computes (x <- 3.9x(1 − x)): what 2 cores give at best. */
async function machineCeiling(): Promise<number[]> {
  const code = `const { parentPort, workerData } = require('node:worker_threads');
let x = 0.5;
for (let i = 0; i < workerData; i++) x = 3.9 * x * (1 - x);
parentPort.postMessage(x);`;
  const n = 3e8;
  const wall = async (threads: number): Promise<number> => {
    const t0 = performance.now();
    await Promise.all(
      Array.from(
        { length: threads },
        () =>
          new Promise((resolve, reject) => {
            const w = new Worker(code, { eval: true, workerData: n });
            w.once('message', resolve);
            w.once('error', reject);
          }),
      ),
    );
    return performance.now() - t0;
  };
  const ratios: number[] = [];
  for (let round = 0; round < 5; round++) {
    // alternating order, so a drift of the machine's speed does not favour one side
    const ms = new Map<number, number>();
    for (const threads of round % 2 ? [1, 2] : [2, 1]) ms.set(threads, await wall(threads));
    ratios.push((2 * ms.get(1)!) / ms.get(2)!);
  }
  return ratios;
}
