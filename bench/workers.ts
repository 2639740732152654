import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
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
}
