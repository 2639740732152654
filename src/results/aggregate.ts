import type { FrameRecord } from '../core/frame.js';
import { optionError } from '../core/errors.js';
import type { Target } from '../isac/scenario-types.js';
import type { Rng } from '../math/rng.js';
import { boundResultKeys, boundSeries, singularOnlySeries, summariseBounds } from './crb-bound.js';
import { buildSamples, type MatchedFrame } from './error-samples.js';
import { errorStats, pairedStats, type IntervalOptions } from './error-stats.js';
import { fieldStats } from './field-stats.js';
import { matchEstimates, type MatchResult } from './match.js';
import { groupByPoint, sortRecords, type PointGroup } from './record-order.js';
import { parseSummaryOptions, type SummaryOptions } from './summary-options.js';
export type { PointGroup } from './record-order.js';
import {
  QUANTITIES,
  type BoundSummary,
  type ErrorStats,
  type PairedStats,
  type PairedSummary,
  type PointSummary,
  type Quantity,
  type Summary,
  type VariantSummary,
} from './summary-types.js';

function firstAppearance(lists: Iterable<Iterable<string>>): string[] {
  const seen = new Set<string>();
  for (const l of lists) for (const x of l) seen.add(x);
  return [...seen];
}

/** Outlier threshold: fixed, else max(multiple · bound, floor), else floor. */
function thresholdFor(q: Quantity, bound: BoundSummary | undefined, o: SummaryOptions['outlier']): number {
  const fixed = o.fixed?.[q];
  if (fixed !== undefined) return fixed;
  const b = bound?.[q];
  return b === null || b === undefined ? o.floor[q] : Math.max(o.crbMultiple * b, o.floor[q]);
}

interface PointContext {
  group: PointGroup;
  clusterOf: number[];
  clusters: number;
  targets: number;
  /** matches[variant][recordIndex], null where the record has no estimates of the variant */
  matches: Map<string, Array<MatchResult | null>>;
}

function matchPoint(group: PointGroup, variants: readonly string[], opts: SummaryOptions): PointContext {
  const trials = [...new Set(group.records.map((r) => r.trial))].sort((a, b) => a - b);
  const index = new Map(trials.map((t, i) => [t, i]));
  const clusterOf = group.records.map((r) => index.get(r.trial) as number);
  const targets = group.records.reduce((m, r) => Math.max(m, Array.isArray(r.truth) ? r.truth.length : 0), 0);
  const matches = new Map<string, Array<MatchResult | null>>();
  for (const v of variants) {
    matches.set(
      v,
      group.records.map((r) => {
        const est = r.estimates?.[v];
        if (!Array.isArray(est)) return null;
        return matchEstimates((r.truth ?? []) as Target[], est, { velocityWeightS: opts.velocityWeightS });
      }),
    );
  }
  return { group, clusterOf, clusters: trials.length, targets, matches };
}

function framesOf(ctx: PointContext, variant: string, only?: (i: number) => boolean): MatchedFrame[] {
  const out: MatchedFrame[] = [];
  (ctx.matches.get(variant) ?? []).forEach((m, i) => {
    if (m !== null && (only === undefined || only(i)))
      out.push({ cluster: ctx.clusterOf[i] as number, match: m });
  });
  return out;
}

function variantSummary(
  ctx: PointContext,
  variant: string,
  bound: BoundSummary | undefined,
  opts: SummaryOptions,
  rng: Rng,
): VariantSummary {
  const frames = framesOf(ctx, variant);
  let targets = 0;
  let missed = 0;
  let extra = 0;
  let invalid = 0;
  for (const f of frames) {
    targets += f.match.targets.length;
    missed += f.match.missed;
    extra += f.match.extra.length;
    invalid += f.match.invalid.length;
  }
  const metrics = {} as Record<Quantity, ErrorStats>;
  for (const q of QUANTITIES) {
    const ci: IntervalOptions = {
      rng: rng.fork('summary', ctx.group.key, variant, q),
      replicates: opts.bootstrap,
      level: opts.confidence,
      method: opts.interval,
    };
    metrics[q] = errorStats(
      buildSamples(frames, ctx.clusters, ctx.targets, q),
      thresholdFor(q, bound, opts.outlier),
      ci,
    );
  }
  return {
    frames: frames.length,
    framesMissing: ctx.group.records.length - frames.length,
    targets,
    matched: targets - missed,
    missed,
    missRate: targets === 0 ? null : missed / targets,
    extra,
    invalid,
    metrics,
  };
}

