import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { loadWithBuiltins } from '../../src/builtins.js';
import { IsacflowError } from '../../src/core/errors.js';
import { runPipeline } from '../../src/runner/run.js';

// Plugins that import files of their own by relative path (JavaScript and TypeScript), outside
// the isacflow checkout as a user's would be. Workers (threads, queue worker processes) get them
// through the run's snapshot, where each plugin is bundled with its imports.
const dir = mkdtempSync(join(tmpdir(), 'isacflow-bundle-'));
const repo = resolve(import.meta.dirname, '../..');
mkdirSync(join(dir, 'js', 'lib'), { recursive: true });
mkdirSync(join(dir, 'ts', 'lib'), { recursive: true });

const JS_HELPER = `export const FACTOR = 7;
export function scaled(u, fail) {
  if (fail) throw new Error('js helper refused on purpose');
  return FACTOR * u;
}
`;
writeFileSync(join(dir, 'js', 'lib', 'helper.js'), JS_HELPER);
writeFileSync(
  join(dir, 'js', 'plugin.js'),
  `import { scaled } from './lib/helper.js';
export default ({ z, defineStage, inject, injectable, TOKENS }) => {
  const params = z.object({ failOnTrial: z.number().int().default(-1) }).strict();
  class JsHelped {
    constructor(p) { this.p = p; }
    process(frame, ctx) { frame.record.jsHelped = scaled(ctx.rng.uniform(), frame.trial === this.p.failOnTrial); }
  }
  injectable()(JsHelped);
  inject(TOKENS.StageParams)(JsHelped, undefined, 0);
  return defineStage({ name: 'js-helped', summary: 'uses a helper file', params, reads: [], adds: [], stage: JsHelped });
};
`,
);
const TS_HELPER = `export interface Offset { by: number }
export function shifted(u: number, o: Offset, fail: boolean): number {
  if (fail) throw new Error('ts helper refused on purpose');
  return u + o.by;
}
`;
writeFileSync(join(dir, 'ts', 'lib', 'util.ts'), TS_HELPER);
writeFileSync(
  join(dir, 'ts', 'plugin.ts'),
  `import { shifted, type Offset } from './lib/util.js';
const offset: Offset = { by: 100 };
export default ({ z, defineStage, inject, injectable, TOKENS }: any) => {
  const params = z.object({ failOnTrial: z.number().int().default(-1) }).strict();
  class TsHelped {
    constructor(private readonly p: { failOnTrial: number }) {}
    process(frame: any, ctx: any): void {
      frame.record.tsHelped = shifted(ctx.rng.uniform(), offset, frame.trial === this.p.failOnTrial);
    }
  }
  injectable()(TsHelped);
  inject(TOKENS.StageParams)(TsHelped, undefined, 0);
  return defineStage({ name: 'ts-helped', summary: 'uses a helper file', params, reads: [], adds: [], stage: TsHelped });
};
`,
);

const pipelineText = (name: string, params = { js: '{}', ts: '{}' }) => `isacflow: 1
name: ${name}
plugins: [./js/plugin.js, ./ts/plugin.ts]
scenario:
  system: { subcarriers: 16, symbols: 16 }
  targets:
    random: { count: 1, area: [[125, 125], [225, 225]] }
run: { trials: 4, frames: 2 }
stages:
  - { id: echoes, uses: echo-generator }
  - { id: js, uses: js-helped, params: ${params.js} }
  - { id: ts, uses: ts-helped, params: ${params.ts} }
`;
const file = join(dir, 'rel.yaml');
writeFileSync(file, pipelineText('rel'));

