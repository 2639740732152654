import type { FrameRecord } from '../core/frame.js';
import type { Rng } from '../math/rng.js';
import {
  bootstrapMeanInterval,
  logNormalMeanInterval,
  mean,
  meanConfidenceInterval,
  median,
  sampleSd,
  wilsonInterval,
} from './stats.js';
import type { FieldInterval, FieldStats } from './summary-types.js';

/** Group name of a field path without `*`. */
export const ALL_GROUP = 'all';

type Hit = { group: string; value: unknown };

function walk(node: unknown, segs: readonly string[], i: number, group: string[], out: Hit[]): void {
  if (i === segs.length) {
    out.push({ group: group.length === 0 ? ALL_GROUP : group.join('/'), value: node });
    return;
  }
  if (node === null || typeof node !== 'object') {
    out.push({ group: group.length === 0 ? ALL_GROUP : group.join('/'), value: undefined });
    return;
  }
  const seg = segs[i] as string;
  if (seg === '*') {
    const keys = Array.isArray(node) ? node.map((_, k) => String(k)) : Object.keys(node);
    for (const k of keys) walk((node as Record<string, unknown>)[k], segs, i + 1, [...group, k], out);
    return;
  }
  walk((node as Record<string, unknown>)[seg], segs, i + 1, group, out);
}

/**
 * Values of a dot path in a record ('placement.objective', 'crb.exact.0.sqrtTrP'); a `*` segment
 * matches every key or index and names the group ('timings.*' → one group per stage).
 */
export function resolveField(record: unknown, path: string): Hit[] {
  const out: Hit[] = [];
  walk(record, path.split('.'), 0, [], out);
  return out;
}

interface Acc {
  xs: number[];
  /** every sample was a boolean: the mean is a proportion (Wilson interval) */
  booleans: boolean;
  missing: number;
  nonFinite: number;
}

function push(acc: Acc, v: unknown): void {
  if (v === undefined || v === null) acc.missing++;
  else if (typeof v === 'boolean') acc.xs.push(v ? 1 : 0);
  else if (typeof v === 'number' && Number.isFinite(v)) {
    acc.booleans = false;
    acc.xs.push(v);
  } else if (Array.isArray(v)) for (const x of v) push(acc, x);
  else acc.nonFinite++;
}

/** Bootstrap settings for the intervals of non-negative fields. */
export interface FieldBootstrap {
  rng: Rng;
  replicates: number;
}

/**
 * The interval of a field's mean: Wilson for proportions (booleans); for non-negative values
 * (times, errors, counts, objectives), whose Student-t interval can cross zero with few or skewed
 * samples, the bootstrap (expanded percentile) when `boot` has replicates, else the log-normal
 * interval when every value is positive, else none; Student-t for values of both signs.
 */
function fieldInterval(
  xs: Float64Array,
  booleans: boolean,
  level: number,
  boot: FieldBootstrap | undefined,
): { ci: [number, number] | null; interval: FieldInterval } {
  if (booleans && xs.length > 0)
    return {
      ci: wilsonInterval(
        xs.reduce((a, b) => a + b, 0),
        xs.length,
        level,
      ),
      interval: 'wilson',
    };
  let min = Infinity;
  for (const x of xs) if (x < min) min = x;
  if (xs.length > 0 && min >= 0) {
    if (boot && boot.replicates > 0)
      return {
        ci: bootstrapMeanInterval(xs, level, boot.replicates, (n) => boot.rng.int(n)),
        interval: 'bootstrap',
      };
    if (min > 0) return { ci: logNormalMeanInterval(xs, level), interval: 'log-normal' };
    return { ci: null, interval: 'none' };
  }
  return { ci: meanConfidenceInterval(xs, level), interval: 't' };
}

/**
 * Statistics of a record field over the records of one point, per group. Numbers count as
 * samples, booleans as 0/1 (their interval is Wilson's, for a proportion), arrays contribute each
 * element (a per-target list pools its targets). Intervals: see fieldInterval (the bootstrap
 * stream of each group is `boot.rng` forked by the group name).
 */
export function fieldStats(
  records: readonly FrameRecord[],
  path: string,
  level: number,
  boot?: FieldBootstrap,
): Record<string, FieldStats> {
  const groups = new Map<string, Acc>();
  for (const r of records) {
    for (const h of resolveField(r, path)) {
      let acc = groups.get(h.group);
      if (!acc) {
        acc = { xs: [], booleans: true, missing: 0, nonFinite: 0 };
        groups.set(h.group, acc);
      }
      push(acc, h.value);
    }
  }
  const out: Record<string, FieldStats> = {};
  for (const [g, acc] of groups) {
    const xs = Float64Array.from(acc.xs);
    let min: number | null = null;
    let max: number | null = null;
    for (const x of xs) {
      if (min === null || x < min) min = x;
      if (max === null || x > max) max = x;
    }
    const { ci, interval } = fieldInterval(
      xs,
      acc.booleans,
      level,
      boot && { rng: boot.rng.fork(g), replicates: boot.replicates },
    );
    out[g] = {
      n: xs.length,
      mean: mean(xs),
      sd: sampleSd(xs),
      ci,
      interval,
      median: median(xs),
      min,
      max,
      missing: acc.missing,
      nonFinite: acc.nonFinite,
    };
  }
  return out;
}
