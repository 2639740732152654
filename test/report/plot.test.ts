import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { compile, type TopLevelSpec } from 'vega-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IsacflowError } from '../../src/core/errors.js';
import { renderPlot, writeSummaryPlots, type RenderedPlot } from '../../src/report/plot.js';
import type { Summary } from '../../src/results/summary-types.js';
import { fig9Summary } from './fixtures.js';
import { decodePng } from './png-decode.js';

/** Visible <text> elements: label → y of their translate(). */
function texts(svg: string): Array<{ text: string; x: number; y: number; visible: boolean }> {
  const out: Array<{ text: string; x: number; y: number; visible: boolean }> = [];
  for (const m of svg.matchAll(/<text([^>]*)>([^<]*)<\/text>/g)) {
    const attrs = m[1] as string;
    const t = /translate\(([-\d.e]+),([-\d.e]+)\)/.exec(attrs);
    out.push({
      text: (m[2] as string).replace(/&amp;/g, '&'),
      x: t ? Number(t[1]) : NaN,
      y: t ? Number(t[2]) : NaN,
      visible: !/opacity="0"/.test(attrs),
    });
  }
  return out;
}

/** Tag balance of an XML document (a second, independent well-formedness check besides resvg). */
function balanced(svg: string): boolean {
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([A-Za-z][\w:-]*)[^>]*?(\/?)>/g)) {
    if (m[3] === '/') continue;
    if (m[1] === '/') {
      if (stack.pop() !== m[2]) return false;
    } else stack.push(m[2] as string);
  }
  return stack.length === 0;
}

