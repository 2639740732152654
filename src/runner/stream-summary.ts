import type { FrameRecord } from '../core/frame.js';
import type { Rng } from '../math/rng.js';
import {
  aggregate,
  aggregateHead,
  finishSummary,
  newPointScan,
  scanRecord,
  summarisePoint,
  type PointScan,
} from '../results/aggregate.js';
import { canonicalJson, comparePoints } from '../results/record-order.js';
import type { PointSummary, Summary } from '../results/summary-types.js';
import { recordList } from './record-list.js';
import type { RunFolder } from './run-folder.js';

export interface StreamedSummary {
  summary: Summary;
  /** the records on disk (torn last line left out) */
  count: number;
  /** the same records, read from the file when used (see recordList) */
  records: readonly FrameRecord[];
  /** false when records.jsonl was not in canonical order and was read whole instead */
  streamed: boolean;
}

interface Scanned {
  key: string;
  point: Record<string, unknown>;
  scan: PointScan;
}

/** Canonical point order of the summary (as sortRecords orders records). */
const pointOrder = (a: { key: string; point: Record<string, unknown> }, b: typeof a) =>
  a.key === b.key ? 0 : comparePoints(a.point, b.point) || (a.key < b.key ? -1 : 1);

/**
 * summary.json of a run folder without holding its records: records.jsonl is in canonical
 * (point, trial, frame) order, so a first streamed pass notes what every point names (variants,
 * bound series) and checks that order, and a second pass summarises one point at a time from that
 * point's records alone. The result is byte-identical to aggregate() over all records. A file not
 * in canonical order (written by hand, or by an older isacflow) is summarised the old way, whole.
 */
export async function streamSummary(folder: RunFolder, rng: Rng, options: unknown): Promise<StreamedSummary> {
  const points: Scanned[] = [];
  const seen = new Set<string>();
  let canonical = true;
  let count = 0;
  let prev: FrameRecord | undefined;
  for await (const r of folder.records()) {
    count++;
    const key = canonicalJson(r.point ?? {});
    let p = points[points.length - 1];
    if (!p || p.key !== key) {
      if (seen.has(key)) canonical = false; // a point's records are not together
      seen.add(key);
      points.push((p = { key, point: r.point ?? {}, scan: newPointScan() }));
      prev = undefined;
    }
    if (prev && (r.trial < prev.trial || (r.trial === prev.trial && r.frame < prev.frame))) canonical = false;
    prev = r;
    scanRecord(p.scan, r);
  }
  const records = recordList(folder.path('records.jsonl'), count);
  if (!canonical) {
    const all = await folder.readRecords();
    return { summary: aggregate(all, rng, options), count, records: all, streamed: false };
  }
  const ordered = [...points].sort(pointOrder);
  const head = aggregateHead(
    ordered.map((p) => p.scan),
    options,
  );
  const summaries: Array<{ key: string; point: Record<string, unknown>; summary: PointSummary }> = [];
  let group: FrameRecord[] = [];
  let groupKey: string | undefined;
  const flush = () => {
    if (groupKey === undefined) return;
    const point = group[0]?.point ?? {};
    summaries.push({
      key: groupKey,
      point,
      summary: summarisePoint({ key: groupKey, point, records: group }, head, rng),
    });
    group = [];
  };
  for await (const r of folder.records()) {
    const key = canonicalJson(r.point ?? {});
    if (key !== groupKey) {
      flush();
      groupKey = key;
    }
    group.push(r);
  }
  flush();
  summaries.sort(pointOrder);
  return {
    summary: finishSummary(
      head,
      summaries.map((s) => s.summary),
    ),
    count,
    records,
    streamed: true,
  };
}
