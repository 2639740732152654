import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { IsacflowError, type Problem } from '../core/errors.js';
import type { Summary } from '../results/summary-types.js';
import type { FrameRecord } from '../core/frame.js';
import { plotDataFromSummary, type PlotData } from './plot-data.js';
import { plotDataFromRecord } from './record-plot-data.js';
import { plotDataFromFrames } from './frame-plot-data.js';
import { mapData, type MapAp } from './map-data.js';
import { parsePlotSpec, plotName, type PlotSpec } from './plot-spec.js';
import { svgToPng, vegaLiteToSvg } from './render.js';
import { vegaLiteSpec } from './vega-spec.js';

export interface RenderedPlot {
  name: string;
  spec: PlotSpec;
  vegaLite: TopLevelSpec;
  svg: string;
  png: Buffer;
  /** PNG size in pixels (SVG size × pngScale) */
  width: number;
  height: number;
  warnings: string[];
  /** wall time of the SVG (vega-lite compile + vega view) and PNG (resvg) steps, ms */
  ms: { svg: number; png: number };
}

export interface RenderOptions {
  /** PNG pixels per SVG pixel (default 2: a 480 px wide plot area gives a ~1150 px wide PNG) */
  pngScale?: number;
  /** the run's AP layout, drawn on maps when the records carry none (`aps`) */
  aps?: readonly MapAp[];
}

/** The AP list of a resolved scenario (or undefined), for RenderOptions.aps. */
export function apsOfScenario(scenario: unknown): MapAp[] | undefined {
  const aps = (scenario as { aps?: unknown } | null | undefined)?.aps;
  if (!Array.isArray(aps)) return undefined;
  return aps.filter((a): a is MapAp => Array.isArray((a as MapAp | null)?.position));
}

/** The data rows of one plot spec from a run's summary and records (by `kind` and `source`). */
export function plotDataForSpec(
  spec: PlotSpec,
  summary: Summary,
  records: readonly FrameRecord[],
  options: RenderOptions = {},
): PlotData {
  if (spec.kind === 'map') {
    const map = mapData(records, spec, options.aps ?? []);
    return { rows: [], warnings: [...map.warnings], map };
  }
  if (spec.source === 'frames') return plotDataFromFrames(records, spec);
  return spec.source === 'record' ? plotDataFromRecord(records, spec) : plotDataFromSummary(summary, spec);
}

/** Renders one figure from data rows: Vega-Lite spec, SVG and PNG. */
export async function renderPlot(
  specInput: unknown,
  data: PlotData,
  options: RenderOptions = {},
): Promise<RenderedPlot> {
  const spec = parsePlotSpec(specInput);
  const d: PlotData = { ...data, warnings: [...data.warnings] };
  const vegaLite = vegaLiteSpec(spec, d);
  const t0 = performance.now();
  const svg = await vegaLiteToSvg(vegaLite, d.warnings);
  const t1 = performance.now();
  const png = svgToPng(svg, options.pngScale ?? 2);
  const t2 = performance.now();
  return {
    name: plotName(spec),
    spec,
    vegaLite,
    svg,
    png: png.data,
    width: png.width,
    height: png.height,
    warnings: d.warnings,
    ms: { svg: t1 - t0, png: t2 - t1 },
  };
}

/** Renders a figure of a run's summary (line, bar or heatmap over the sweep). */
export async function renderSummaryPlot(
  summary: Summary,
  specInput: unknown,
  options: RenderOptions = {},
): Promise<RenderedPlot> {
  const spec = parsePlotSpec(specInput);
  return renderPlot(spec, plotDataFromSummary(summary, spec), options);
}

/** Writes `<name>.svg`, `<name>.png` and `<name>.vl.json` into `dir`; returns the paths. */
export async function writeRenderedPlot(
  dir: string,
  plot: RenderedPlot,
): Promise<{ svg: string; png: string; vl: string }> {
  await mkdir(dir, { recursive: true });
  const paths = {
    svg: join(dir, `${plot.name}.svg`),
    png: join(dir, `${plot.name}.png`),
    vl: join(dir, `${plot.name}.vl.json`),
  };
  await writeFile(paths.svg, plot.svg);
  await writeFile(paths.png, plot.png);
  await writeFile(paths.vl, `${JSON.stringify(plot.vegaLite, null, 2)}\n`);
  return paths;
}

/**
 * Renders every plot spec of a pipeline's `outputs.plots` from the summary and writes them into
 * `dir` (the run's plots/ folder). Specs are validated first, all problems reported at once as
 * `outputs.plots[i].option`. Names are made unique with -2, -3, ... suffixes.
 */
export async function writeSummaryPlots(
  dir: string,
  summary: Summary,
  specs: readonly unknown[],
  options: RenderOptions = {},
  records: readonly FrameRecord[] = [],
): Promise<RenderedPlot[]> {
  const problems: Problem[] = [];
  const parsed: PlotSpec[] = [];
  specs.forEach((s, i) => {
    try {
      parsed.push(parsePlotSpec(s, `outputs.plots[${i}]`));
    } catch (e) {
      if (!IsacflowError.is(e)) throw e;
      problems.push(...e.problems);
    }
  });
  if (problems.length > 0) throw new IsacflowError('invalid-option', problems);
  const used = new Map<string, number>();
  const out: RenderedPlot[] = [];
  for (const spec of parsed) {
    const data = plotDataForSpec(spec, summary, records, options);
    const plot = await renderPlot(spec, data, options);
    const n = (used.get(plot.name) ?? 0) + 1;
    used.set(plot.name, n);
    if (n > 1) plot.name = `${plot.name}-${n}`;
    await writeRenderedPlot(dir, plot);
    out.push(plot);
  }
  return out;
}
