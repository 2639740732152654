import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadWithBuiltins } from '../../src/builtins.js';
import { IsacflowError } from '../../src/core/errors.js';
import type { ResolvedPipeline } from '../../src/core/pipeline-loader.js';
import { finishRun } from '../../src/runner/finish-run.js';
import { runPipeline } from '../../src/runner/run.js';

const redisUrl = inject('redisUrl');
const repo = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'isacflow-queue-'));

const PIPELINE = (name: string, trials = 6) => `isacflow: 1
name: ${name}
scenario:
  system: { subcarriers: 32, symbols: 16 }
  targets:
    random: { count: 2, area: [[125, 125], [225, 225]] }
run: { trials: ${trials}, frames: 2 }
sweep:
  scenario.snr.db: [0, 10]
stages:
  - { id: echoes, uses: echo-generator }
  - { id: fft, uses: fft-detector, params: { angleBins: 16 } }
outputs:
  summary: { fields: [detections.*.rangeCells, detections.*.dopplerCells], bootstrap: 200 }
`;

/** records.jsonl without the timings (the only field that depends on where a trial ran) */
const lines = (folder: string) =>
  readFileSync(join(folder, 'records.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.stringify({ ...JSON.parse(l), timings: {} }));

interface Proc {
  child: ChildProcess;
  out: string[];
  exited: Promise<number | null>;
}

const procs: Proc[] = [];

function cli(args: string[]): Proc {
  const child = spawn(process.execPath, [join(repo, 'bin/isacflow.js'), ...args], {
    cwd: repo,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: string[] = [];
  const take = (d: Buffer) => out.push(...d.toString().split('\n').filter(Boolean));
  child.stdout?.on('data', take);
  child.stderr?.on('data', take);
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const p = { child, out, exited };
  procs.push(p);
  return p;
}

async function until(what: string, ok: () => boolean, ms = 90_000, log: string[] = []): Promise<void> {
  const t0 = Date.now();
  while (!ok()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}\n${log.join('\n')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** An isacflow worker process (1 thread, short job locks so a killed one is noticed in seconds). */
async function worker(): Promise<Proc> {
  const w = cli([
    'worker',
    '--queue',
    redisUrl,
    '--concurrency',
    '1',
    '--lock-duration',
    '3000',
    '--log-jobs',
  ]);
  await until('worker start', () => w.out.some((l) => l.startsWith('isacflow worker on')), 90_000, w.out);
  return w;
}

const stop = async (p: Proc, signal: NodeJS.Signals = 'SIGTERM') => {
  if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill(signal);
  await p.exited;
};

/**
 * Redis's keys once the workers have seen the queue end (at most 20 s): a BullMQ worker still polling
 * the queue may re-create its `:meta` hash and `:stalled-check` marker for a moment; the worker deletes
 * those leftovers when it stops serving the queue (at its next read of the queue list, every second).
 */
async function keysOnceIdle(redis: Redis): Promise<string[]> {
  let keys = await redis.keys('*');
  for (let i = 0; i < 200 && keys.length > 0; i++) {
    await new Promise((r) => setTimeout(r, 100));
    keys = await redis.keys('*');
  }
  return keys;
}

/** Job ids a worker finished (its --log-jobs lines). */
const doneJobs = (p: Proc) => p.out.filter((l) => l.startsWith('done ')).map((l) => l.slice(5));

async function localReference(
  file: string,
  out: string,
): Promise<{ resolved: ResolvedPipeline; folder: string }> {
  const resolved = await loadWithBuiltins(file);
  const r = await runPipeline(resolved, { out, workers: 1 });
  await finishRun(resolved, r.folder);
  return { resolved, folder: out };
}

describe.skipIf(!redisUrl)('queue (BullMQ on a real redis-server)', () => {
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(redisUrl);
  });
  afterAll(async () => {
    redis.disconnect();
  });
  afterEach(async () => {
    await Promise.all(procs.splice(0).map((p) => stop(p, 'SIGKILL')));
    await redis.flushdb();
  });

  it('2 worker processes + a coordinator give the records of the local run; summary.json byte-identical; Redis left clean', async () => {
    const file = join(dir, 'two.yaml');
    writeFileSync(file, PIPELINE('two'));
    const [w1, w2] = await Promise.all([worker(), worker()]);
    const ref = await localReference(file, join(dir, 'two-local'));
    const r = await runPipeline(ref.resolved, { out: join(dir, 'two-queue'), queue: { url: redisUrl } });
    await finishRun(ref.resolved, r.folder);
    expect(r.executor).toBe('queue');
    expect(lines(join(dir, 'two-queue'))).toEqual(lines(ref.folder));
    expect(
      readFileSync(join(dir, 'two-queue', 'summary.json')).equals(
        readFileSync(join(ref.folder, 'summary.json')),
      ),
    ).toBe(true);
    // both workers took part, every job ran once
    const all = [...doneJobs(w1!), ...doneJobs(w2!)];
    // which worker takes which job is up to the queue (one may start first and take them all)
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBe(12);
    // queue, jobs and snapshot removed; a worker that polled the queue after the coordinator removed it
    // drops its leftovers (:meta, :stalled-check) when it next reads the queue list (every second)
    expect(await keysOnceIdle(redis)).toEqual([]);
    // the URL is in the manifest without credentials only (here there are none); never in records
    expect(readFileSync(join(dir, 'two-queue', 'manifest.json'), 'utf8')).not.toContain(redisUrl);
  }, 300_000);

  it('a worker killed with SIGKILL mid-job loses nothing: the job is retried by the other worker, no duplicate records', async () => {
    const file = join(dir, 'kill.yaml');
    writeFileSync(file, PIPELINE('kill'));
    const a = await worker();
    const ref = await localReference(file, join(dir, 'kill-local'));
    const running = runPipeline(ref.resolved, { out: join(dir, 'kill-queue'), queue: { url: redisUrl } });
    await until('worker A starts a job', () => a.out.some((l) => l.startsWith('start ')));
    a.child.kill('SIGKILL'); // the first job of a worker includes loading the pipeline: it is mid-job
    const killedJob = a.out.find((l) => l.startsWith('start '))!.slice(6);
    const b = await worker();
    const r = await running;
    expect(lines(join(dir, 'kill-queue'))).toEqual(lines(ref.folder));
    expect(doneJobs(a)).not.toContain(killedJob);
    expect(doneJobs(b)).toContain(killedJob);
    expect(r.executed).toBe(12);
  }, 300_000);

  it('a coordinator killed and resumed re-attaches to its jobs: nothing runs twice to completion', async () => {
    const file = join(dir, 'resume.yaml');
    writeFileSync(file, PIPELINE('resume', 30));
    const [w1, w2] = await Promise.all([worker(), worker()]);
    const ref = await localReference(file, join(dir, 'resume-local'));
    const out = join(dir, 'resume-queue');
    const coord = cli(['run', file, '--queue', redisUrl, '--out', out, '--quiet']);
    await until(
      'first records on disk',
      () =>
        existsSync(join(out, 'records.jsonl')) && readFileSync(join(out, 'records.jsonl'), 'utf8').length > 0,
    );
    coord.child.kill('SIGKILL');
    await coord.exited;
    const before = readFileSync(join(out, 'records.jsonl'), 'utf8').trim().split('\n').length;
    expect(before).toBeLessThan(120);
    // resumed from the folder alone (the stale lock of the killed coordinator is taken over)
    const again = cli(['run', '--resume', out, '--queue', redisUrl, '--quiet']);
    expect(await again.exited).toBe(0);
    expect(lines(out)).toEqual(lines(ref.folder));
    expect(
      readFileSync(join(out, 'summary.json')).equals(readFileSync(join(ref.folder, 'summary.json'))),
    ).toBe(true);
    const all = [...doneJobs(w1!), ...doneJobs(w2!)];
    expect(new Set(all).size).toBe(all.length); // no job finished twice
    expect(all.length).toBe(60);
  }, 300_000);

  it('two coordinators of one pipeline at once: the second is refused while the first runs, nothing runs twice; BullMQ keeps one job per id', async () => {
    // BullMQ itself: adding a job whose id exists adds nothing
    const conn = new Redis(redisUrl, { maxRetriesPerRequest: null });
    const q = new Queue('dup-check', { connection: conn });
    await q.add('x', { n: 1 }, { jobId: 'same' });
    await q.add('x', { n: 2 }, { jobId: 'same' });
    expect((await q.getJobs(['waiting'])).map((j) => j.data)).toEqual([{ n: 1 }]);
    await q.obliterate({ force: true });
    await q.close();
    conn.disconnect();

    const file = join(dir, 'twice.yaml');
    writeFileSync(file, PIPELINE('twice', 30));
    const w = await worker();
    const resolved = await loadWithBuiltins(file);
    const first = runPipeline(resolved, { out: join(dir, 'twice-a'), queue: { url: redisUrl } });
    await until('the first coordinator holds the queue', () => w.out.some((l) => l.startsWith('start ')));
    const err = await runPipeline(resolved, { out: join(dir, 'twice-b'), queue: { url: redisUrl } }).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(IsacflowError);
    expect((err as Error).message).toMatch(
      /another coordinator is running this pipeline on the queue isacflow-\w+ \(on \S+, pid \d+, since/,
    );
    const r = await first;
    expect(r.executed).toBe(60);
    const done = doneJobs(w);
    expect(new Set(done).size).toBe(done.length);
    expect(done.length).toBe(60);
    expect((await redis.keys('isacflow:coordinator:*')).length).toBe(0); // the claim is released
  }, 300_000);

  it("a worker that stops serving a removed queue deletes the ':meta' hash its polling left, and nothing else", async () => {
    const { QueueWorker } = await import('../../src/runner/queue/queue-worker.js');
    const log: string[] = [];
    const qw = await QueueWorker.start({
      url: redisUrl,
      concurrency: 1,
      discoverMs: 100,
      log: (l) => log.push(l),
    });
    try {
      for (const q of ['isacflow-left', 'isacflow-paused']) await redis.sadd('isacflow:queues', q);
      await until('serving', () => log.filter((l) => l.startsWith('serving queue')).length === 2);
      await redis.srem('isacflow:queues', 'isacflow-left', 'isacflow-paused');
      // what BullMQ's stalled-job check of a still-polling worker writes into a removed queue
      await redis.hset('bull:isacflow-left:meta', 'opts.maxLenEvents', '10000');
      // a hash with more in it is not a leftover of polling: kept
      await redis.hset('bull:isacflow-paused:meta', 'opts.maxLenEvents', '10000', 'paused', '1');
      await until('finished', () => log.filter((l) => l.includes('finished')).length === 2);
      let left = 1;
      for (let i = 0; i < 100 && (left = await redis.exists('bull:isacflow-left:meta')) > 0; i++)
        await new Promise((r) => setTimeout(r, 100));
      expect(left).toBe(0);
      expect(await redis.hgetall('bull:isacflow-paused:meta')).toEqual({
        'opts.maxLenEvents': '10000',
        paused: '1',
      });
    } finally {
      await qw.close();
    }
  }, 120_000);

  it('a pipeline that fails on a worker fails the run once, with its located message', async () => {
    const plugin = join(dir, 'bad-stage.js');
    writeFileSync(
      plugin,
      `export default ({ z, defineStage, injectable }) => {
  class Bad { process(frame) { if (frame.trial === 1) throw new Error('bad value on purpose'); } }
  injectable()(Bad);
  return defineStage({ name: 'bad-stage', summary: 'fails on trial 1', params: z.object({}).strict(), reads: [], adds: [], stage: Bad });
};
`,
    );
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      `isacflow: 1\nname: bad\nplugins: [./bad-stage.js]\nscenario: { system: { subcarriers: 16, symbols: 16 } }\nrun: { trials: 3 }\nstages:\n  - { id: boom, uses: bad-stage }\n`,
    );
    const w = await worker();
    const resolved = await loadWithBuiltins(file);
    const err = await runPipeline(resolved, { out: join(dir, 'bad-queue'), queue: { url: redisUrl } }).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(IsacflowError);
    expect((err as IsacflowError).kind).toBe('stage-failed');
    // located in the user's pipeline file (not in the worker's copy), with stage, trial and reason
    expect((err as Error).message).toMatch(
      /bad\.yaml:7:\d+ +stage 'boom' \(bad-stage\) +failed on trial 1, frame 0: bad value on purpose/,
    );
    expect((err as Error).message).not.toContain('isacflow-snapshots');
    await until('worker log', () => w.out.some((l) => l.includes('failed')));
    await new Promise((r) => setTimeout(r, 1500));
    const failures = w.out.filter((l) => / job \S+-t1-n1 failed/.test(l));
    expect(failures).toHaveLength(1); // no retries of a user's error
    expect(await keysOnceIdle(redis)).toEqual([]);
  }, 300_000);
});

describe('queue URL', () => {
  it('an unreachable queue is refused before the run folder is made; its password appears nowhere', async () => {
    const file = join(dir, 'cred.yaml');
    writeFileSync(file, PIPELINE('cred'));
    const out = join(dir, 'cred-run');
    const err = await runPipeline(await loadWithBuiltins(file), {
      out,
      queue: { url: 'redis://alice:s3cret@127.0.0.1:1/0' },
    }).catch((e) => e);
    expect(err).toBeInstanceOf(IsacflowError);
    expect((err as Error).message).toMatch(/cannot reach the queue at redis:\/\/\*\*\*@127\.0\.0\.1:1\/0/);
    expect((err as Error).message).not.toContain('s3cret');
    expect(existsSync(out)).toBe(false);
  });
});
