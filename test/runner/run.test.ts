import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWithBuiltins } from '../../src/builtins.js';
import { IsacflowError } from '../../src/core/errors.js';
import type { FrameRecord } from '../../src/core/frame.js';
import { finishRun } from '../../src/runner/finish-run.js';
import { runPipeline } from '../../src/runner/run.js';

const dir = mkdtempSync(join(tmpdir(), 'isacflow-run-'));
const pipeline = join(dir, 'p.yaml');
writeFileSync(
  pipeline,
  `isacflow: 1
name: small
scenario:
  system: { subcarriers: 32, symbols: 16 }
  targets:
    random: { count: 2, area: [[125, 125], [225, 225]] }
run: { trials: 3, frames: 2 }
sweep:
  scenario.snr.db: [0, 10]
stages:
  - { id: echoes, uses: echo-generator }
  - { id: fft, uses: fft-detector, params: { angleBins: 16 } }
outputs:
  summary: { fields: [detections.*.rangeCells, detections.*.dopplerCells], bootstrap: 200 }
`,
);

const strip = (rs: FrameRecord[]) => rs.map((r) => JSON.stringify({ ...r, timings: {} }));

describe('runner', () => {
  it('writes the run folder; 1 and 2 workers give identical records', async () => {
    const resolved = await loadWithBuiltins(pipeline);
    const one = await runPipeline(resolved, { out: join(dir, 'w1'), workers: 1 });
    const two = await runPipeline(resolved, { out: join(dir, 'w2'), workers: 2 });
    expect(two.workers).toBe(2);
    const oneRecords = await one.folder.readRecords();
    expect(oneRecords).toHaveLength(2 * 3 * 2);
    // records.jsonl is in canonical (point, trial, frame) order whatever order the threads finished in
    expect(strip(await two.folder.readRecords())).toEqual(strip(oneRecords));
    expect(oneRecords.map((r) => [r.point['scenario.snr.db'], r.trial, r.frame])).toEqual(
      [0, 10].flatMap((db) => [0, 1, 2].flatMap((t) => [0, 1].map((f) => [db, t, f]))),
    );
    await finishRun(resolved, one.folder);
    await finishRun(resolved, two.folder);
    const s1 = readFileSync(join(dir, 'w1', 'summary.json'));
    expect(s1.length).toBeGreaterThan(100);
    expect(readFileSync(join(dir, 'w2', 'summary.json')).equals(s1)).toBe(true); // byte-identical
    expect(
      readFileSync(join(dir, 'w2', 'summary.csv')).equals(readFileSync(join(dir, 'w1', 'summary.csv'))),
    ).toBe(true);
    for (const f of ['manifest.json', 'records.jsonl', 'pipeline.resolved.yaml'])
      expect(existsSync(join(dir, 'w1', f))).toBe(true);
    const m = JSON.parse(readFileSync(join(dir, 'w1', 'manifest.json'), 'utf8'));
    expect(m.pipelineHash).toBe(resolved.hash);
    expect(m.finished).toBeTypeOf('string');
    // every SNR point sees the same targets (common random numbers), different noise
    const at = (db: number, t: number) =>
      oneRecords.find((r) => r.point['scenario.snr.db'] === db && r.trial === t && r.frame === 0)!;
    expect(at(0, 1).truth).toEqual(at(10, 1).truth);
    expect(at(0, 1).seed).not.toBe(at(10, 1).seed);
  }, 120_000);

  it('a killed run resumed gives the same records, without recomputing finished trials', async () => {
    const resolved = await loadWithBuiltins(pipeline);
    const full = await runPipeline(resolved, { out: join(dir, 'full'), workers: 1 });
    const partial = join(dir, 'partial');
    await runPipeline(resolved, { out: partial, workers: 1 });
    // simulate a kill: keep 5 lines (2 full trials + half of the third) and a torn line
    const lines = readFileSync(join(partial, 'records.jsonl'), 'utf8').trim().split('\n');
    writeFileSync(
      join(partial, 'records.jsonl'),
      lines.slice(0, 5).join('\n') + '\n' + lines[5]!.slice(0, 40),
    );
    const resumed = await runPipeline(resolved, { resume: partial, workers: 1 });
    expect(resumed.skipped).toBe(2);
    const fullRecords = await full.folder.readRecords();
    expect(strip(await resumed.folder.readRecords())).toEqual(strip(fullRecords));
    const onDisk = readFileSync(join(partial, 'records.jsonl'), 'utf8').trim().split('\n');
    expect(onDisk).toHaveLength(fullRecords.length); // no duplicates
    await finishRun(resolved, full.folder);
    await finishRun(resolved, resumed.folder);
    expect(
      readFileSync(join(partial, 'summary.json')).equals(readFileSync(join(dir, 'full', 'summary.json'))),
    ).toBe(true);
  }, 120_000);

  it('refuses to resume with a changed pipeline', async () => {
    const resolved = await loadWithBuiltins(pipeline);
    await runPipeline(resolved, { out: join(dir, 'orig'), workers: 1 });
    const changed = await loadWithBuiltins(pipeline, ['run.trials=4']);
    const err = await runPipeline(changed, { resume: join(dir, 'orig'), workers: 1 }).catch((e) => e);
    expect(err).toBeInstanceOf(IsacflowError);
    expect((err as IsacflowError).kind).toBe('resume-mismatch');
    // the message names the differing key, not two hashes
    expect((err as Error).message).toMatch(
      /pipeline differs from the one this folder was run with \(run\.trials: 3 -> 4\); resume with the same pipeline/,
    );
  }, 120_000);
});

describe('runner on a subset of sweep points', () => {
  it('runs exactly the points it is given (by their index), in-process and on workers', async () => {
    const resolved = await loadWithBuiltins(pipeline, ['run.trials=1', 'run.frames=1']);
    resolved.points = resolved.points.slice(1);
    for (const workers of [1, 2]) {
      const r = await runPipeline(resolved, { out: join(dir, `sub${workers}`), workers });
      expect((await r.folder.readRecords()).map((x) => x.point['scenario.snr.db'])).toEqual([10]);
    }
  }, 120_000);
});
