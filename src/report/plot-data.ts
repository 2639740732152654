import { IsacflowError } from '../core/errors.js';
import { canonicalJson } from '../results/record-order.js';
import {
  QUANTITIES,
  type Interval,
  type PointSummary,
  type Quantity,
  type Summary,
} from '../results/summary-types.js';
import { pointLabel } from './labels.js';
import type { MapData } from './map-data.js';
import type { Marker, PlotSpec } from './plot-spec.js';

/** One plotted value: x, y, its series, an optional interval (error bar) and heatmap value. */
export interface PlotRow {
  x: number | string;
  y: number | string;
  series: string;
  /** 'sim' for estimates, 'bound' for the √CRB overlay */
  kind?: 'sim' | 'bound';
  lo?: number | null;
  hi?: number | null;
  value?: number | null;
  label?: string;
}

export interface PlotData {
  rows: PlotRow[];
  /** markers drawn on heatmaps and scatter plots, besides the spec's own `markers` */
  markers?: Marker[];
  /** things left out (e.g. non-positive values on a log axis), for the log */
  warnings: string[];
  /** what a kind: map plot draws */
  map?: MapData;
}

interface Stat {
  value: number | null;
  ci: Interval | null;
}

const ERROR_STATS = ['armse', 'rmse', 'mean', 'median', 'outlierRate'] as const;

function bad(spec: PlotSpec, option: string, message: string): IsacflowError {
  return new IsacflowError('invalid-option', [
    { where: '', path: `plot '${spec.name ?? spec.y}'.${option}`, message },
  ]);
}

/** Resolves a statistic path into (series label → value) for one sweep point. */
function statsAt(p: PointSummary, path: string, spec: PlotSpec, option: string): Map<string, Stat> {
  const out = new Map<string, Stat>();
  const parts = path.split('.');
  if (parts[0] === 'field') {
    const f = p.fields[parts.slice(1).join('.')];
    if (!f)
      throw bad(
        spec,
        option,
        `no field '${parts.slice(1).join('.')}' in the summary (list it in the summary's fields)`,
      );
    for (const [g, s] of Object.entries(f))
      out.set(g, spec.fieldStat === 'median' ? { value: s.median, ci: null } : { value: s.mean, ci: s.ci });
    return out;
  }
  if (parts[0] === 'paired') {
    const [, stat, q] = parts;
    if (
      (stat !== 'armseImprovementPct' && stat !== 'medianImprovementPct') ||
      !QUANTITIES.includes(q as Quantity)
    ) {
      throw bad(
        spec,
        option,
        `'${path}': use paired.armseImprovementPct.<quantity> or paired.medianImprovementPct.<quantity>`,
      );
    }
    for (const pr of p.paired) {
      const m = pr.metrics[q as Quantity];
      out.set(`${pr.a} vs ${pr.b}`, {
        value: m[stat],
        ci: stat === 'armseImprovementPct' ? m.armseImprovementCi : m.medianImprovementCi,
      });
    }
    return out;
  }
  if (parts[0] === 'crb') {
    const q = parts[1] as Quantity;
    if (parts.length !== 2 || !QUANTITIES.includes(q))
      throw bad(spec, option, `'${path}': use crb.<${QUANTITIES.join('|')}>`);
    for (const [name, b] of Object.entries(p.bound)) out.set(`√CRB (${name})`, { value: b[q], ci: null });
    return out;
  }
  if (path === 'missRate') {
    for (const [v, s] of Object.entries(p.variants)) out.set(v, { value: s.missRate, ci: null });
    return out;
  }
  const [stat, q] = parts;
  if (parts.length !== 2 || !ERROR_STATS.includes(stat as never) || !QUANTITIES.includes(q as Quantity)) {
    throw bad(
      spec,
      option,
      `unknown statistic '${path}' (valid: <${ERROR_STATS.join('|')}>.<${QUANTITIES.join('|')}>, missRate, crb.<quantity>, paired.armseImprovementPct.<quantity>, field.<path>)`,
    );
  }
  for (const [v, s] of Object.entries(p.variants)) {
    const m = s.metrics[q as Quantity];
    const value = m[stat as (typeof ERROR_STATS)[number]];
    out.set(v, { value, ci: stat === 'armse' ? m.armseCi : stat === 'median' ? m.medianCi : null });
  }
  return out;
}

function keepPoint(p: PointSummary, where: Record<string, unknown> | undefined): boolean {
  if (!where) return true;
  return Object.entries(where).every(([k, v]) => canonicalJson(p.point[k]) === canonicalJson(v));
}

/** Sweep keys other than `used` that take more than one value among `points`. */
function varyingKeys(points: readonly PointSummary[], used: readonly string[]): string[] {
  const keys = [...new Set(points.flatMap((p) => Object.keys(p.point)))].filter((k) => !used.includes(k));
  return keys.filter((k) => new Set(points.map((p) => canonicalJson(p.point[k]))).size > 1);
}

function asAxisValue(v: unknown): number | string {
  return typeof v === 'number' ? v : typeof v === 'string' ? v : canonicalJson(v);
}

