import type { FrameRecord } from '../core/frame.js';
import { formatTable } from '../report/progress.js';
import { quantile } from './stream-session.js';

const fmt = (x: number | null, digits = 1) => (x === null ? '—' : x.toFixed(digits));

/**
 * What can be said about frames without the truth (a truth-free recording or live feed): how many
 * frames, estimates per frame of every estimate set (fusion variants, trackers), live tracks, and
 * the time of every stage (and the stream latency when there is one).
 */
export function frameSummary(records: readonly FrameRecord[]): string {
  const out: string[] = [];
  const trials = new Set(records.map((r) => r.trial)).size;
  const sets = [...new Set(records.flatMap((r) => Object.keys(r.estimates ?? {})))];
  const estRows = sets.map((k) => {
    const n = records
      .map((r) => r.estimates?.[k])
      .filter((e): e is NonNullable<typeof e> => Array.isArray(e))
      .map((e) => e.length);
    const mean = n.length ? n.reduce((a, b) => a + b, 0) / n.length : null;
    return [
      k,
      String(n.length),
      fmt(mean, 2),
      n.length ? String(Math.min(...n)) : '—',
      n.length ? String(Math.max(...n)) : '—',
    ];
  });
  out.push(
    formatTable({
      title: `Frames without truth: ${records.length} frame(s) in ${trials} trial(s); estimates per frame`,
      columns: ['estimate set', 'frames', 'mean', 'min', 'max'],
      rows: estRows,
    }),
  );
  const tracks = records.map((r) => r.tracks).filter((t) => t && typeof t === 'object') as Array<
    Record<string, unknown>
  >;
  if (tracks.length) {
    const last = tracks[tracks.length - 1] as Record<string, unknown>;
    const rows = Object.entries(last).map(([k, v]) => {
      const list = Array.isArray(v) ? (v as Array<{ confirmed?: boolean; id?: number }>) : [];
      const ids = new Set(
        tracks.flatMap((t) => (Array.isArray(t[k]) ? (t[k] as Array<{ id?: number }>).map((x) => x.id) : [])),
      );
      return [k, String(list.length), String(list.filter((x) => x.confirmed).length), String(ids.size)];
    });
    out.push(
      formatTable({
        title: 'Tracks',
        columns: ['tracker', 'live at the end', 'confirmed', 'ids over the run'],
        rows,
      }),
    );
  }
  const stages = [...new Set(records.flatMap((r) => Object.keys(r.timings)))];
  const timingRows = stages.map((s) => {
    const v = records
      .map((r) => r.timings[s])
      .filter((x): x is number => typeof x === 'number')
      .sort((a, b) => a - b);
    return [
      s,
      fmt(quantile(v, 0.5)),
      fmt(quantile(v, 0.95)),
      fmt(v.length ? (v[v.length - 1] as number) : null),
    ];
  });
  const lat = records
    .map((r) => r.latencyMs)
    .filter((x): x is number => typeof x === 'number')
    .sort((a, b) => a - b);
  if (lat.length)
    timingRows.push([
      'latency (receipt -> record)',
      fmt(quantile(lat, 0.5)),
      fmt(quantile(lat, 0.95)),
      fmt(lat[lat.length - 1] as number),
    ]);
  out.push(
    formatTable({
      title: 'Time per frame (ms)',
      columns: ['stage', 'median', 'p95', 'max'],
      rows: timingRows,
    }),
  );
  return out.join('\n\n');
}
