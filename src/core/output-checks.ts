import type { Problem } from './errors.js';
import type { Locate } from './load-state.js';
import type { PipelineSpec } from './pipeline-schema.js';

// The statistic grammar of plots from a summary (src/report/plot-data.ts), checked before the run
// so that a misspelt statistic fails in validate, not after every trial ran.
const ERROR_STATS = ['armse', 'rmse', 'mean', 'median', 'outlierRate'];
const QUANTITIES = ['position', 'velocity', 'speed', 'heading'];
const PAIRED = ['armseImprovementPct', 'medianImprovementPct'];

/** Why `path` is not a summary statistic a plot can show, or undefined. */
export function statisticProblem(path: string, fields: readonly string[]): string | undefined {
  const parts = path.split('.');
  const valid = `valid: <${ERROR_STATS.join('|')}>.<${QUANTITIES.join('|')}>, missRate, crb.<quantity>, paired.<${PAIRED.join('|')}>.<quantity>, field.<path>`;
  if (parts[0] === 'field') {
    const f = parts.slice(1).join('.');
    if (!fields.includes(f))
      return `'${path}': the summary has no field '${f}' (list it under outputs.summary.fields${fields.length ? `; fields: ${fields.join(', ')}` : ''})`;
    return undefined;
  }
  if (parts[0] === 'paired') {
    if (
      parts.length !== 3 ||
      !PAIRED.includes(parts[1] as string) ||
      !QUANTITIES.includes(parts[2] as string)
    )
      return `'${path}': use paired.<${PAIRED.join('|')}>.<${QUANTITIES.join('|')}>`;
    return undefined;
  }
  if (parts[0] === 'crb')
    return parts.length === 2 && QUANTITIES.includes(parts[1] as string)
      ? undefined
      : `'${path}': use crb.<${QUANTITIES.join('|')}>`;
  if (path === 'missRate') return undefined;
  if (
    parts.length === 2 &&
    ERROR_STATS.includes(parts[0] as string) &&
    QUANTITIES.includes(parts[1] as string)
  )
    return undefined;
  return `unknown statistic '${path}' (${valid})`;
}

/**
 * Problems of `outputs.plots` that would otherwise show only after the run: statistics, the x axis
 * and `where` keys of summary plots (sweep keys), bound names.
 */
export function outputProblems(spec: PipelineSpec, locate: Locate): Problem[] {
  const out: Problem[] = [];
  const sweepKeys = Object.keys(spec.sweep);
  const fields = spec.outputs.summary.fields ?? [];
  spec.outputs.plots.forEach((p, i) => {
    const at = (opt: string, message: string, extra: Array<string | number> = []) =>
      out.push({
        where: locate(['outputs', 'plots', i, opt, ...extra]),
        path: `outputs.plots[${i}].${opt}${extra.length ? `.${extra.join('.')}` : ''}`,
        message,
      });
    if (p.source !== 'summary' || p.kind === 'map') return; // maps and per-frame plots are checked by the report
    if (p.kind === 'scatter') at('kind', 'a scatter plot takes data rows (source: record), not a summary');
    const statOpt = p.kind === 'heatmap' ? 'value' : 'y';
    const stat = p.kind === 'heatmap' ? p.value : p.y;
    if (stat === undefined) at('kind', 'a heatmap needs `value` (the statistic shown as colour)');
    else {
      const bad = statisticProblem(stat, fields);
      if (bad) at(statOpt, bad);
    }
    const axes = p.kind === 'heatmap' ? (['x', 'y'] as const) : (['x'] as const);
    for (const ax of axes) {
      if (!sweepKeys.includes(p[ax]))
        at(
          ax,
          `'${p[ax]}' is not a sweep key of this pipeline (sweep keys: ${sweepKeys.join(', ') || 'none'})`,
        );
    }
    if (p.series !== 'variant' && p.series !== 'none' && !sweepKeys.includes(p.series))
      at(
        'series',
        `'${p.series}' is not 'variant', 'none' or a sweep key (sweep keys: ${sweepKeys.join(', ') || 'none'})`,
      );
    for (const k of Object.keys(p.where ?? {})) {
      if (!sweepKeys.includes(k))
        at('where', `'${k}' is not a sweep key (sweep keys: ${sweepKeys.join(', ') || 'none'})`, [k]);
    }
    const bounds = p.bound === false ? [] : Array.isArray(p.bound) ? p.bound : [p.bound];
    for (const b of bounds) {
      if (b !== 'crb' && !/^crb:[A-Za-z0-9._-]+$/.test(b))
        at('bound', `'${b}': use 'crb' or 'crb:<series>' (e.g. crb:exact, crb:paper)`);
    }
  });
  return out;
}
