import { join } from 'node:path';
import type { ResolvedPipeline } from '../core/pipeline-loader.js';
import { Rng } from '../math/rng.js';
import type { Summary } from '../results/summary-types.js';
import type { RunResult } from './run.js';

export interface Finished {
  summary: Summary;
  /** aligned text tables for stdout */
  tables: string[];
  plots: string[];
  report?: string;
}

/**
 * After the trials: summary.json / summary.csv (src/results), the figures of `outputs.plots` and
 * report.html (src/report). The report modules are imported here, lazily, so that `validate` and
 * `list` do not pay for loading vega.
 */
export async function finishRun(resolved: ResolvedPipeline, result: RunResult, stageSummaries: string[]): Promise<Finished> {
  const { aggregate, writeSummary } = await import('../results/index.js');
  const { writeSummaryPlots, writeReportHtml, summaryTables, formatTable, apsOfScenario } = await import('../report/index.js');
  const spec = resolved.spec;
  const dir = result.folder.dir;
  const summary = aggregate(result.records, new Rng([resolved.rootSeed, 'summary']), spec.outputs.summary);
  await writeSummary(dir, summary);
  const aps = apsOfScenario(spec.scenario); // maps draw the APs
  const plots = await writeSummaryPlots(join(dir, 'plots'), summary, spec.outputs.plots, aps ? { aps } : {}, result.records);
  const tables = summaryTables(summary);
  let report: string | undefined;
  if (spec.outputs.report) {
    const manifest = result.folder.readManifest();
    report = await writeReportHtml(join(dir, 'report.html'), {
      title: spec.name,
      ...(spec.description ? { description: spec.description } : {}),
      pipelineYaml: resolved.resolvedYaml,
      summary,
      figures: plots.map((p) => ({ name: p.name, svg: p.svg, ...(p.spec.title ? { caption: p.spec.title } : {}) })),
      ...(manifest ? { manifest: manifest as unknown as Record<string, unknown> } : {}),
      sections: [
        ...stageSummaries.map((t) => ({ title: 'Stage summary', text: t })),
        ...spec.outputs.sections.map((s) => ({ title: s.title, text: s.text })),
      ],
    });
  }
  for (const p of plots) for (const w of p.warnings) process.stderr.write(`plot ${p.name}: ${w}\n`);
  return { summary, tables: tables.map(formatTable), plots: plots.map((p) => join(dir, 'plots', `${p.name}.svg`)), ...(report ? { report } : {}) };
}
