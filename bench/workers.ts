import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadWithBuiltins } from '../src/builtins.js';
import { runPipeline } from '../src/runner/run.js';

/** Trials per second with 1 and 2 workers on a small echo-generation sweep, and the speed-up. */
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
run: { trials: 12, frames: 1 }
sweep:
  scenario.snr.db: [-10, 0, 10]
stages:
  - { id: echoes, uses: echo-generator }
  - { id: fft, uses: fft-detector }
`,
  );
  const resolved = await loadWithBuiltins(file);
  const rates: number[] = [];
  for (const workers of [1, 2]) {
    const t0 = performance.now();
    const r = await runPipeline(resolved, { out: join(dir, `w${workers}`), workers });
    const s = (performance.now() - t0) / 1000;
    const trials = r.records.length;
    rates.push(trials / s);
    console.log(`workers ${workers}: ${trials} trials (4 APs x 8x128x128 echoes + 3-D FFT) in ${s.toFixed(2)} s = ${(trials / s).toFixed(2)} trials/s`);
  }
  console.log(`speed-up 2 vs 1 worker: ${(rates[1]! / rates[0]!).toFixed(2)}x (includes worker start-up: each worker loads the pipeline once)`);
}
