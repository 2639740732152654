import { frameSummary } from '../sources/frame-summary.js';
import { join } from 'node:path';
import type { FrameRecord } from '../core/frame.js';
import type { StageManifest } from '../core/plugin.js';
import type { ResolvedPipeline } from '../core/pipeline-loader.js';
import { Rng } from '../math/rng.js';
import type { Summary } from '../results/summary-types.js';
import type { RunFolder } from './run-folder.js';
import { streamSummary } from './stream-summary.js';

export interface Finished {
  summary: Summary;
  /** aligned text tables for stdout (stage summaries first) */
  tables: string[];
  /** the stage summaries (and, without truth, the frame summary), as put in the report */
  stageSummaries: string[];
  plots: string[];
  report?: string;
  /** frame records summarised */
  records: number;
}

/**
 * Text summaries of the stages that have one (e.g. association accuracy), from the records; for a
 * truth-free source (recording or live feed without truth) first what can be said without it.
 */
export function stageSummaries(resolved: ResolvedPipeline, records: readonly FrameRecord[]): string[] {
  const out: string[] = [];
  // frames without truth (a truth-free recording or live feed): counts, estimates, timings
  if (resolved.source && !resolved.source.info.truth && records.every((r) => r.truth.length === 0))
    out.push(frameSummary(records));
  for (const s of resolved.points[0]?.stages ?? []) {
    const m = s.manifest as StageManifest;
    if (m.summarize) {
      const text = m.summarize(records as FrameRecord[]);
      if (text) out.push(text);
    }
  }
  return out;
}

/**
 * After the trials: summary.json / summary.csv (src/results), the figures of `outputs.plots` and
 * report.html (src/report), from the records streamed from records.jsonl, one sweep point at a
 * time (src/runner/stream-summary.ts), or from the given ones.
 * The report modules are imported here, lazily, so that `validate` and `list` do not pay for
 * loading vega.
 */
export async function finishRun(
  resolved: ResolvedPipeline,
  folder: RunFolder,
  given?: FrameRecord[],
): Promise<Finished> {
  const { aggregate, writeSummary } = await import('../results/index.js');
  const { writeSummaryPlots, writeReportHtml, summaryTables, formatTable, apsOfScenario } =
    await import('../report/index.js');
  const spec = resolved.spec;
  const dir = folder.dir;
  const rng = new Rng([resolved.rootSeed, 'summary']);
  // the run's own records are streamed point by point; `records` then reads them from the file
  // when a stage summary or a plot of raw records goes through them (nothing is held)
  const { summary, records, count } = given
    ? { summary: aggregate(given, rng, spec.outputs.summary), records: given, count: given.length }
    : await streamSummary(folder, rng, spec.outputs.summary);
  const stages = stageSummaries(resolved, records);
  await writeSummary(dir, summary);
  const aps = apsOfScenario(spec.scenario); // maps draw the APs
  const plots = await writeSummaryPlots(
    join(dir, 'plots'),
    summary,
    spec.outputs.plots,
    aps ? { aps } : {},
    records,
  );
  const tables = summaryTables(summary);
  let report: string | undefined;
  if (spec.outputs.report) {
    const manifest = folder.readManifest();
    report = await writeReportHtml(join(dir, 'report.html'), {
      title: spec.name,
      ...(spec.description ? { description: spec.description } : {}),
      pipelineYaml: resolved.resolvedYaml,
      summary,
      figures: plots.map((p) => ({
        name: p.name,
        svg: p.svg,
        ...(p.spec.title ? { caption: p.spec.title } : {}),
      })),
      ...(manifest ? { manifest: manifest as unknown as Record<string, unknown> } : {}),
      sections: [
        ...stages.map((t) => ({ title: 'Stage summary', text: t })),
        ...spec.outputs.sections.map((s) => ({ title: s.title, text: s.text })),
      ],
    });
  }
  for (const p of plots) for (const w of p.warnings) process.stderr.write(`plot ${p.name}: ${w}\n`);
  return {
    summary,
    tables: [...stages, ...tables.map(formatTable)],
    stageSummaries: stages,
    plots: plots.map((p) => join(dir, 'plots', `${p.name}.svg`)),
    ...(report ? { report } : {}),
    records: count,
  };
}