function pairedSummary(
  ctx: PointContext,
  a: string,
  b: string,
  opts: SummaryOptions,
  rng: Rng,
): PairedSummary {
  const ma = ctx.matches.get(a) ?? [];
  const mb = ctx.matches.get(b) ?? [];
  const both = (i: number): boolean => ma[i] != null && mb[i] != null;
  // Clusters: the trials that have at least one frame with both variants.
  const common = ctx.group.records.map((_, i) => i).filter(both);
  const trials = [...new Set(common.map((i) => ctx.clusterOf[i] as number))].sort((x, y) => x - y);
  const remap = new Map(trials.map((t, k) => [t, k]));
  const sub = (fs: MatchedFrame[]): MatchedFrame[] =>
    fs.map((f) => ({ cluster: remap.get(f.cluster) as number, match: f.match }));
  const fa = sub(framesOf(ctx, a, both));
  const fb = sub(framesOf(ctx, b, both));
  const metrics = {} as Record<Quantity, PairedStats>;
  for (const q of QUANTITIES) {
    metrics[q] = pairedStats(
      buildSamples(fa, trials.length, ctx.targets, q),
      buildSamples(fb, trials.length, ctx.targets, q),
      {
        rng: rng.fork('summary-paired', ctx.group.key, a, b, q),
        replicates: opts.bootstrap,
        level: opts.confidence,
        method: opts.interval,
      },
    );
  }
  return { a, b, frames: common.length, metrics };
}

/** What one sweep point's records name, in order of first appearance (see AggregateHead). */
export interface PointScan {
  variants: Set<string>;
  resultKeys: Set<string>;
  /** bound series names as boundSeries gives them with many = false / true */
  bounds: [Set<string>, Set<string>];
  singular: [Set<string>, Set<string>];
}

export function newPointScan(): PointScan {
  return {
    variants: new Set(),
    resultKeys: new Set(),
    bounds: [new Set(), new Set()],
    singular: [new Set(), new Set()],
  };
}

/** Adds a record (of the scan's point, in canonical order) to a PointScan. */
export function scanRecord(scan: PointScan, r: FrameRecord): void {
  for (const v of Object.keys(r.estimates ?? {})) scan.variants.add(v);
  for (const k of boundResultKeys(r.crb)) scan.resultKeys.add(k);
  for (const [i, many] of [false, true].entries()) {
    for (const n of boundSeries(r.crb, many).keys()) scan.bounds[i]!.add(n);
    for (const n of singularOnlySeries(r.crb, many)) scan.singular[i]!.add(n);
  }
}

/** The run-wide choices every point's summary depends on: variants, bound series, pairs. */
export interface AggregateHead {
  opts: SummaryOptions;
  variants: string[];
  many: boolean;
  bounds: string[];
  singularOnly: string[];
  crbMode: string | null;
  pairs: Array<[string, string]>;
}

/** The run-wide choices from the scans of every point, given in canonical point order. */
export function aggregateHead(scans: readonly PointScan[], options: unknown = {}): AggregateHead {
  const opts = parseSummaryOptions(options);
  const variants = firstAppearance(scans.map((s) => s.variants));
  const many = new Set(scans.flatMap((s) => [...s.resultKeys])).size > 1;
  const bounds = firstAppearance(scans.map((s) => s.bounds[many ? 1 : 0]));
  const singularOnly = firstAppearance(scans.map((s) => s.singular[many ? 1 : 0])).filter(
    (n) => !bounds.includes(n),
  );
  if (
    opts.crbMode !== undefined &&
    bounds.length > 0 &&
    !bounds.includes(opts.crbMode) &&
    !singularOnly.includes(opts.crbMode)
  ) {
    throw optionError(
      'summary',
      'crbMode',
      `no bound series '${opts.crbMode}' in the records (found: ${bounds.join(', ')})`,
    );
  }
  const crbMode =
    opts.crbMode !== undefined && bounds.includes(opts.crbMode) ? opts.crbMode : (bounds[0] ?? null);
  const pairs: Array<[string, string]> =
    opts.pairs ?? variants.flatMap((a, i) => variants.slice(i + 1).map((b): [string, string] => [a, b]));
  for (const [k, pair] of pairs.entries()) {
    for (const v of pair) {
      if (!variants.includes(v)) {
        throw optionError(
          'summary',
          `pairs[${k}]`,
          `unknown variant '${v}' (variants: ${variants.join(', ') || 'none'})`,
        );
      }
    }
  }
  return { opts, variants, many, bounds, singularOnly, crbMode, pairs };
}

