import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FrameRecord } from '../../src/core/frame.js';
import { IsacflowError } from '../../src/core/errors.js';
import { Rng } from '../../src/math/rng.js';
import { aggregate } from '../../src/results/aggregate.js';
import { parseRecords } from '../../src/results/read-records.js';
import { summaryToCsv, writeSummary } from '../../src/results/summary-writers.js';

const truth = [{ position: [0, 0] as [number, number], velocity: { speed: 10, heading: 0 } }];
const rec = (trial: number, dx: number, snr: number): FrameRecord => ({
  point: { 'scenario.snr.db': snr, label: 'a,"b"' },
  trial,
  frame: 0,
  seed: trial,
  truth,
  estimates: { sfo: [{ position: [dx, 0], velocity: { speed: 10, heading: 0 } }] },
  timings: {},
});

describe('summary writers', () => {
  it('CSV is one tidy table with quoted cells; JSON and CSV are written to the folder', async () => {
    const s = aggregate([rec(0, 3, 0), rec(1, 4, 0), rec(0, 1, 10)], new Rng([1]), { bootstrap: 0 });
    const csv = summaryToCsv(s);
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toBe('scenario.snr.db,label,kind,variant,quantity,statistic,value');
    // RMSE over trials of errors 3 and 4: √(25/2)
    const armse = lines.find((l) => l.startsWith('0,"a,""b""",error,sfo,position,armse,'));
    expect(Number(armse?.split(',').pop())).toBeCloseTo(Math.sqrt(12.5), 12);
    expect(lines).toContain('0,"a,""b""",error,sfo,position,armse_lo,'); // no interval: empty cell
    expect(lines).toContain('10,"a,""b""",error,sfo,all,missRate,0');
    const dir = await mkdtemp(join(tmpdir(), 'isacflow-sum-'));
    try {
      const p = await writeSummary(dir, s);
      expect(await readFile(p.csv, 'utf8')).toBe(csv);
      expect(JSON.parse(await readFile(p.json, 'utf8')).format).toBe('isacflow-summary/1');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('parseRecords', () => {
  it('skips a cut-off last line (killed run) and rejects a bad line elsewhere', () => {
    const good = JSON.stringify(rec(0, 1, 0));
    expect(parseRecords(`${good}\n${good}\n`).records.length).toBe(2);
    const cut = parseRecords(`${good}\n${good.slice(0, 20)}`);
    expect(cut.records.length).toBe(1);
    expect(cut.truncated).toBe(1);
    expect(() => parseRecords(`${good}\n{oops\n${good}\n`, 'run/records.jsonl')).toThrow(IsacflowError);
    expect(() => parseRecords(`${good}\n{oops\n${good}\n`, 'run/records.jsonl')).toThrow(
      /run\/records\.jsonl:2/,
    );
  });
});
