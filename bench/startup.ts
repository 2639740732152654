import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';

/**
 * Start-up (`npm run bench -- startup`): wall time of `isacflow validate pipelines/quickstart.yaml`
 * (the compiled CLI, as installed) and of a worker thread until it can run trials, each beside a
 * bare `node -e 0` measured in the same run (ratios are what to compare across machines and load).
 * For reference, the same two from the TypeScript sources through tsx (how isacflow ran before
 * the build). Medians of 5 runs (workers: 3).
 */
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const quickstart = join(root, 'pipelines', 'quickstart.yaml');
const tsxLoader = pathToFileURL(join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

function wall(args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const t0 = performance.now();
  execFileSync(process.execPath, args, { cwd: tmpdir(), stdio: 'pipe', env });
  return performance.now() - t0;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

/** ms from creating a one-thread pool until a trial's result is back, minus that trial's own time. */
async function workerReady(filename: string, execArgv: string[], file: string): Promise<number> {
  const t0 = performance.now();
  const pool = new Piscina({ filename, minThreads: 1, maxThreads: 1, execArgv });
  await pool.run({ file, sets: [], pointIndex: 0, trial: 0 });
  const first = performance.now() - t0;
  const t1 = performance.now();
  await pool.run({ file, sets: [], pointIndex: 0, trial: 1 });
  const steady = performance.now() - t1;
  await pool.destroy();
  return first - steady;
}

export async function run(): Promise<void> {
  const bundle = join(root, 'dist', 'bundle');
  if (!existsSync(join(bundle, 'main.js'))) {
    console.log('no dist/bundle: run `npm run build` first');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'isacflow-startup-'));
  const tiny = join(dir, 'tiny.yaml');
  writeFileSync(
    tiny,
    `isacflow: 1\nname: tiny\nscenario: { system: { subcarriers: 16, symbols: 16 } }\nrun: { trials: 2, frames: 1 }\nstages:\n  - { id: echoes, uses: echo-generator }\n`,
  );

  const env = { ...process.env, NODE_OPTIONS: '' };
  const nodeMs: number[] = [];
  const validateMs: number[] = [];
  const validateTsxMs: number[] = [];
  for (let i = 0; i < 5; i++) {
    nodeMs.push(wall(['-e', '0'], env));
    validateMs.push(wall([join(bundle, 'main.js'), 'validate', quickstart], env));
    validateTsxMs.push(
      wall(['--import', tsxLoader, join(root, 'src', 'cli', 'main.ts'), 'validate', quickstart], {
        ...env,
        TSX_TSCONFIG_PATH: join(root, 'tsconfig.json'),
      }),
    );
  }
  const workerMs: number[] = [];
  const workerTsxMs: number[] = [];
  for (let i = 0; i < 3; i++) {
    workerMs.push(await workerReady(join(bundle, 'trial-worker.js'), [], tiny));
    workerTsxMs.push(
      await workerReady(join(root, 'src', 'runner', 'trial-worker.ts'), ['--import', tsxLoader], tiny),
    );
  }
  const n = median(nodeMs);
  const row = (label: string, ms: number) =>
    console.log(
      `${label.padEnd(52)} ${ms.toFixed(0).padStart(6)} ms  ${(ms / n).toFixed(2).padStart(6)} x node -e 0`,
    );
  row('node -e 0', n);
  row('isacflow validate quickstart (compiled, dist/bundle)', median(validateMs));
  row('  same from the sources through tsx (before the build)', median(validateTsxMs));
  row('worker ready to run trials (compiled)', median(workerMs));
  row('  same from the sources through tsx', median(workerTsxMs));
}
