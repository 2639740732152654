import { QUANTITIES, QUANTITY_UNITS, type Quantity, type Summary } from '../results/summary-types.js';
import { formatInterval, formatNumber, formatPercent, formatValue } from './format.js';

/** A table of preformatted cells, for the text printer and the HTML report. */
export interface Table {
  title: string;
  columns: string[];
  rows: string[][];
  /** per column; default: first columns left (keys, names), numbers right */
  align?: Array<'left' | 'right'>;
  /** one line under the table saying what the columns mean */
  note?: string;
}

function sweepKeys(summary: Summary): string[] {
  const keys: string[] = [];
  for (const p of summary.points) for (const k of Object.keys(p.point)) if (!keys.includes(k)) keys.push(k);
  return keys;
}

const levelPct = (s: Summary): string => `${Math.round(100 * s.options.confidence * 10) / 10} %`;

/** One table per quantity: every sweep point × variant with ARMSE, median, rates and the bound. */
export function errorTable(summary: Summary, q: Quantity): Table {
  const keys = sweepKeys(summary);
  const lvl = levelPct(summary);
  const crb = summary.crbMode;
  const columns = [
    ...keys,
    'variant',
    'n',
    'ARMSE',
    `${lvl} CI`,
    'median',
    `${lvl} CI`,
    'mean',
    'outliers',
    'missed',
  ];
  if (crb !== null) columns.push(`√CRB (${crb})`);
  const rows: string[][] = [];
  for (const p of summary.points) {
    for (const [v, s] of Object.entries(p.variants)) {
      const m = s.metrics[q];
      const row = [
        ...keys.map((k) => formatValue(p.point[k])),
        v,
        String(m.n),
        formatNumber(m.armse),
        formatInterval(m.armseCi, 3),
        formatNumber(m.median),
        formatInterval(m.medianCi, 3),
        formatNumber(m.mean),
        formatPercent(m.outlierRate),
        formatPercent(s.missRate),
      ];
      if (crb !== null) row.push(formatNumber(p.bound[crb]?.[q] ?? null));
      rows.push(row);
    }
  }
  const thr = [
    ...new Set(
      summary.points.flatMap((p) => Object.values(p.variants).map((s) => s.metrics[q].outlierThreshold)),
    ),
  ];
  return {
    title: `${q.charAt(0).toUpperCase()}${q.slice(1)} error (${QUANTITY_UNITS[q]})`,
    columns,
    rows,
    align: columns.map((_, i) => (i <= keys.length ? 'left' : 'right')),
    note: `ARMSE = mean over targets of the RMSE over trials; intervals: bootstrap over trials (${summary.options.interval}); outliers: error > ${
      thr.length === 1
        ? `${formatNumber(thr[0] ?? null)} ${QUANTITY_UNITS[q]}`
        : 'a per-point threshold (see summary.json)'
    }; missed: truth targets without an estimate.`,
  };
}

/** Improvement of A over B (in % of B) per point and quantity, with paired bootstrap intervals. */
export function pairedTable(
  summary: Summary,
  quantities: readonly Quantity[] = ['position', 'velocity'],
): Table | null {
  if (!summary.points.some((p) => p.paired.length > 0)) return null;
  const keys = sweepKeys(summary);
  const lvl = levelPct(summary);
  const columns = [
    ...keys,
    'A vs B',
    'quantity',
    'frames',
    'ARMSE A',
    'ARMSE B',
    'ARMSE impr.',
    `${lvl} CI`,
    'median impr.',
    `${lvl} CI`,
  ];
  const rows: string[][] = [];
  for (const p of summary.points) {
    for (const pr of p.paired) {
      for (const q of quantities) {
        const m = pr.metrics[q];
        rows.push([
          ...keys.map((k) => formatValue(p.point[k])),
          `${pr.a} vs ${pr.b}`,
          q,
          String(pr.frames),
          formatNumber(m.armseA),
          formatNumber(m.armseB),
          m.armseImprovementPct === null ? '—' : `${m.armseImprovementPct.toFixed(1)} %`,
          formatInterval(m.armseImprovementCi, 3),
          m.medianImprovementPct === null ? '—' : `${m.medianImprovementPct.toFixed(1)} %`,
          formatInterval(m.medianImprovementCi, 3),
        ]);
      }
    }
  }
  return {
    title: 'Paired comparison (same frames)',
    columns,
    rows,
    align: columns.map((_, i) => (i <= keys.length + 1 ? 'left' : 'right')),
    note: 'improvement = 100·(B − A)/B: positive when A has the lower error; intervals: paired bootstrap over trials.',
  };
}

