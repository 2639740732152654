import type { FrameRecord } from '../core/frame.js';

/** JSON with object keys sorted at every level: the canonical key of a sweep point. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function compareValues(a: unknown, b: unknown): number {
  const na = typeof a === 'number';
  const nb = typeof b === 'number';
  if (na && nb) return (a as number) - (b as number);
  if (na !== nb) return na ? -1 : 1; // numbers before anything else
  const sa = canonicalJson(a);
  const sb = canonicalJson(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Orders sweep points by their values, keys taken in alphabetical order (numbers numerically). */
export function comparePoints(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  for (const k of keys) {
    const c = compareValues(a[k], b[k]);
    if (c !== 0) return c;
  }
  return 0;
}

/**
 * Records in canonical order (point, trial, frame); stable, so duplicates keep their input order.
 * This makes every summary independent of the order in which workers finished frames.
 */
export function sortRecords(records: readonly FrameRecord[]): FrameRecord[] {
  return records
    .map((r, i) => ({ r, i, key: canonicalJson(r.point ?? {}) }))
    .sort(
      (x, y) =>
        (x.key === y.key ? 0 : comparePoints(x.r.point ?? {}, y.r.point ?? {}) || (x.key < y.key ? -1 : 1)) ||
        x.r.trial - y.r.trial ||
        x.r.frame - y.r.frame ||
        x.i - y.i,
    )
    .map((x) => x.r);
}

export interface PointGroup {
  key: string;
  point: Record<string, unknown>;
  records: FrameRecord[];
}

/** Groups canonically sorted records by sweep point (groups come out in point order). */
export function groupByPoint(sorted: readonly FrameRecord[]): PointGroup[] {
  const groups: PointGroup[] = [];
  const byKey = new Map<string, PointGroup>();
  for (const r of sorted) {
    const key = canonicalJson(r.point ?? {});
    let g = byKey.get(key);
    if (!g) {
      g = { key, point: r.point ?? {}, records: [] };
      byKey.set(key, g);
      groups.push(g);
    }
    g.records.push(r);
  }
  return groups;
}
