import { describe, expect, it } from 'vitest';
import type { FrameRecord } from '../../src/core/frame.js';
import { Rng } from '../../src/math/rng.js';
import { aggregate } from '../../src/results/aggregate.js';
import { plotDataFromSummary } from '../../src/report/plot-data.js';
import { parsePlotSpec } from '../../src/report/plot-spec.js';
import { vegaLiteSpec } from '../../src/report/vega-spec.js';

/** Two sweep keys (snr, solver), one variant; position error = 1 + snr/10 + (solver === 'pso' ? 1 : 0) m exactly. */
function twoKeySummary() {
  const truth = [{ position: [0, 0] as [number, number], velocity: { speed: 1, heading: 0 } }];
  const records: FrameRecord[] = [];
  for (const snr of [0, 10]) {
    for (const solver of ['abc', 'pso']) {
      for (let t = 0; t < 3; t++) {
        const e = 1 + snr / 10 + (solver === 'pso' ? 1 : 0);
        records.push({
          point: { 'scenario.snr.db': snr, solver },
          trial: t,
          frame: 0,
          seed: 0,
          truth,
          estimates: { sfo: [{ position: [e, 0], velocity: { speed: 1, heading: 0 } }] },
          crb: { exact: [{ sqrtTrP: 0.5 }] },
          timings: {},
        });
      }
    }
  }
  return aggregate(records, new Rng([0]), { bootstrap: 50 });
}

describe('plot data from a summary', () => {
  const s = twoKeySummary();

  it('folds a second varying sweep key into the series label', () => {
    const d = plotDataFromSummary(s, parsePlotSpec({ x: 'scenario.snr.db', y: 'armse.position' }));
    expect(d.rows.map((r) => [r.x, r.series, r.y])).toEqual([
      [0, 'sfo, solver = abc', 1],
      [0, 'sfo, solver = pso', 2],
      [10, 'sfo, solver = abc', 2],
      [10, 'sfo, solver = pso', 3],
    ]);
  });

  it('series by a sweep key, `where` to fix a key, and the bound rows', () => {
    const bySolver = plotDataFromSummary(
      s,
      parsePlotSpec({ x: 'scenario.snr.db', y: 'median.position', series: 'solver' }),
    );
    expect(bySolver.rows.map((r) => r.series)).toEqual([
      'solver = abc',
      'solver = pso',
      'solver = abc',
      'solver = pso',
    ]);
    const fixed = plotDataFromSummary(
      s,
      parsePlotSpec({ x: 'scenario.snr.db', y: 'armse.position', where: { solver: 'pso' }, bound: 'crb' }),
    );
    expect(fixed.rows.map((r) => [r.kind, r.x, r.series, r.y])).toEqual([
      ['sim', 0, 'sfo', 2],
      ['sim', 10, 'sfo', 3],
      ['bound', 0, '√CRB (exact)', 0.5],
      ['bound', 10, '√CRB (exact)', 0.5],
    ]);
    // errors are constant over trials, so every bootstrap replicate equals the estimate
    expect(fixed.rows[0]?.lo).toBe(2);
    expect(fixed.rows[0]?.hi).toBe(2);
  });

  it('log axes leave out values ≤ 0 and say so', () => {
    const spec = parsePlotSpec({ x: 'scenario.snr.db', y: 'armse.position', logY: true });
    const data = {
      rows: [
        { x: 0, y: 0, series: 'a', kind: 'sim' as const },
        { x: 1, y: 2, series: 'a', kind: 'sim' as const, lo: -1, hi: 3 },
      ],
      warnings: [],
    };
    const vl = vegaLiteSpec(spec, data) as unknown as { data: { values: Array<{ y: number; lo: number }> } };
    expect(vl.data.values).toEqual([{ x: 1, y: 2, series: 'a', kind: 'sim', lo: 2, hi: 3 }]);
    expect(data.warnings).toEqual(['1 value(s) ≤ 0 left out of the log y axis']);
  });
});
