import type { FrameRecord } from '../../src/plugin.js';
import type { Target } from '../../src/isac/scenario-types.js';
import { formatTable } from '../../src/report/progress.js';
import { matchEstimates } from '../../src/results/match.js';
import { groupByPoint, sortRecords } from '../../src/results/record-order.js';

interface Acc {
  position: number;
  velocity: number;
  n: number;
}

const fmt = (x: number): string => (x >= 0.01 ? x.toFixed(4) : x.toExponential(2));

/** Per frame index and estimate set: squared position and velocity errors of the matched targets. */
function perFrame(
  records: readonly FrameRecord[],
  variants: readonly string[],
): Map<number, Map<string, Acc>> {
  const out = new Map<number, Map<string, Acc>>();
  for (const r of records) {
    let row = out.get(r.frame);
    if (!row) out.set(r.frame, (row = new Map()));
    for (const v of variants) {
      const est = r.estimates?.[v];
      if (!Array.isArray(est)) continue;
      const a = row.get(v) ?? { position: 0, velocity: 0, n: 0 };
      for (const t of matchEstimates((r.truth ?? []) as Target[], est).targets) {
        if (!t.errors) continue;
        a.position += t.errors.position ** 2;
        a.velocity += t.errors.velocity ** 2;
        a.n++;
      }
      row.set(v, a);
    }
  }
  return out;
}

/**
 * Plain-text per-frame table of a tracking run (the summary pools the frames of a trial): for
 * every frame index, the RMSE over trials and targets of the position and velocity of every
 * estimate set in the records (raw fusion and tracked alike; estimates matched to the truth as in
 * the summary, missed targets left out). One table per sweep point; empty for single-frame runs.
 */
export function summarizeTracking(records: readonly FrameRecord[]): string {
  if (!records.some((r) => r.tracks !== undefined && r.frame > 0)) return '';
  const tables: string[] = [];
  for (const group of groupByPoint(sortRecords(records))) {
    const variants = [...new Set(group.records.flatMap((r) => Object.keys(r.estimates ?? {})))];
    const rows = [...perFrame(group.records, variants).entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([frame, row]) => [
        String(frame),
        ...variants.flatMap((v) => {
          const a = row.get(v);
          return a && a.n > 0
            ? [fmt(Math.sqrt(a.position / a.n)), fmt(Math.sqrt(a.velocity / a.n))]
            : ['—', '—'];
        }),
      ]);
    const point = Object.keys(group.point).length ? ` at ${JSON.stringify(group.point)}` : '';
    tables.push(
      formatTable({
        title: `Tracking: error per frame${point} (RMSE over trials and targets)`,
        columns: ['frame', ...variants.flatMap((v) => [`${v} pos [m]`, `${v} vel [m/s]`])],
        rows,
        note: 'Estimates matched to the truth as in the summary; a tracker equals the raw estimates at frame 0 and improves as its tracks age.',
      }),
    );
  }
  return tables.join('\n');
}
