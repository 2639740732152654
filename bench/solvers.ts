/**
 * Solver overhead: evaluations per second of each built-in solver on the sphere (2-D and 10-D,
 * value only, so local solvers use central-difference gradients), and the cost per evaluation
 * that is the solver's own (total time per evaluation minus the bare objective's).
 * `npm run bench -- solvers`.
 */
import { PluginRegistry } from '../src/core/plugin-registry.js';
import { Rng } from '../src/math/rng.js';
import type { Objective, Solver } from '../src/solvers/solver.js';
import { testFunction } from '../src/solvers/test-functions.js';
import { solversPlugins } from '../plugins/solvers/index.js';

const SOLVERS = ['abc', 'pso', 'ga', 'de', 'sa', 'bfgs', 'tn', 'abc-bfgs'];
const BATCHES = 7;
const BATCH_MS = 60;

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function bareCostNs(obj: Objective, box: { lower: Float64Array; upper: Float64Array }): number {
  const x = new Float64Array(obj.dim);
  let sink = 0;
  const n = 500_000;
  const times: number[] = [];
  for (let b = 0; b < BATCHES; b++) {
    const t0 = performance.now();
    for (let k = 0; k < n; k++) {
      const i = k % obj.dim;
      x[i] = box.lower[i]! + (box.upper[i]! - box.lower[i]!) * (k % 7) * 0.1;
      sink += obj.value(x);
    }
    times.push(((performance.now() - t0) * 1e6) / n);
  }
  const ns = median(times);
  if (sink === -1) console.log(sink);
  return ns;
}

export async function run(): Promise<void> {
  const registry = new PluginRegistry();
  registry.registerAll(solversPlugins);
  const rows: string[][] = [];
  for (const dim of [2, 10]) {
    const tf = testFunction('sphere', dim);
    const objective: Objective = { dim, value: tf.objective.value };
    const bare = bareCostNs(objective, tf.box);
    for (const name of SOLVERS) {
      const solver = registry.create<Solver>('solver', name, {});
      // warm-up, then BATCHES timed batches of >= BATCH_MS each; the machine is shared, so the
      // median batch is reported
      solver.minimize({ objective, box: tf.box, rng: new Rng(['bench', name, dim, 'warm']) });
      const perEval: number[] = [];
      let evals = 0;
      let runs = 0;
      for (let b = 0; b < BATCHES; b++) {
        let batchEvals = 0;
        const t0 = performance.now();
        while (performance.now() - t0 < BATCH_MS) {
          const r = solver.minimize({ objective, box: tf.box, rng: new Rng(['bench', name, dim, runs]) });
          batchEvals += r.evaluations;
          runs++;
        }
        perEval.push(((performance.now() - t0) * 1e3) / batchEvals);
        evals += batchEvals;
      }
      const perEvalUs = median(perEval);
      const ms = (perEvalUs * evals) / 1e3;
      rows.push([
        name,
        String(dim),
        String(runs),
        (evals / runs).toFixed(0),
        ((evals / ms) * 1e3).toExponential(2),
        perEvalUs.toFixed(3),
        (perEvalUs - bare / 1e3).toFixed(3),
        (bare / 1e3).toFixed(3),
      ]);
    }
  }
  const head = [
    'solver',
    'dim',
    'runs',
    'evals/run',
    'evals/s',
    'µs/eval',
    'solver µs/eval',
    'objective µs/eval',
  ];
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const fmt = (r: string[]): string => r.map((s, c) => s.padStart(widths[c]!)).join('  ');
  console.log(
    'sphere objective, value only (bfgs/tn use central-difference gradients); default params; median of 7 batches',
  );
  console.log(fmt(head));
  for (const r of rows) console.log(fmt(r));
}