describe('plots', () => {
  let summary: Summary;
  let dir: string;
  let plots: RenderedPlot[];

  beforeAll(async () => {
    summary = fig9Summary();
    dir = await mkdtemp(join(tmpdir(), 'isacflow-plot-'));
    plots = await writeSummaryPlots(dir, summary, [
      {
        x: 'scenario.snr.db',
        y: 'armse.position',
        series: 'variant',
        logY: true,
        bound: 'crb',
        name: 'fig9a',
      },
      { kind: 'bar', x: 'scenario.snr.db', y: 'median.velocity', title: 'Median velocity error' },
      { x: 'scenario.snr.db', y: 'field.placement.objective' },
    ]);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes svg, png and vl.json under the plot name', async () => {
    expect(plots.map((p) => p.name)).toEqual([
      'fig9a',
      'median.velocity-vs-scenario.snr.db',
      'field.placement.objective-vs-scenario.snr.db',
    ]);
    const vl = JSON.parse(await readFile(join(dir, 'fig9a.vl.json'), 'utf8')) as TopLevelSpec;
    expect(() => compile(vl)).not.toThrow();
    expect(await readFile(join(dir, 'fig9a.svg'), 'utf8')).toBe(plots[0]?.svg);
  });

  it('the SVG parses and has the axis titles, legend labels and DejaVu Sans', () => {
    const svg = plots[0]!.svg;
    expect(() => new Resvg(svg)).not.toThrow(); // resvg parses with a strict XML parser
    expect(balanced(svg)).toBe(true);
    const labels = texts(svg)
      .filter((t) => t.visible)
      .map((t) => t.text);
    expect(labels).toContain('SNR (dB)');
    expect(labels).toContain('Position ARMSE (m)');
    expect(labels).toEqual(expect.arrayContaining(['sfo', 'lattice', '√CRB (exact)']));
    expect(labels).toEqual(expect.arrayContaining(['−20', '−10', '0', '10'])); // ticks at the sweep values
    expect(svg).toMatch(/font-family="DejaVu Sans"/);
    expect(svg).not.toMatch(/font-family="(?!DejaVu Sans")/);
    expect(svg).toMatch(/stroke-dasharray="6,4"/); // the dashed bound
    expect(plots[0]!.warnings).toEqual([]);
  });

  it('the y axis is logarithmic: decade labels equally spaced', () => {
    // Data span: √CRB 0.03·10^(−snr/20) = 0.0095..0.95 m and errors up to ~4·0.95·√2 m, so the
    // decades 0.01, 0.1, 1 must be labelled; on a log axis they are equally spaced in pixels.
    const ys = new Map(
      texts(plots[0]!.svg)
        .filter((t) => t.visible)
        .map((t) => [t.text, t.y]),
    );
    const decades = ['0.01', '0.1', '1'].map((l) => ys.get(l));
    for (const d of decades) expect(d).toBeTypeOf('number');
    const [a, b, c] = decades as [number, number, number];
    expect(a - b).toBeGreaterThan(20);
    expect(Math.abs(a - b - (b - c))).toBeLessThan(1);
  });

  it('the PNG is a real image of the expected size, not blank, and reproducible', () => {
    const p = plots[0]!;
    const svgW = Number(/<svg[^>]*\swidth="([\d.]+)"/.exec(p.svg)?.[1]);
    const svgH = Number(/<svg[^>]*\sheight="([\d.]+)"/.exec(p.svg)?.[1]);
    const img = decodePng(p.png);
    expect([img.width, img.height]).toEqual([Math.round(2 * svgW), Math.round(2 * svgH)]);
    expect([p.width, p.height]).toEqual([img.width, img.height]);
    const colours = new Set<number>();
    let ink = 0;
    const n = img.width * img.height;
    for (let i = 0; i < n; i++) {
      const r = img.rgba[4 * i] as number;
      const g = img.rgba[4 * i + 1] as number;
      const b = img.rgba[4 * i + 2] as number;
      colours.add((r << 16) | (g << 8) | b);
      if (r + g + b < 600) ink++;
    }
    // Lines, text and grid: many distinct colours (antialiasing) and a few % non-white pixels.
    expect(colours.size).toBeGreaterThan(50);
    expect(ink / n).toBeGreaterThan(0.01);
    expect(ink / n).toBeLessThan(0.5);
  });

  it('renders the same bytes twice', async () => {
    const spec = { x: 'scenario.snr.db', y: 'armse.position', logY: true, bound: 'crb' };
    const { plotDataFromSummary } = await import('../../src/report/plot-data.js');
    const { parsePlotSpec } = await import('../../src/report/plot-spec.js');
    const data = plotDataFromSummary(summary, parsePlotSpec(spec));
    const a = await renderPlot(spec, data);
    const b = await renderPlot(spec, data);
    expect(b.svg).toBe(a.svg);
    expect(Buffer.compare(a.png, b.png)).toBe(0);
  });

  it('bar plot with error bars and a field plot', () => {
    const bar = texts(plots[1]!.svg)
      .filter((t) => t.visible)
      .map((t) => t.text);
    expect(bar).toEqual(
      expect.arrayContaining(['Median velocity error', 'Velocity median error (m/s)', 'sfo', 'lattice']),
    );
    const field = texts(plots[2]!.svg)
      .filter((t) => t.visible)
      .map((t) => t.text);
    expect(field).toContain('placement.objective');
  });

  it('heatmap with AP markers and scatter layout from data rows', async () => {
    const rows = [];
    for (let x = 0; x <= 350; x += 50)
      for (let y = 0; y <= 350; y += 50)
        rows.push({ x, y, series: '', value: 0.01 + Math.hypot(x - 175, y - 175) / 100 });
    const aps = [
      { position: [0, 0] as [number, number], label: 'AP1' },
      { position: [350, 350] as [number, number], label: 'AP4' },
    ];
    const hm = await renderPlot(
      {
        kind: 'heatmap',
        x: 'x',
        y: 'y',
        value: 'armse.position',
        valueTitle: '√CRB_p (m)',
        logValue: true,
        markers: aps,
      },
      { rows, warnings: [] },
    );
    const t = texts(hm.svg)
      .filter((e) => e.visible)
      .map((e) => e.text);
    expect(t).toEqual(expect.arrayContaining(['x (m)', 'y (m)', '√CRB_p (m)', 'AP1', 'AP4']));
    expect(hm.svg).toMatch(/linearGradient id="gradient_0"/);
    // vega numbers gradients process-wide; render.ts resets the counter, so a re-render is identical
    const again = await renderPlot(
      {
        kind: 'heatmap',
        x: 'x',
        y: 'y',
        value: 'armse.position',
        valueTitle: '√CRB_p (m)',
        logValue: true,
        markers: aps,
      },
      { rows, warnings: [] },
    );
    expect(again.svg).toBe(hm.svg);
    const sc = await renderPlot(
      { kind: 'scatter', x: 'x', y: 'y', series: 'layout' },
      {
        rows: [
          { x: 0, y: 0, series: 'initial' },
          { x: 10, y: 5, series: 'optimal', label: '12 ant.' },
          { x: 150, y: 160, series: 'target' },
        ],
        warnings: [],
      },
    );
    const st = texts(sc.svg)
      .filter((e) => e.visible)
      .map((e) => e.text);
    expect(st).toEqual(expect.arrayContaining(['initial', 'optimal', 'target', '12 ant.']));
  });

  it('reports every bad plot spec at once, with paths', async () => {
    try {
      await writeSummaryPlots(dir, summary, [
        { x: 'a', y: 'b', logy: true },
        { kind: 'pie', x: 'a', y: 'b' },
      ]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(IsacflowError);
      const msg = (e as IsacflowError).message;
      expect(msg).toMatch(/outputs\.plots\[0\]\.logy.*did you mean 'logY'/);
      expect(msg).toMatch(/outputs\.plots\[1\]\.kind/);
    }
    await expect(
      writeSummaryPlots(dir, summary, [{ x: 'scenario.snr', y: 'armse.position' }]),
    ).rejects.toThrow(/not a sweep key.*scenario\.snr\.db/);
    await expect(writeSummaryPlots(dir, summary, [{ x: 'scenario.snr.db', y: 'armse.pos' }])).rejects.toThrow(
      /unknown statistic 'armse\.pos'/,
    );
    await expect(
      writeSummaryPlots(dir, summary, [{ x: 'scenario.snr.db', y: 'armse.position', bound: 'crb:paper' }]),
    ).rejects.toThrow(/no bound series 'paper'.*exact/);
  });
});