/** The summary of one sweep point from its records (canonical order) alone. */
export function summarisePoint(group: PointGroup, head: AggregateHead, rng: Rng): PointSummary {
  const { opts, variants, bounds, many, crbMode, pairs } = head;
  const present = variants.filter((v) => group.records.some((r) => Array.isArray(r.estimates?.[v])));
  const ctx = matchPoint(group, present, opts);
  const bound = summariseBounds(group.records, bounds, many);
  const crb = crbMode === null ? undefined : bound[crbMode];
  const out: PointSummary['variants'] = {};
  for (const v of present) out[v] = variantSummary(ctx, v, crb, opts, rng);
  const fields: PointSummary['fields'] = {};
  for (const path of opts.fields) {
    fields[path] = fieldStats(group.records, path, opts.confidence, {
      rng: rng.fork('summary-field', group.key, path),
      replicates: opts.bootstrap,
    });
  }
  return {
    point: group.point,
    key: group.key,
    frames: group.records.length,
    trials: ctx.clusters,
    bound,
    variants: out,
    paired: pairs
      .filter(([a, b]) => present.includes(a) && present.includes(b))
      .map(([a, b]) => pairedSummary(ctx, a, b, opts, rng)),
    fields,
  };
}

/** The summary from the head and the point summaries in canonical point order (notes added). */
export function finishSummary(head: AggregateHead, points: PointSummary[]): Summary {
  const { opts, variants, bounds, crbMode, singularOnly } = head;
  const notes: string[] = [];
  for (const n of singularOnly) {
    notes.push(
      `bound series '${n}' is singular for every target in every frame (e.g. one AP cannot locate a target), so it has no value${crbMode !== null ? `; outlier thresholds use '${crbMode}' instead` : ''}`,
    );
  }
  for (const p of points) {
    for (const [name, b] of Object.entries(p.bound)) {
      if (b.singular > 0)
        notes.push(
          `point ${p.key}: ${b.singular} (target, frame) bound(s) of '${name}' left out of the average (singular FIM)`,
        );
    }
  }
  return {
    format: 'isacflow-summary/1',
    options: opts,
    variants,
    bounds,
    crbMode,
    ...(notes.length ? { notes } : {}),
    points,
  };
}

/**
 * Aggregates frame records into per-point, per-variant statistics (shared/spec/results.md):
 * estimates are matched to the truth (matchEstimates), errors summarised (ARMSE, RMSE, mean,
 * median, outlier and miss rates, bootstrap intervals), variants compared pairwise on common
 * frames, the √CRB bound averaged like the ARMSE, and any `fields` summarised generically.
 *
 * Deterministic: records are put in canonical order (point, trial, frame) first and every
 * bootstrap stream is forked from `rng` by (point, variant, quantity), so the summary does not
 * depend on the order of `records` nor on which other statistics are computed. A run's records
 * can also be summarised point by point (scanRecord, aggregateHead, summarisePoint,
 * finishSummary: src/runner/stream-summary.ts), with the same result.
 */
export function aggregate(records: readonly FrameRecord[], rng: Rng, options: unknown = {}): Summary {
  const groups = groupByPoint(sortRecords(records));
  const scans = groups.map((g) => {
    const scan = newPointScan();
    for (const r of g.records) scanRecord(scan, r);
    return scan;
  });
  const head = aggregateHead(scans, options);
  return finishSummary(
    head,
    groups.map((g) => summarisePoint(g, head, rng)),
  );
}