/** (trial, frame, jsHelped, tsHelped) of each record (frame.record's fields are top-level): in file order */
const values = (folder: string) =>
  readFileSync(join(folder, 'records.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { trial: number; frame: number; jsHelped: number; tsHelped: number })
    .map((r) => [r.trial, r.frame, r.jsHelped, r.tsHelped]);

/** `file:line:col` of `new Error` in a helper's source: where V8 places the throw */
const throwAt = (path: string, text: string) => {
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes('new Error'));
  return `${path}:${line + 1}:${(lines[line] as string).indexOf('new Error') + 1}`;
};

describe('plugins with relative imports of their own', () => {
  it('give the same records with 1 worker and 2 worker threads; the snapshot lists the helper files', async () => {
    const resolved = await loadWithBuiltins(file);
    const one = await runPipeline(resolved, { out: join(dir, 'w1'), workers: 1 });
    const two = await runPipeline(resolved, { out: join(dir, 'w2'), workers: 2 });
    expect(two.workers).toBe(2);
    const v1 = values(one.folder.dir);
    expect(v1).toHaveLength(8);
    for (const [, , js, ts] of v1) {
      expect(js).toBeGreaterThanOrEqual(0); // 7 u, u uniform in [0, 1)
      expect(js).toBeLessThan(7);
      expect(ts).toBeGreaterThanOrEqual(100); // u + 100
      expect(ts).toBeLessThan(101);
    }
    expect(values(two.folder.dir)).toEqual(v1);
    const manifest = JSON.parse(readFileSync(join(dir, 'w2', 'manifest.json'), 'utf8'));
    const inputs = manifest.inputs.map((i: { role: string; display: string }) => `${i.role} ${i.display}`);
    expect(inputs).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^plugin .*js\/plugin\.js$/),
        expect.stringMatching(/^plugin-import .*js\/lib\/helper\.js$/),
        expect.stringMatching(/^plugin .*ts\/plugin\.ts$/),
        expect.stringMatching(/^plugin-import .*ts\/lib\/util\.ts$/),
      ]),
    );
  }, 180_000);

  for (const lang of ['js', 'ts'] as const) {
    it(`an error thrown in a ${lang.toUpperCase()} helper file on a worker thread names the helper's file:line:col`, async () => {
      const f = join(dir, `fail-${lang}.yaml`);
      writeFileSync(f, pipelineText(`fail-${lang}`, { js: '{}', ts: '{}', [lang]: '{ failOnTrial: 2 }' }));
      const resolved = await loadWithBuiltins(f);
      const err = await runPipeline(resolved, { out: join(dir, `fail-${lang}-run`), workers: 2 }).catch(
        (e) => e,
      );
      expect(err).toBeInstanceOf(IsacflowError);
      const helper =
        lang === 'js'
          ? throwAt(join(dir, 'js', 'lib', 'helper.js'), JS_HELPER)
          : throwAt(join(dir, 'ts', 'lib', 'util.ts'), TS_HELPER);
      expect((err as Error).message).toContain(
        `failed on trial 2, frame 0: ${lang} helper refused on purpose (at ${helper})`,
      );
      expect((err as Error).message).not.toContain('isacflow-snapshots');
    }, 180_000);
  }

  it('resume refuses a folder whose helper file changed, naming the helper', async () => {
    const resolved = await loadWithBuiltins(file);
    const out = join(dir, 'changed');
    await runPipeline(resolved, { out, workers: 1 });
    const helper = join(dir, 'ts', 'lib', 'util.ts');
    writeFileSync(helper, TS_HELPER.replace('u + o.by', 'u + o.by + 1'));
    try {
      const err = await runPipeline(resolved, { resume: out, workers: 1 }).catch((e) => e);
      expect(err).toBeInstanceOf(IsacflowError);
      expect((err as IsacflowError).kind).toBe('resume-mismatch');
      expect((err as Error).message).toMatch(
        /plugin file\(s\) changed since this run started: \S*ts\/lib\/util\.ts/,
      );
    } finally {
      writeFileSync(helper, TS_HELPER);
    }
  }, 180_000);
});

const redisUrl = inject('redisUrl');

describe.skipIf(!redisUrl)('plugins with relative imports on a queue worker process', () => {
  let worker: ChildProcess | undefined;
  const out: string[] = [];
  afterAll(async () => {
    if (worker && worker.exitCode === null) {
      const exited = new Promise((r) => worker!.once('exit', r));
      worker.kill('SIGKILL');
      await exited;
    }
    const redis = new Redis(redisUrl);
    await redis.flushdb();
    redis.disconnect();
  });

  it('gives the records of the local run, and a helper error names the helper file:line:col', async () => {
    worker = spawn(
      process.execPath,
      [join(repo, 'bin/isacflow.js'), 'worker', '--queue', redisUrl, '--concurrency', '1'],
      { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const take = (d: Buffer) => out.push(...d.toString().split('\n').filter(Boolean));
    worker.stdout?.on('data', take);
    worker.stderr?.on('data', take);
    const t0 = Date.now();
    while (!out.some((l) => l.startsWith('isacflow worker on'))) {
      if (Date.now() - t0 > 90_000) throw new Error(`worker did not start\n${out.join('\n')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const resolved = await loadWithBuiltins(file);
    const local = await runPipeline(resolved, { out: join(dir, 'q-local'), workers: 1 });
    const queued = await runPipeline(resolved, { out: join(dir, 'q-queue'), queue: { url: redisUrl } });
    expect(queued.executor).toBe('queue');
    expect(values(queued.folder.dir)).toEqual(values(local.folder.dir));

    const f = join(dir, 'q-fail.yaml');
    writeFileSync(f, pipelineText('q-fail', { js: '{ failOnTrial: 1 }', ts: '{}' }));
    const err = await runPipeline(await loadWithBuiltins(f), {
      out: join(dir, 'q-fail-run'),
      queue: { url: redisUrl },
    }).catch((e) => e);
    expect(err).toBeInstanceOf(IsacflowError);
    expect((err as Error).message).toContain(
      `js helper refused on purpose (at ${throwAt(join(dir, 'js', 'lib', 'helper.js'), JS_HELPER)})`,
    );
  }, 300_000);
});
