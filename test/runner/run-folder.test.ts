import { spawn } from 'node:child_process';
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWithBuiltins } from '../../src/builtins.js';
import { IsacflowError } from '../../src/core/errors.js';
import { reportCommand } from '../../src/cli/report-command.js';
import { finishRun } from '../../src/runner/finish-run.js';
import { runPipeline } from '../../src/runner/run.js';

const repo = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'isacflow-folder-'));

/** Runs the CLI as a user would; resolves with exit code and output. */
function cli(
  args: string[],
  onSpawn?: (kill: () => void) => void,
): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, [join(repo, 'bin/isacflow.js'), ...args], {
    cwd: repo,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  onSpawn?.(() => child.kill('SIGKILL'));
  return new Promise((r) => child.once('exit', (code) => r({ code, out })));
}

/** A stage that waits `ms` per frame (so a run lasts long enough to meet a second one). */
const SLOW_STAGE = `export default ({ z, defineStage, inject, injectable, TOKENS }) => {
  const params = z.object({ ms: z.number().default(0) }).strict();
  class Slow {
    constructor(p) { this.p = p; }
    async process() { await new Promise((r) => setTimeout(r, this.p.ms)); }
  }
  injectable()(Slow);
  inject(TOKENS.StageParams)(Slow, undefined, 0);
  return defineStage({ name: 'slow', summary: 'waits', params, reads: [], adds: [], stage: Slow });
};
`;

const SMALL = (trials: number, snr = '[0, 10]') => `isacflow: 1
name: small
scenario: ./scenario.yaml
plugins: [./plugin.js]
run: { trials: ${trials}, frames: 2 }
sweep:
  scenario.snr.db: ${snr}
stages:
  - { id: echoes, uses: echo-generator }
  - { id: mine, uses: my-stage, params: { gainDb: 3 } }
`;
const SCENARIO = `system: { subcarriers: 16, symbols: 16 }\ntargets:\n  random: { count: 2, area: [[125, 125], [225, 225]] }\n`;

function study(name: string, trials = 3): string {
  const d = join(dir, name);
  mkdirSync(d, { recursive: true });
  writeFileSync(join(d, 'p.yaml'), SMALL(trials));
  writeFileSync(join(d, 'scenario.yaml'), SCENARIO);
  copyFileSync(join(repo, 'test/fixtures/plugins/my-stage.js'), join(d, 'plugin.js'));
  return d;
}

