import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { QUANTITIES, type Interval, type Summary } from './summary-types.js';
import { summaryJsonText } from './summary-json.js';

/**
 * summary.json text: 2-space JSON, trailing newline, byte-stable. A statistic that cannot be
 * computed is omitted with its reason under `omitted` (never null; see summary-json.ts).
 */
export function summaryToJson(summary: Summary): string {
  return summaryJsonText(summary);
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * summary.csv: one tidy (long) table, one statistic per row, so the columns never change:
 * `<sweep keys...>, kind, variant, quantity, statistic, value`.
 * kind = error (variant's error statistics; quantity 'all' for counts), paired (variant 'A vs B',
 * improvement of A over B in %), bound (variant = the bound series, e.g. 'exact'), field
 * (quantity = the field path, variant = its group). Empty value = undefined statistic.
 */
export function summaryToCsv(summary: Summary): string {
  const keys: string[] = [];
  for (const p of summary.points) for (const k of Object.keys(p.point)) if (!keys.includes(k)) keys.push(k);
  const lines = [[...keys, 'kind', 'variant', 'quantity', 'statistic', 'value'].map(csvCell).join(',')];
  for (const p of summary.points) {
    const pre = keys.map((k) => csvCell(p.point[k]));
    const row = (kind: string, variant: string, quantity: string, stat: string, value: unknown): void => {
      lines.push(
        [...pre, csvCell(kind), csvCell(variant), csvCell(quantity), csvCell(stat), csvCell(value)].join(','),
      );
    };
    const ci = (kind: string, variant: string, q: string, stat: string, iv: Interval | null): void => {
      row(kind, variant, q, `${stat}_lo`, iv?.[0]);
      row(kind, variant, q, `${stat}_hi`, iv?.[1]);
    };
    row('point', '', 'all', 'frames', p.frames);
    row('point', '', 'all', 'trials', p.trials);
    for (const [name, b] of Object.entries(p.bound)) {
      row('bound', name, 'all', 'frames', b.frames);
      for (const q of QUANTITIES) row('bound', name, q, 'sqrt_crb', b[q]);
    }
    for (const [v, s] of Object.entries(p.variants)) {
      for (const stat of [
        'frames',
        'framesMissing',
        'targets',
        'matched',
        'missed',
        'missRate',
        'extra',
        'invalid',
      ] as const) {
        row('error', v, 'all', stat, s[stat]);
      }
      for (const q of QUANTITIES) {
        const m = s.metrics[q];
        row('error', v, q, 'n', m.n);
        row('error', v, q, 'mean', m.mean);
        row('error', v, q, 'rmse', m.rmse);
        row('error', v, q, 'armse', m.armse);
        ci('error', v, q, 'armse', m.armseCi);
        row('error', v, q, 'median', m.median);
        ci('error', v, q, 'median', m.medianCi);
        row('error', v, q, 'outlierRate', m.outlierRate);
        row('error', v, q, 'outlierThreshold', m.outlierThreshold);
        m.perTarget.forEach((r, k) => row('error', v, q, `rmse_target${k}`, r));
      }
    }
    for (const pr of p.paired) {
      const v = `${pr.a} vs ${pr.b}`;
      row('paired', v, 'all', 'frames', pr.frames);
      for (const q of QUANTITIES) {
        const m = pr.metrics[q];
        row('paired', v, q, 'armseA', m.armseA);
        row('paired', v, q, 'armseB', m.armseB);
        row('paired', v, q, 'armseImprovementPct', m.armseImprovementPct);
        ci('paired', v, q, 'armseImprovementPct', m.armseImprovementCi);
        row('paired', v, q, 'medianA', m.medianA);
        row('paired', v, q, 'medianB', m.medianB);
        row('paired', v, q, 'medianImprovementPct', m.medianImprovementPct);
        ci('paired', v, q, 'medianImprovementPct', m.medianImprovementCi);
      }
    }
    for (const [path, groups] of Object.entries(p.fields)) {
      for (const [g, f] of Object.entries(groups)) {
        for (const stat of ['n', 'mean', 'sd', 'median', 'min', 'max', 'missing', 'nonFinite'] as const) {
          row('field', g, path, stat, f[stat]);
        }
        ci('field', g, path, 'mean', f.ci);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Writes summary.json and summary.csv into `dir` (created if needed); returns their paths. */
export async function writeSummary(dir: string, summary: Summary): Promise<{ json: string; csv: string }> {
  await mkdir(dir, { recursive: true });
  const json = join(dir, 'summary.json');
  const csv = join(dir, 'summary.csv');
  await writeFile(json, summaryToJson(summary));
  await writeFile(csv, summaryToCsv(summary));
  return { json, csv };
}