/** One table for all generic fields. */
export function fieldTable(summary: Summary): Table | null {
  const paths = [...new Set(summary.points.flatMap((p) => Object.keys(p.fields)))];
  if (paths.length === 0) return null;
  const keys = sweepKeys(summary);
  const lvl = levelPct(summary);
  const columns = [
    ...keys,
    'field',
    'group',
    'n',
    'mean',
    'sd',
    `${lvl} CI`,
    'interval',
    'median',
    'min',
    'max',
  ];
  const rows: string[][] = [];
  for (const p of summary.points) {
    for (const path of paths) {
      for (const [g, f] of Object.entries(p.fields[path] ?? {})) {
        rows.push([
          ...keys.map((k) => formatValue(p.point[k])),
          path,
          g,
          String(f.n),
          formatNumber(f.mean),
          formatNumber(f.sd),
          formatInterval(f.ci, 3),
          f.interval ?? 't',
          formatNumber(f.median),
          formatNumber(f.min),
          formatNumber(f.max),
        ]);
      }
    }
  }
  return {
    title: 'Record fields',
    columns,
    rows,
    align: columns.map((_, i) => (i <= keys.length + 1 ? 'left' : 'right')),
    note: 'interval of the mean: wilson for proportions; bootstrap (expanded percentile) or log-normal for non-negative values, so it never crosses 0; Student-t for values of both signs.',
  };
}

/** The ARMSE-comparable √CRB of every bound series per point (m, m/s, m/s, rad). */
export function boundTable(summary: Summary): Table | null {
  if (summary.bounds.length === 0) return null;
  const keys = sweepKeys(summary);
  const columns = [...keys, 'bound', 'frames', ...QUANTITIES.map((q) => `${q} (${QUANTITY_UNITS[q]})`)];
  const rows: string[][] = [];
  for (const p of summary.points) {
    for (const [name, b] of Object.entries(p.bound)) {
      rows.push([
        ...keys.map((k) => formatValue(p.point[k])),
        name,
        String(b.frames),
        ...QUANTITIES.map((q) => formatNumber(b[q])),
      ]);
    }
  }
  return {
    title: 'Bound √CRB',
    columns,
    rows,
    align: columns.map((_, i) => (i <= keys.length ? 'left' : 'right')),
    note: 'mean over targets of √(mean over frames of the bound²), the same averaging as the ARMSE; velocity = √tr of the Cartesian velocity CRB.',
  };
}

/** Every table of a summary: errors per quantity (when the run has estimates), paired, fields. */
export function summaryTables(
  summary: Summary,
  quantities: readonly Quantity[] = summary.options.tables ?? QUANTITIES,
): Table[] {
  const out: Table[] = [];
  if (summary.points.some((p) => Object.keys(p.variants).length > 0))
    for (const q of quantities) out.push(errorTable(summary, q));
  const pt = pairedTable(summary);
  if (pt) out.push(pt);
  // The error tables already show the crbMode bound; list all bounds when there is more to say.
  const hasEstimates = summary.points.some((p) => Object.keys(p.variants).length > 0);
  const bt = !hasEstimates || summary.bounds.length > 1 ? boundTable(summary) : null;
  if (bt) out.push(bt);
  const ft = fieldTable(summary);
  if (ft) out.push(ft);
  return out;
}
