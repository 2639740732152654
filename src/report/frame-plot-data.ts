import { IsacflowError } from '../core/errors.js';
import type { FrameRecord } from '../core/frame.js';
import type { Target } from '../isac/scenario-types.js';
import { resolveField } from '../results/field-stats.js';
import { matchEstimates } from '../results/match.js';
import { canonicalJson } from '../results/record-order.js';
import { QUANTITIES, type Quantity } from '../results/summary-types.js';
import { pointLabel } from './labels.js';
import type { PlotData, PlotRow } from './plot-data.js';
import type { PlotSpec } from './plot-spec.js';

function bad(spec: PlotSpec, option: string, message: string): IsacflowError {
  return new IsacflowError('invalid-option', [
    { where: '', path: `plot '${spec.name ?? spec.y}'.${option}`, message },
  ]);
}

/** Records of the sweep points a plot keeps (`where`), grouped by point in order of appearance. */
export function recordsByPoint(
  records: readonly FrameRecord[],
  where: Record<string, unknown> | undefined,
): Array<{ point: Record<string, unknown>; records: FrameRecord[] }> {
  const keep = Object.entries(where ?? {});
  const groups = new Map<string, { point: Record<string, unknown>; records: FrameRecord[] }>();
  for (const r of records) {
    if (!keep.every(([k, v]) => canonicalJson(r.point[k]) === canonicalJson(v))) continue;
    const key = canonicalJson(r.point);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { point: r.point, records: [] }));
    g.records.push(r);
  }
  return [...groups.values()];
}

/** Label of a sweep point for a legend: the keys that vary among `points`, readable ("SNR 10 dB"). */
export function pointLabels(points: ReadonlyArray<Record<string, unknown>>): string[] {
  const keys = [...new Set(points.flatMap((p) => Object.keys(p)))].filter(
    (k) => new Set(points.map((p) => canonicalJson(p[k]))).size > 1,
  );
  return points.map((p) => keys.map((k) => pointLabel(k, p[k])).join(', '));
}

/** Total processing time of a frame, ms: `latencyMs` when the record has it, else the sum of `timings`. */
export function frameLatencyMs(r: FrameRecord): number | null {
  if (typeof r.latencyMs === 'number' && Number.isFinite(r.latencyMs)) return r.latencyMs;
  const t = Object.values(r.timings ?? {}).filter(
    (v): v is number => typeof v === 'number' && Number.isFinite(v),
  );
  return t.length > 0 ? t.reduce((a, b) => a + b, 0) : null;
}

interface Acc {
  sum: number;
  n: number;
}

function add(m: Map<string, Map<number, Acc>>, series: string, frame: number, v: number): void {
  let s = m.get(series);
  if (!s) m.set(series, (s = new Map()));
  const a = s.get(frame) ?? { sum: 0, n: 0 };
  a.sum += v;
  a.n++;
  s.set(frame, a);
}

/**
 * Rows with the frame index as x (`source: frames`), one value per frame and series, over the
 * trials of each kept sweep point:
 * - `rmse.<quantity>`: √(mean over trials and matched targets of the squared error), per estimate
 *   set (estimates matched to the truth as in the summary; missed targets left out);
 * - `latency`: mean over trials of the frame's processing time (ms);
 * - `field.<path>`: mean over trials of a record field, per group of its `*`.
 * With several sweep points the point's label is added to the series ("kalman, SNR 10 dB").
 */
export function plotDataFromFrames(records: readonly FrameRecord[], spec: PlotSpec): PlotData {
  if (spec.x !== 'frame') throw bad(spec, 'x', `with source: frames, x must be 'frame' (got '${spec.x}')`);
  const groups = recordsByPoint(records, spec.where);
  if (groups.length === 0) return { rows: [], warnings: ['no frame record to plot'] };
  const labels = pointLabels(groups.map((g) => g.point));
  const [head, ...rest] = spec.y.split('.');
  const acc = new Map<string, Map<number, Acc>>();
  groups.forEach((g, gi) => {
    const suffix = labels[gi] ? `, ${labels[gi]}` : '';
    for (const r of g.records) {
      if (head === 'rmse') {
        const q = rest[0] as Quantity;
        if (rest.length !== 1 || !QUANTITIES.includes(q))
          throw bad(spec, 'y', `'${spec.y}': use rmse.<${QUANTITIES.join('|')}>, latency or field.<path>`);
        for (const [set, est] of Object.entries(r.estimates ?? {})) {
          if (spec.estimates && !spec.estimates.includes(set)) continue;
          if (!Array.isArray(est)) continue;
          for (const t of matchEstimates((r.truth ?? []) as Target[], est).targets)
            if (t.errors) add(acc, `${set}${suffix}`, r.frame, t.errors[q] ** 2);
        }
      } else if (spec.y === 'latency') {
        const ms = frameLatencyMs(r);
        if (ms !== null) add(acc, `latency${suffix}`, r.frame, ms);
      } else if (head === 'field' && rest.length > 0) {
        for (const h of resolveField(r, rest.join('.'))) {
          const vals = (Array.isArray(h.value) ? h.value : [h.value]).filter(
            (v): v is number => typeof v === 'number' && Number.isFinite(v),
          );
          for (const v of vals)
            add(acc, `${h.group === 'all' ? rest.join('.') : h.group}${suffix}`, r.frame, v);
        }
      } else {
        throw bad(
          spec,
          'y',
          `'${spec.y}' is not a per-frame statistic (use rmse.<${QUANTITIES.join('|')}>, latency or field.<path>)`,
        );
      }
    }
  });
  const rows: PlotRow[] = [];
  for (const [series, frames] of acc) {
    for (const [frame, a] of [...frames.entries()].sort((p, q) => p[0] - q[0])) {
      rows.push({
        x: frame,
        y: head === 'rmse' ? Math.sqrt(a.sum / a.n) : a.sum / a.n,
        series,
        kind: 'sim',
        lo: null,
        hi: null,
      });
    }
  }
  return { rows, warnings: rows.length === 0 ? [`no values of '${spec.y}' in the frame records`] : [] };
}
