import type { Summary } from './summary-types.js';

/** Why a statistic is absent from summary.json, by its key. */
const REASONS: Readonly<Record<string, string>> = {
  mean: 'no samples',
  rmse: 'no samples',
  armse: 'no samples (no estimate matched a target)',
  median: 'no samples',
  min: 'no samples',
  max: 'no samples',
  sd: 'fewer than two samples',
  armseCi: 'too few trials for an interval (needs at least 2 with a value)',
  medianCi: 'too few trials for an interval (needs at least 2 with a value)',
  armseImprovementCi: 'too few common trials for an interval',
  medianImprovementCi: 'too few common trials for an interval',
  ci: 'too few samples for an interval',
  outlierRate: 'no matched estimates',
  missRate: 'no true targets',
  armseA: 'no samples of the first variant',
  armseB: 'no samples of the second variant',
  medianA: 'no samples of the first variant',
  medianB: 'no samples of the second variant',
  armseImprovementPct: 'a side has no value or a zero ARMSE',
  medianImprovementPct: 'a side has no value or a zero median',
  position: 'every bound of this quantity is singular (FIM not invertible) or missing',
  velocity: 'every bound of this quantity is singular (FIM not invertible) or missing',
  speed: 'every bound of this quantity is singular (FIM not invertible) or missing',
  heading: 'every bound of this quantity is singular (FIM not invertible) or missing',
  crbMode: 'the records carry no finite bound series',
  perTarget: 'some target(s) were never matched: listed by target index',
};

const missing = (v: unknown): boolean =>
  v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v));

/**
 * summary.json never holds null (or NaN/Infinity) where a number belongs: a statistic that cannot
 * be computed is left out and its reason put in the object's `omitted` map; a list with missing
 * entries (per-target RMSE) becomes a map from index to value.
 */
export function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  const omitted: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (missing(v)) {
      omitted[k] =
        typeof v === 'number' ? `not finite (${v})` : (REASONS[k] ?? 'cannot be computed from these records');
      continue;
    }
    if (Array.isArray(v) && v.some(missing) && v.every((x) => missing(x) || typeof x === 'number')) {
      const byIndex: Record<string, number> = {};
      v.forEach((x, i) => {
        if (!missing(x)) byIndex[String(i)] = x as number;
      });
      out[k] = byIndex;
      omitted[k] =
        `${REASONS[k] ?? 'entries without a value left out'} (missing: ${v.flatMap((x, i) => (missing(x) ? [i] : [])).join(', ')})`;
      continue;
    }
    out[k] = withoutNulls(v);
  }
  if (Object.keys(omitted).length > 0) out.omitted = omitted;
  return out;
}

/** summary.json text: 2-space JSON without nulls (see withoutNulls), trailing newline. Byte-stable. */
export function summaryJsonText(summary: Summary): string {
  return `${JSON.stringify(withoutNulls(summary), null, 2)}\n`;
}
