import { describe, expect, it } from 'vitest';
import type { FrameRecord } from '../../src/core/frame.js';
import { Rng } from '../../src/math/rng.js';
import { aggregate } from '../../src/results/aggregate.js';
import { renderSummaryPlot } from '../../src/report/plot.js';
import { formatNumber } from '../../src/report/format.js';
import { formatTable } from '../../src/report/progress.js';
import { summaryTables } from '../../src/report/summary-table.js';

/** A CRB-only run (no estimates): √tr CRB_p = 0.03·10^(−snr/20) m for both targets. */
function crbOnly(): FrameRecord[] {
  const out: FrameRecord[] = [];
  for (const snr of [-10, 0, 10]) {
    const b = 0.03 * 10 ** (-snr / 20);
    out.push({
      point: { 'scenario.snr.db': snr },
      trial: 0,
      frame: 0,
      seed: 0,
      truth: [],
      crb: {
        exact: [
          { sqrtTrP: b, sqrtTrVelXY: b / 3 },
          { sqrtTrP: b, sqrtTrVelXY: b / 3 },
        ],
        paper: [{ sqrtTrP: 0.8 * b }, { sqrtTrP: 0.8 * b }],
      },
      timings: {},
    });
  }
  return out;
}

describe('summary tables and CRB-only runs', () => {
  it('a CRB-only run gets a bound table, and crb.<quantity> plots every bound series', async () => {
    const s = aggregate(crbOnly(), new Rng([0]), { fields: ['crb.exact.*.sqrtTrP'] });
    expect(s.variants).toEqual([]);
    expect(s.bounds).toEqual(['exact', 'paper']);
    const tables = summaryTables(s);
    expect(tables.map((t) => t.title)).toEqual(['Bound √CRB', 'Record fields']);
    const text = formatTable(tables[0]!);
    expect(text).toContain('position (m)');
    // −10 dB: 0.03·√10 = 0.09487 m (exact), 0.8 of that (paper)
    expect(text).toMatch(/-10\s+exact\s+1\s+0\.09487\s+0\.03162/);
    expect(text).toMatch(/-10\s+paper\s+1\s+0\.07589\s+—/);
    const fields = tables[1]!;
    expect(fields.rows.map((r) => r[2])).toEqual(['0', '1', '0', '1', '0', '1']); // one group per target
    const plot = await renderSummaryPlot(s, { x: 'scenario.snr.db', y: 'crb.position', logY: true });
    expect(plot.svg).toContain('>√CRB (exact)</text>');
    expect(plot.svg).toContain('>√CRB (paper)</text>');
    expect(plot.svg).toContain('>Position √CRB (m)</text>');
  });

  it('formatNumber keeps 4 significant digits and never prints NaN', () => {
    expect(formatNumber(0.0291234)).toBe('0.02912');
    expect(formatNumber(1234.5678)).toBe('1235');
    expect(formatNumber(12)).toBe('12');
    expect(formatNumber(3.2e-7)).toBe('3.200e-7');
    expect(formatNumber(NaN)).toBe('—');
    expect(formatNumber(null)).toBe('—');
  });
});
