import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWithBuiltins } from '../../src/builtins.js';
import type { FrameRecord } from '../../src/core/frame.js';
import { Rng } from '../../src/math/rng.js';
import { aggregate } from '../../src/results/aggregate.js';
import { summaryToJson } from '../../src/results/summary-writers.js';
import { finishRun } from '../../src/runner/finish-run.js';
import { recordList } from '../../src/runner/record-list.js';
import { runPipeline } from '../../src/runner/run.js';
import { RunFolder } from '../../src/runner/run-folder.js';
import { streamSummary } from '../../src/runner/stream-summary.js';

const dir = mkdtempSync(join(tmpdir(), 'isacflow-stream-summary-'));

/**
 * Records shaped like a fusion run's, in canonical file order: three SNR points swept downwards
 * (file order is not the summary's point order), two estimate sets (b absent at one point, some
 * frames without estimates), bounds under two result keys (series named mode@key) with a singular
 * entry, a generic field, and a torn last line as a killed run leaves.
 */
function syntheticRecords(): FrameRecord[] {
  const rng = new Rng(['stream-summary-test']);
  const out: FrameRecord[] = [];
  const tg = (x: number, y: number, speed: number, heading: number) => ({
    position: [x, y] as [number, number],
    velocity: { speed, heading },
  });
  for (const db of [10, 0, -10]) {
    for (let trial = 0; trial < 7; trial++) {
      for (let frame = 0; frame < 2; frame++) {
        const truth = [tg(150 + trial, 170, 10, 0.3), tg(190, 140 - trial, 12, 2.1)];
        const noisy = (s: number) =>
          truth.map((t) =>
            tg(
              t.position[0] + s * rng.normal(),
              t.position[1] + s * rng.normal(),
              t.velocity.speed + 0.1 * s * rng.normal(),
              t.velocity.heading + 0.01 * s * rng.normal(),
            ),
          );
        const sigma = 10 ** (-db / 20);
        const estimates: Record<string, ReturnType<typeof noisy>> = {};
        if (!(trial === 3 && frame === 1)) estimates.a = noisy(sigma);
        if (db !== 0) estimates.b = noisy(2 * sigma).slice(0, trial === 2 ? 1 : 2);
        const bound = (k: number) => ({
          sqrtTrP: 0.03 * sigma * k,
          sqrtTrVelXY: 0.01 * sigma * k,
          stdSpeed: 0.007 * sigma,
          stdHeading: 1e-4 * sigma,
        });
        out.push({
          point: { 'scenario.snr.db': db },
          trial,
          frame,
          seed: trial * 10 + frame,
          truth,
          estimates,
          crb: {
            fused: { exact: [bound(1), trial === 5 ? { singular: true, reason: 'test' } : bound(2)] },
            raw: { exact: [bound(1.5), bound(2.5)] },
          },
          detectionRate: { fft: rng.uniform() },
          timings: { fusion: 1 + rng.uniform() },
        } as unknown as FrameRecord);
      }
    }
  }
  return out;
}

function folderWith(name: string, records: FrameRecord[], tail = ''): RunFolder {
  const path = join(dir, name);
  const folder = RunFolder.create(path, 'test-hash');
  writeFileSync(folder.path('records.jsonl'), records.map((r) => JSON.stringify(r) + '\n').join('') + tail);
  return folder;
}

const OPTIONS = { bootstrap: 300, fields: ['detectionRate.fft', 'timings.*'] };

describe('summary streamed point by point', () => {
  it('is byte-identical to aggregate() over all records (points swept downwards, two bound keys, a torn last line)', async () => {
    const records = syntheticRecords();
    const folder = folderWith('synthetic', records, '{"point":{"scenario.snr.db":-10},"tri');
    const streamed = await streamSummary(folder, new Rng([7, 'summary']), OPTIONS);
    expect(streamed.streamed).toBe(true);
    expect(streamed.count).toBe(records.length);
    const whole = aggregate(records, new Rng([7, 'summary']), OPTIONS);
    expect(summaryToJson(streamed.summary)).toBe(summaryToJson(whole));
    // the summary lists points in value order although the file has them downwards
    expect(streamed.summary.points.map((p) => p.point['scenario.snr.db'])).toEqual([-10, 0, 10]);
    expect(streamed.summary.bounds).toEqual(['exact@fused', 'exact@raw']);
    expect(streamed.summary.variants).toEqual(['a', 'b']);
  });

  it('a records.jsonl out of canonical order is summarised whole, with the same result', async () => {
    const records = syntheticRecords();
    const shuffled = [...records.slice(30), ...records.slice(0, 30)].reverse();
    const folder = folderWith('shuffled', shuffled);
    const streamed = await streamSummary(folder, new Rng([7, 'summary']), OPTIONS);
    expect(streamed.streamed).toBe(false);
    expect(summaryToJson(streamed.summary)).toBe(
      summaryToJson(aggregate(records, new Rng([7, 'summary']), OPTIONS)),
    );
  });

  it('the record list reads the file as an array would be read, holding no record', async () => {
    const records = syntheticRecords();
    const folder = folderWith('list', records, '{"torn');
    const list = recordList(folder.path('records.jsonl'), records.length);
    expect(Array.isArray(list)).toBe(true);
    expect(list.length).toBe(records.length);
    expect(list[0]).toEqual(records[0]);
    expect(list[records.length - 1]).toEqual(records[records.length - 1]);
    expect(list[records.length]).toBeUndefined();
    expect(list[5]).toEqual(records[5]); // going back restarts from the top
    expect([...list]).toEqual(records);
    expect(list.map((r) => r.trial)).toEqual(records.map((r) => r.trial));
    expect(list.filter((r) => r.frame === 1)).toEqual(records.filter((r) => r.frame === 1));
    expect(list.flatMap((r) => Object.keys(r.estimates ?? {}))).toEqual(
      records.flatMap((r) => Object.keys(r.estimates ?? {})),
    );
    expect(list.some((r) => r.trial === 6)).toBe(true);
    expect(list.reduce((n, r) => n + r.frame, 0)).toBe(records.reduce((n, r) => n + r.frame, 0));
    expect(list.find((r) => r.trial === 4)).toEqual(records.find((r) => r.trial === 4));
  });

  it('a real run: summary.json, tables and plots as from the records in memory (quickstart, a sweep downwards)', async () => {
    const resolved = await loadWithBuiltins(
      join(import.meta.dirname, '../../pipelines/quickstart.yaml'),
      ['run.trials=3', 'run.frames=2', 'scenario.system.subcarriers=32', 'scenario.system.symbols=16'],
      ['scenario.snr.db=[10, -10]'],
    );
    const r = await runPipeline(resolved, { out: join(dir, 'qs-streamed'), workers: 1 });
    const all = await r.folder.readRecords();
    const streamed = await finishRun(resolved, r.folder);
    const summaryStreamed = readFileSync(join(dir, 'qs-streamed', 'summary.json'));
    const svgStreamed = readFileSync(join(dir, 'qs-streamed', 'plots', 'detection-rate.svg'), 'utf8');
    const inMemory = await finishRun(resolved, r.folder, all);
    expect(readFileSync(join(dir, 'qs-streamed', 'summary.json')).equals(summaryStreamed)).toBe(true);
    expect(readFileSync(join(dir, 'qs-streamed', 'plots', 'detection-rate.svg'), 'utf8')).toBe(svgStreamed);
    expect(streamed.tables).toEqual(inMemory.tables); // fft-detector's summarize read the list
    expect(streamed.records).toBe(all.length);
  }, 180_000);
});
