/**
 * Queue throughput and overhead (README "Running on many machines"): a throw-away redis-server,
 * 1, 2 and 3 `isacflow worker` processes (1 thread each) on this machine against the local run
 * (in-process, 1 thread), in trials per second once everything is loaded (a warm-up run first);
 * and the queue's cost per trial on a trivial CRB-only pipeline (queue time minus local time,
 * per trial, 1 worker, 1 trial per job).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { loadWithBuiltins } from '../src/builtins.js';
import { runPipeline } from '../src/runner/run.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });

const WORK = `isacflow: 1
name: bench-queue-work
scenario:
  system: { subcarriers: 64, symbols: 32 }
  targets:
    random: { count: 2, area: [[125, 125], [225, 225]] }
run: { trials: 24, frames: 1 }
stages:
  - { id: echoes, uses: echo-generator }
  - { id: fft, uses: fft-detector, params: { angleBins: 16 } }
outputs: { report: false }
`;

const TRIVIAL = `isacflow: 1
name: bench-queue-trivial
run: { trials: 200, frames: 1 }
stages:
  - { id: crb, uses: crb-evaluator }
outputs: { report: false }
`;

function workerProcess(url: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [join(repo, 'bin/isacflow.js'), 'worker', '--queue', url, '--concurrency', '1'],
    { cwd: repo, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  return new Promise((resolve) => {
    child.stderr.on('data', (d: Buffer) => {
      if (d.toString().includes('isacflow worker on')) resolve(child);
    });
  });
}

async function timed(
  file: string,
  out: string,
  queue?: string,
  trials?: number,
  chunk = 1,
): Promise<{ s: number; trials: number }> {
  const resolved = await loadWithBuiltins(file, trials ? [`run.trials=${trials}`] : []);
  const t0 = performance.now();
  const r = await runPipeline(resolved, {
    out,
    workers: 1,
    ...(queue ? { queue: { url: queue, chunk } } : {}),
  });
  return { s: (performance.now() - t0) / 1000, trials: r.executed };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** Steady rate (trials/s) from a short and a long run: the fixed cost per run cancels out. */
async function steadyRate(
  file: string,
  next: () => string,
  queue?: string,
): Promise<{ rate: number; fixed: number }> {
  const short = await timed(file, next(), queue, 12);
  const long = await timed(file, next(), queue, 60);
  const rate = (long.trials - short.trials) / (long.s - short.s);
  return { rate, fixed: short.s - short.trials / rate };
}

export async function run(): Promise<void> {
  const binary = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((p) => existsSync(p));
  if (!binary) {
    console.log('queue: redis-server not found (apt-get install redis-server); skipped');
    return;
  }
  const port = await freePort();
  const redis = spawn(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  await new Promise((r) => setTimeout(r, 300));
  const url = `redis://127.0.0.1:${port}`;
  const dir = mkdtempSync(join(tmpdir(), 'isacflow-bench-queue-'));
  const work = join(dir, 'work.yaml');
  const trivial = join(dir, 'trivial.yaml');
  writeFileSync(work, WORK);
  writeFileSync(trivial, TRIVIAL);
  const workers: ChildProcess[] = [];
  let n = 0;
  const out = () => join(dir, `run-${n++}`);
  try {
    await timed(work, out(), undefined, 4); // warm-up: the in-process engine loads the pipeline once
    const locals = [await steadyRate(work, out), await steadyRate(work, out), await steadyRate(work, out)];
    const local = median(locals.map((r) => r.rate));
    console.log(
      `local, in-process (1 thread): ${local.toFixed(2)} trials/s steady (echoes + FFT, 4 APs x 8x64x32; runs of 12 and 60 trials, median of 3; fixed cost per run ${median(locals.map((r) => r.fixed)).toFixed(2)} s)`,
    );
    for (const count of [1, 2, 3]) {
      while (workers.length < count) workers.push(await workerProcess(url));
      await timed(work, out(), url, 4 * count); // warm-up: every worker thread loads the pipeline once
      const runs = [
        await steadyRate(work, out, url),
        await steadyRate(work, out, url),
        await steadyRate(work, out, url),
      ];
      const rate = median(runs.map((r) => r.rate));
      console.log(
        `queue, ${count} worker process(es) x 1 thread: ${rate.toFixed(2)} trials/s steady (${(rate / local).toFixed(2)}x local; fixed cost per run ${median(runs.map((r) => r.fixed)).toFixed(2)} s)`,
      );
    }
    while (workers.length > 1) workers.pop()?.kill('SIGTERM');
    await timed(trivial, out()); // warm-up
    await timed(trivial, out(), url);
    for (const chunk of [1, 10]) {
      const per: number[] = [];
      for (let i = 0; i < 3; i++) {
        const l = await timed(trivial, out());
        const q = await timed(trivial, out(), url, undefined, chunk);
        per.push(((q.s - l.s) / q.trials) * 1000);
      }
      console.log(
        `queue overhead per trial (CRB-only pipeline, 200 trials, ${chunk} trial(s) per job, 1 worker): ${median(per).toFixed(2)} ms (runs: ${per.map((x) => x.toFixed(2)).join(', ')}; run start and end included)`,
      );
    }
  } finally {
    for (const w of workers) w.kill('SIGTERM');
    redis.kill('SIGTERM');
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await run();
