/**
 * Loader figures (issue #12): validation of a 100 x 100 = 10,000-point sweep (scenario.snr.db x a
 * fusion solver option over the SL-MDTS chain), with and without the stage construction check;
 * wall and CPU time, median of 3.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { builtinRegistry } from '../src/builtins.js';
import { loadPipeline } from '../src/core/pipeline-loader.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'isacflow-bench-loader-'));
  const file = join(dir, 'sweep.yaml');
  const snr = Array.from({ length: 100 }, (_, i) => i - 50);
  const pop = Array.from({ length: 100 }, (_, i) => 4 + 2 * i);
  writeFileSync(
    file,
    `isacflow: 1\nname: big\nscenario: ${resolve('pipelines/scenarios/paper-default.yaml')}\nsweep:\n  scenario.snr.db: [${snr.join(', ')}]\n  stages.fusion.solverParams.popSize: [${pop.join(', ')}]\nstages:\n  - { id: echoes, uses: echo-generator }\n  - { id: cp, uses: cp-decomposer }\n  - { id: assoc, uses: music-associator }\n  - { id: crb, uses: crb-evaluator }\n  - { id: fusion, uses: fusion-solver, params: { scheme: sfo, solver: abc, solverParams: { popSize: 20 } } }\n`,
  );
  for (const construct of [false, true]) {
    const wall: number[] = [];
    const cpu: number[] = [];
    let points = 0;
    for (let k = 0; k < 3; k++) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      points = (await loadPipeline(file, { registry: builtinRegistry(), construct })).points.length;
      const c = process.cpuUsage(c0);
      wall.push(performance.now() - t0);
      cpu.push((c.user + c.system) / 1000);
    }
    console.log(
      `validate ${points} sweep points, construction check ${construct ? 'on ' : 'off'}: ${median(wall).toFixed(0)} ms wall, ${median(cpu).toFixed(0)} ms CPU (median of 3)`,
    );
  }
}