/** The bound series a plot asks for: 'crb', 'crb:<series>', or a list of those (one line each). */
function boundNames(summary: Summary, spec: PlotSpec): string[] {
  if (spec.bound === false) return [];
  const asked = Array.isArray(spec.bound) ? spec.bound : [spec.bound];
  return asked.map((b) => {
    const [head, name] = b.split(':');
    if (head !== 'crb')
      throw bad(
        spec,
        'bound',
        `'${b}': use 'crb' or 'crb:<series>' (series: ${summary.bounds.join(', ') || 'none'})`,
      );
    const chosen = name ?? summary.crbMode;
    if (chosen === null || !summary.bounds.includes(chosen)) {
      throw bad(
        spec,
        'bound',
        `no bound series '${chosen ?? ''}' in the summary (found: ${summary.bounds.join(', ') || 'none'})`,
      );
    }
    return chosen;
  });
}

/**
 * Rows for a line or bar plot from a summary: x = a sweep key, y = a statistic per series
 * (variants, a sweep key, or variant pairs), error bars from the statistic's interval, and the
 * bound (√CRB, averaged like the ARMSE) as extra rows of kind 'bound' when asked. Sweep keys other
 * than x and series that vary are folded into the series label ("sfo, SNR 10 dB", readable labels
 * from labels.ts pointLabel).
 */
export function plotDataFromSummary(summary: Summary, spec: PlotSpec): PlotData {
  if (spec.kind === 'heatmap') return heatmapDataFromSummary(summary, spec);
  if (spec.kind === 'scatter')
    throw bad(spec, 'kind', 'a scatter plot takes data rows (e.g. a layout), not a summary');
  const warnings: string[] = [];
  const points = summary.points.filter((p) => keepPoint(p, spec.where));
  if (points.length === 0) return { rows: [], warnings: ['no sweep point matches `where`'] };
  if (!points.some((p) => spec.x in p.point)) {
    const keys = [...new Set(points.flatMap((p) => Object.keys(p.point)))];
    throw bad(
      spec,
      'x',
      `'${spec.x}' is not a sweep key of this run (sweep keys: ${keys.join(', ') || 'none'})`,
    );
  }
  const bySweepKey = spec.series !== 'variant' && spec.series !== 'none';
  const extra = varyingKeys(points, bySweepKey ? [spec.x, spec.series] : [spec.x]);
  const rows: PlotRow[] = [];
  for (const p of points) {
    const x = asAxisValue(p.point[spec.x]);
    const suffix = extra.map((k) => pointLabel(k, p.point[k])).join(', ');
    const stats = statsAt(p, spec.y, spec, 'y');
    for (const [name, s] of stats) {
      if (s.value === null) continue;
      let series =
        spec.series === 'none' ? '' : bySweepKey ? pointLabel(spec.series, p.point[spec.series]) : name;
      if (bySweepKey && stats.size > 1) series = `${name}, ${series}`;
      if (suffix) series = series ? `${series}, ${suffix}` : suffix;
      rows.push({
        x,
        y: s.value,
        series: series || spec.y,
        kind: 'sim',
        lo: s.ci?.[0] ?? null,
        hi: s.ci?.[1] ?? null,
      });
    }
  }
  const q = spec.y.split('.')[1] as Quantity;
  for (const bound of boundNames(summary, spec)) {
    if (!QUANTITIES.includes(q) || spec.y.startsWith('paired.') || spec.y.startsWith('outlierRate.')) {
      warnings.push(`bound ignored: '${spec.y}' is not an error in m, m/s or rad`);
    } else {
      for (const p of points) {
        const b = p.bound[bound]?.[q];
        if (b === null || b === undefined) continue;
        const suffix = extra.map((k) => pointLabel(k, p.point[k])).join(', ');
        rows.push({
          x: asAxisValue(p.point[spec.x]),
          y: b,
          series: `√CRB (${bound})${suffix ? `, ${suffix}` : ''}`,
          kind: 'bound',
        });
      }
    }
  }
  return { rows, warnings };
}

/** Heatmap rows from a summary: x and y are sweep keys, colour a statistic of one variant or field group. */
function heatmapDataFromSummary(summary: Summary, spec: PlotSpec): PlotData {
  if (!spec.value) throw bad(spec, 'value', 'a heatmap needs `value` (the statistic shown as colour)');
  const points = summary.points.filter((p) => keepPoint(p, spec.where));
  const rows: PlotRow[] = [];
  for (const p of points) {
    const stats = statsAt(p, spec.value, spec, 'value');
    const name = spec.variant ?? stats.keys().next().value;
    if (name === undefined) continue;
    const s = stats.get(name);
    if (!s) throw bad(spec, 'variant', `no '${name}' at this point (have: ${[...stats.keys()].join(', ')})`);
    rows.push({
      x: asAxisValue(p.point[spec.x]),
      y: asAxisValue(p.point[spec.y]),
      series: name,
      value: s.value,
    });
  }
  return { rows, warnings: [] };
}