const noTimings = (folder: string) =>
  readFileSync(join(folder, 'records.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.stringify({ ...JSON.parse(l), timings: {} }));

describe('inputs are read once', () => {
  it('a pipeline, scenario and plugin edited during a 2-worker run change nothing; resume then names the changed plugin file', async () => {
    const ref = study('edit-ref');
    const r0 = await runPipeline(await loadWithBuiltins(join(ref, 'p.yaml')), {
      out: join(ref, 'run'),
      workers: 1,
    });
    const d = study('edit');
    const resolved = await loadWithBuiltins(join(d, 'p.yaml'));
    let edited = false;
    const r = await runPipeline(resolved, {
      out: join(d, 'run'),
      workers: 2,
      onProgress: () => {
        if (edited) return;
        edited = true; // before any worker thread has loaded the pipeline
        writeFileSync(join(d, 'p.yaml'), SMALL(3, '[20, 30]'));
        writeFileSync(join(d, 'scenario.yaml'), SCENARIO.replace('count: 2', 'count: 1'));
        writeFileSync(
          join(d, 'plugin.js'),
          readFileSync(join(d, 'plugin.js'), 'utf8').replace('this.p.gainDb +', '1000 + this.p.gainDb +'),
        );
      },
    });
    expect(r.workers).toBe(2);
    expect(noTimings(join(d, 'run'))).toEqual(noTimings(join(ref, 'run')));
    expect(r0.executed).toBe(6);
    const m = JSON.parse(readFileSync(join(d, 'run', 'manifest.json'), 'utf8'));
    expect(m.inputs.map((i: { role: string }) => i.role)).toEqual(['pipeline', 'scenario', 'plugin']);
    expect(m.inputs.every((i: { sha256: string }) => /^[0-9a-f]{64}$/.test(i.sha256))).toBe(true);
    // the plugin file now differs from the run's: resume is refused, naming the file
    const err = await runPipeline(await loadWithBuiltins(join(ref, 'p.yaml')), {
      resume: join(d, 'run'),
    }).catch((e) => e);
    expect(err).toBeInstanceOf(IsacflowError);
    const again = await cli(['run', '--resume', join(d, 'run'), '--quiet']);
    expect(again.code).toBe(1);
    expect(again.out).toMatch(/plugin file\(s\) changed since this run started: .*edit\/plugin\.js/);
  }, 300_000);
});

describe('run folder', () => {
  it('two runs on one folder: the second is refused while the first holds the lock; a dead holder is taken over; no duplicates', async () => {
    const d = study('lock', 24);
    writeFileSync(join(d, 'slow.js'), SLOW_STAGE);
    writeFileSync(
      join(d, 'p.yaml'),
      SMALL(24, '[0]').replace('plugins: [./plugin.js]', 'plugins: [./plugin.js, ./slow.js]') +
        '  - { id: wait, uses: slow, params: { ms: 250 } }\n',
    );
    const run = join(d, 'run');
    let killFirst = () => {};
    const first = cli(['run', join(d, 'p.yaml'), '--out', run, '--quiet'], (k) => (killFirst = k));
    const t0 = Date.now();
    while (!existsSync(join(run, 'run.lock.json')) && Date.now() - t0 < 120_000)
      await new Promise((r) => setTimeout(r, 100));
    const second = await cli(['run', '--resume', run, '--quiet']);
    expect(second.code).toBe(1);
    expect(second.out).toMatch(/this run folder is in use by process \d+ on \S+/);
    killFirst();
    await first;
    // the holder is dead: the lock is taken over, the run completes without duplicates
    const third = await cli(['run', '--resume', run, '--quiet']);
    expect(third.out).toMatch(/trial\(s\) resumed from disk|frame record/);
    expect(third.code).toBe(0);
    const lines = readFileSync(join(run, 'records.jsonl'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(48);
    expect(
      new Set(
        lines.map((l) => {
          const r = JSON.parse(l);
          return `${r.trial}/${r.frame}`;
        }),
      ).size,
    ).toBe(48);
    expect(existsSync(join(run, 'run.lock'))).toBe(false);
  }, 300_000);

  it('--out refuses a non-empty folder that is not a run of this pipeline, unless --force (which touches nothing else)', async () => {
    const d = study('out');
    const foreign = join(d, 'mine');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'thesis.tex'), 'precious');
    const refused = await cli(['run', join(d, 'p.yaml'), '--out', foreign, '--quiet']);
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(
      /folder is not empty and is not an isacflow run \(holds thesis\.tex\).*--force/,
    );
    expect(readdirSync(foreign)).toEqual(['thesis.tex']);
    // a file in the way
    const file = join(d, 'p.yaml');
    const notDir = await runPipeline(await loadWithBuiltins(file), { out: join(d, 'scenario.yaml') }).catch(
      (e) => e,
    );
    expect((notDir as Error).message).toMatch(/scenario\.yaml: is a file, not a folder/);
    const under = await runPipeline(await loadWithBuiltins(file), {
      out: join(d, 'scenario.yaml', 'x'),
    }).catch((e) => e);
    expect(under).toBeInstanceOf(IsacflowError);
    expect((under as Error).message).toMatch(/cannot create the run folder: a file is in the way/);
    // --force writes the run's files beside the foreign one
    const forced = await runPipeline(await loadWithBuiltins(file), { out: foreign, force: true });
    expect(forced.executed).toBe(6);
    expect(readFileSync(join(foreign, 'thesis.tex'), 'utf8')).toBe('precious');
    // a folder holding a run of the same pipeline is reused; of another pipeline, refused
    await runPipeline(await loadWithBuiltins(file), { out: foreign });
    const other = await runPipeline(await loadWithBuiltins(file, ['run.trials=2']), { out: foreign }).catch(
      (e) => e,
    );
    expect((other as Error).message).toMatch(/folder holds a run of another pipeline/);
  }, 300_000);

  it('--resume and report on a missing folder fail without creating it; a truncated manifest and a record without fields are located errors', async () => {
    const d = study('broken');
    const missing = join(d, 'nope');
    const e1 = await runPipeline(await loadWithBuiltins(join(d, 'p.yaml')), { resume: missing }).catch(
      (e) => e,
    );
    expect((e1 as Error).message).toMatch(
      /nope: no such folder; --resume needs the folder of an earlier run/,
    );
    const e2 = await reportCommand(missing, {}).catch((e) => e);
    expect((e2 as Error).message).toMatch(/no such folder; report needs/);
    expect(existsSync(missing)).toBe(false);

    const run = join(d, 'run');
    const resolved = await loadWithBuiltins(join(d, 'p.yaml'));
    await runPipeline(resolved, { out: run });
    const manifest = readFileSync(join(run, 'manifest.json'), 'utf8');
    writeFileSync(join(run, 'manifest.json'), manifest.slice(0, 100));
    const e3 = await runPipeline(resolved, { resume: run }).catch((e) => e);
    expect(e3).toBeInstanceOf(IsacflowError);
    expect((e3 as Error).message).toMatch(/manifest\.json {2}not valid JSON .*damaged or truncated/);
    writeFileSync(join(run, 'manifest.json'), manifest);
    appendFileSync(join(run, 'records.jsonl'), '{}\n');
    const e4 = await runPipeline(resolved, { resume: run }).catch((e) => e);
    expect(e4).toBeInstanceOf(IsacflowError);
    expect((e4 as Error).message).toMatch(
      /records\.jsonl:13 {2}not a frame record: needs point \(object\), trial \(integer >= 0\), frame \(integer >= 0\)/,
    );
  }, 300_000);

  it('report counts repeated records once and says so; different copies of one record are refused', async () => {
    const d = study('dup');
    const run = join(d, 'run');
    const resolved = await loadWithBuiltins(join(d, 'p.yaml'));
    const r = await runPipeline(resolved, { out: run });
    await finishRun(resolved, r.folder);
    const summary = readFileSync(join(run, 'summary.json'));
    const lines = readFileSync(join(run, 'records.jsonl'), 'utf8').trim().split('\n');
    appendFileSync(join(run, 'records.jsonl'), lines.slice(0, 4).join('\n') + '\n');
    const stderr: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) => (stderr.push(String(s)), true)) as typeof process.stderr.write;
    try {
      await reportCommand(run, {});
    } finally {
      process.stderr.write = write;
    }
    expect(stderr.join('')).toMatch(/4 repeated record\(s\) .* counted once/);
    expect(readFileSync(join(run, 'summary.json')).equals(summary)).toBe(true);
    const changed = JSON.parse(lines[0]!);
    changed.myValue = -1;
    appendFileSync(join(run, 'records.jsonl'), JSON.stringify(changed) + '\n');
    const err = await reportCommand(run, {}).catch((e) => e);
    expect((err as Error).message).toMatch(
      /appear more than once with different content .*two different runs wrote into this folder/,
    );
  }, 300_000);

  it('run --resume DIR alone continues with the pipeline stored in the folder', async () => {
    const d = study('alone');
    const run = join(d, 'run');
    const resolved = await loadWithBuiltins(join(d, 'p.yaml'));
    await runPipeline(resolved, { out: run });
    const full = noTimings(run);
    const lines = readFileSync(join(run, 'records.jsonl'), 'utf8').split('\n');
    writeFileSync(join(run, 'records.jsonl'), lines.slice(0, 5).join('\n') + '\n');
    writeFileSync(join(d, 'p.yaml'), 'not: [a pipeline'); // the user's file is not read again
    const res = await cli(['run', '--resume', run, '--quiet']);
    expect(res.out).toMatch(/2 trial\(s\) resumed from disk/);
    expect(res.code).toBe(0);
    expect(noTimings(run)).toEqual(full);
  }, 300_000);
});
