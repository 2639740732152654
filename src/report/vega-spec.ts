import type { TopLevelSpec } from 'vega-lite';
import { keyTitle, statTitle } from './labels.js';
import type { PlotData, PlotRow } from './plot-data.js';
import type { Marker, PlotSpec } from './plot-spec.js';
import { rasterizeHeatmap, type HeatCell } from './heatmap-raster.js';
import { mapSpec } from './map-spec.js';

/** The one font of every figure: shipped with the npm package dejavu-fonts-ttf (see render.ts). */
export const PLOT_FONT = 'DejaVu Sans';

/** Tableau 10, colour-blind-safe enough and the vega default. Bounds are drawn near-black. */
const PALETTE = [
  '#4c78a8',
  '#f58518',
  '#e45756',
  '#72b7b2',
  '#54a24b',
  '#eeca3b',
  '#b279a2',
  '#ff9da6',
  '#9d755d',
  '#bab0ac',
];
const BOUND_COLORS = ['#222222', '#777777', '#aaaaaa'];
const SOLID = [1, 0];
const DASHED = [6, 4];

type Json = Record<string, unknown>;

const CONFIG: Json = {
  font: PLOT_FONT,
  background: 'white',
  view: { stroke: '#888888' },
  // limits well above any title or label we write: Vega would cut longer text with '…'
  axis: {
    labelFontSize: 11,
    titleFontSize: 12,
    titleFontWeight: 'normal',
    grid: true,
    gridColor: '#e6e6e6',
    labelLimit: 400,
    titleLimit: 1000,
  },
  legend: {
    labelFontSize: 11,
    titleFontSize: 11,
    titleFontWeight: 'normal',
    symbolStrokeWidth: 2,
    labelLimit: 600,
    titleLimit: 600,
  },
  title: { fontSize: 13, fontWeight: 'bold', anchor: 'start' },
};

function unique(xs: readonly string[]): string[] {
  return [...new Set(xs)];
}

function base(spec: PlotSpec, width: number, height: number): Json {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(spec.title ? { title: spec.title } : {}),
    width,
    height,
    config: CONFIG,
  };
}

/** Axis for a numeric scale; log axes get '~g' labels (0.01, 0.1, 1, 10). */
function quantAxis(title: string, log: boolean): Json {
  return log ? { title, format: '~g' } : { title };
}

/**
 * Drops values a log axis cannot show (y ≤ 0) and clamps interval ends ≤ 0 to the smallest
 * positive value in the data, recording what it did in `warnings`.
 */
function prepareLog(rows: PlotRow[], logY: boolean, warnings: string[]): PlotRow[] {
  if (!logY) return rows;
  const kept = rows.filter((r) => typeof r.y === 'number' && r.y > 0);
  if (kept.length < rows.length)
    warnings.push(`${rows.length - kept.length} value(s) ≤ 0 left out of the log y axis`);
  const pos = kept.flatMap((r) => [r.y as number, r.lo ?? Infinity]).filter((v) => v > 0);
  const floor = Math.min(...pos);
  return kept.map((r) => (r.lo !== null && r.lo !== undefined && r.lo <= 0 ? { ...r, lo: floor } : r));
}

function lineOrBar(spec: PlotSpec, data: PlotData): Json {
  const warnings = data.warnings;
  const rows = prepareLog(data.rows, spec.logY, warnings);
  const sims = unique(rows.filter((r) => r.kind !== 'bound').map((r) => r.series));
  const bounds = unique(rows.filter((r) => r.kind === 'bound').map((r) => r.series));
  const domain = [...sims, ...bounds];
  const range = domain.map((_, i) =>
    i < sims.length
      ? (PALETTE[i % PALETTE.length] as string)
      : (BOUND_COLORS[(i - sims.length) % BOUND_COLORS.length] as string),
  );
  const numericX = rows.every((r) => typeof r.x === 'number');
  const yTitle = spec.yTitle ?? statTitle(spec.y);
  const xTitle = spec.xTitle ?? keyTitle(spec.x);
  const seriesTitle = spec.series === 'variant' || spec.series === 'none' ? null : keyTitle(spec.series);
  const yScale = spec.logY ? { type: 'log' } : { type: 'linear', zero: spec.kind === 'bar' };
  const y = {
    field: 'y',
    type: 'quantitative',
    title: yTitle,
    scale: yScale,
    axis: quantAxis(yTitle, spec.logY),
  };
  const color = {
    field: 'series',
    type: 'nominal',
    scale: { domain, range },
    legend:
      domain.length > 1 || bounds.length > 0
        ? { title: seriesTitle, ...(spec.kind === 'bar' ? {} : { symbolType: 'stroke' }) }
        : null,
    sort: domain,
  };
  const hasBars =
    spec.errorBars &&
    rows.some((r) => r.lo !== null && r.lo !== undefined && r.hi !== null && r.hi !== undefined);
  const errY = { field: 'lo', type: 'quantitative', title: yTitle, scale: yScale };
  const out = base(spec, spec.width, spec.height);
  out.data = { values: rows };
  if (spec.kind === 'bar') {
    const longLabels = rows.some((r) => String(r.x).length > 8);
    const x = {
      field: 'x',
      type: 'ordinal',
      title: xTitle,
      sort: null,
      axis: { labelAngle: longLabels ? -35 : 0 },
    };
    const xOffset = { field: 'series', sort: domain };
    out.layer = [
      { mark: { type: 'bar' }, encoding: { x, xOffset, y, color } },
      ...(hasBars
        ? [
            {
              transform: [{ filter: 'isValid(datum.lo) && isValid(datum.hi)' }],
              mark: { type: 'errorbar', ticks: true, color: '#222222' },
              encoding: { x, xOffset, y: errY, y2: { field: 'hi' } },
            },
          ]
        : []),
    ];
    if (bounds.length > 0) warnings.push('bound ignored: bar plots show no bound overlay');
    out.data = { values: rows.filter((r) => r.kind !== 'bound') };
    return out;
  }
  // Ticks at the sweep values when there are few of them (−20, −15, ... dB rather than every 2 dB).
  const xValues = [...new Set(rows.map((r) => r.x as number))].sort((a, b) => a - b);
  const x = numericX
    ? {
        field: 'x',
        type: 'quantitative',
        title: xTitle,
        // 14 px of air on both sides, so the end points and their error bars are not on the frame.
        scale: spec.logX
          ? { type: 'log', padding: 14, nice: false }
          : { type: 'linear', zero: false, padding: 14, nice: false },
        axis: { ...quantAxis(xTitle, spec.logX), ...(xValues.length <= 12 ? { values: xValues } : {}) },
      }
    : { field: 'x', type: 'ordinal', title: xTitle, sort: null, axis: { labelAngle: 0 } };
  const strokeDash = {
    field: 'series',
    type: 'nominal',
    scale: { domain, range: domain.map((_, i) => (i < sims.length ? SOLID : DASHED)) },
    sort: domain,
  };
  out.layer = [
    {
      transform: [{ filter: "datum.kind !== 'bound'" }],
      mark: { type: 'line', point: { size: 36 }, strokeWidth: 1.8 },
      encoding: { x, y, color, strokeDash },
    },
    ...(bounds.length > 0
      ? [
          {
            transform: [{ filter: "datum.kind === 'bound'" }],
            mark: { type: 'line', strokeWidth: 1.5 },
            encoding: { x, y, color, strokeDash },
          },
        ]
      : []),
    ...(hasBars
      ? [
          {
            transform: [{ filter: "datum.kind !== 'bound' && isValid(datum.lo) && isValid(datum.hi)" }],
            mark: { type: 'errorbar', ticks: { size: 6 } },
            encoding: { x, y: errY, y2: { field: 'hi' }, color },
          },
        ]
      : []),
  ];
  return out;
}

function extent(values: number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo === Infinity ? [0, 1] : lo === hi ? [lo - 0.5, hi + 0.5] : [lo, hi];
}

/** Plot-area size keeping one data unit the same length on both axes (fits in width × height). */
function equalSize(spec: PlotSpec, xd: [number, number], yd: [number, number]): [number, number] {
  const rx = xd[1] - xd[0];
  const ry = yd[1] - yd[0];
  const k = Math.min(spec.width / rx, spec.height / ry);
  return [Math.max(50, Math.round(k * rx)), Math.max(50, Math.round(k * ry))];
}

function markerLayers(markers: readonly Marker[], xEnc: Json, yEnc: Json, xMid: number): Json[] {
  if (markers.length === 0) return [];
  const values = markers.map((m) => ({
    mx: m.position[0],
    my: m.position[1],
    label: m.label ?? '',
    shape: m.shape,
    legend: m.legend ?? '',
    fill: m.color ?? '#111111',
  }));
  const x = { ...xEnc, field: 'mx' };
  const y = { ...yEnc, field: 'my' };
  // Labels point inwards: left of markers in the right half, right of those in the left half.
  const text = (right: boolean): Json => ({
    data: { values: values.filter((v) => v.label !== '' && v.mx > xMid === right) },
    mark: {
      type: 'text',
      align: right ? 'right' : 'left',
      dx: right ? -9 : 9,
      dy: -9,
      fontSize: 11,
      color: '#111111',
    },
    encoding: { x, y, text: { field: 'label' } },
  });
  const mark = { type: 'point', filled: true, opacity: 1, size: 110, stroke: 'white', strokeWidth: 1 };
  const plain = values.filter((v) => v.legend === '');
  // Markers with a legend entry: one entry per distinct `legend`, with its shape and fill.
  const entries = unique(values.filter((v) => v.legend !== '').map((v) => v.legend));
  const first = (e: string): (typeof values)[number] =>
    values.find((v) => v.legend === e) as (typeof values)[number];
  const legendScale = (key: 'shape' | 'fill'): Json => ({
    domain: entries,
    range: entries.map((e) => first(e)[key]),
  });
  return [
    ...(plain.length > 0
      ? [
          // one layer per shape and fill, set on the mark: a shape encoding without legend would disable the legend entries below
          ...unique(plain.map((v) => `${v.shape}|${v.fill}`)).map((k) => {
            const [shape, fill] = k.split('|') as [string, string];
            return {
              data: { values: plain.filter((v) => v.shape === shape && v.fill === fill) },
              mark: { ...mark, shape, color: fill },
              encoding: { x, y },
            };
          }),
        ]
      : []),
    ...(entries.length > 0
      ? [
          {
            data: { values: values.filter((v) => v.legend !== '') },
            mark,
            encoding: {
              x,
              y,
              shape: {
                field: 'legend',
                type: 'nominal',
                title: null,
                scale: legendScale('shape'),
                legend: { orient: 'bottom', direction: 'horizontal' },
              },
              fill: {
                field: 'legend',
                type: 'nominal',
                title: null,
                scale: legendScale('fill'),
                legend: { orient: 'bottom', direction: 'horizontal' },
              },
            },
          },
        ]
      : []),
    text(false),
    text(true),
  ];
}

/** Cell edges halfway between neighbouring grid values (the end cells as wide as their neighbours). */
function cellEdges(vals: number[]): Map<number, [number, number]> {
  const u = [...new Set(vals)].sort((a, b) => a - b);
  const m = new Map<number, [number, number]>();
  u.forEach((v, i) => {
    const lo =
      i > 0 ? (v + (u[i - 1] as number)) / 2 : u.length > 1 ? v - ((u[1] as number) - v) / 2 : v - 0.5;
    const hi =
      i < u.length - 1
        ? (v + (u[i + 1] as number)) / 2
        : u.length > 1
          ? v + (v - (u[i - 1] as number)) / 2
          : v + 0.5;
    m.set(v, [lo, hi]);
  });
  return m;
}

/** Colour domain: the data's range; a constant map gets a range around its value (×/÷ 2 on a log scale). */
function valueDomain(values: number[], log: boolean): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === Infinity) return log ? [1, 10] : [0, 1];
  if (lo < hi) return [lo, hi];
  return log ? [lo / 2, lo * 2] : [lo - 0.5, lo + 0.5];
}

/** PNG pixels per plot-area pixel of a heatmap raster (matches the default PNG scale, so cells stay sharp). */
const RASTER_SCALE = 2;

/**
 * A heatmap as ONE raster image (a PNG data URI in a Vega image mark) under the axes, markers and
 * a colour legend: no seams between cells and a small file whatever the grid size. The legend
 * comes from an invisible layer holding the two ends of the value domain, with the same scale
 * (type, scheme, domain, no nice) the raster was coloured with (heatmap-raster.ts).
 */
function heatmap(spec: PlotSpec, data: PlotData): Json {
  const rows = data.rows.filter(
    (r) => typeof r.x === 'number' && typeof r.y === 'number' && r.value !== null && r.value !== undefined,
  );
  const kept = spec.logValue ? rows.filter((r) => (r.value as number) > 0) : rows;
  if (kept.length < data.rows.length)
    data.warnings.push(
      `${data.rows.length - kept.length} heatmap cell(s) without a (positive) value left out`,
    );
  const ex = cellEdges(kept.map((r) => r.x as number));
  const ey = cellEdges(kept.map((r) => r.y as number));
  const cells: HeatCell[] = kept.map((r) => {
    const [x0, x1] = ex.get(r.x as number) as [number, number];
    const [y0, y1] = ey.get(r.y as number) as [number, number];
    return { x0, x1, y0, y1, value: r.value as number };
  });
  const mk = [...spec.markers, ...(data.markers ?? [])];
  const cx = extent(cells.flatMap((c) => [c.x0, c.x1]));
  const cy = extent(cells.flatMap((c) => [c.y0, c.y1]));
  const xd = extent([...cx, ...mk.map((m) => m.position[0])]);
  const yd = extent([...cy, ...mk.map((m) => m.position[1])]);
  const [w, h] = spec.equalAxes === false ? [spec.width, spec.height] : equalSize(spec, xd, yd);
  const xTitle = spec.xTitle ?? keyTitle(spec.x);
  const yTitle = spec.yTitle ?? keyTitle(spec.y);
  const x = { type: 'quantitative', title: xTitle, scale: { domain: xd, nice: false, zero: false } };
  const y = { type: 'quantitative', title: yTitle, scale: { domain: yd, nice: false, zero: false } };
  const valueTitle = spec.valueTitle ?? (spec.value ? statTitle(spec.value) : 'value');
  const domain = valueDomain(
    cells.map((c) => c.value as number),
    spec.logValue,
  );
  // Raster covering the cells' extent, placed by its top-left corner.
  const iw = Math.max(1, Math.round(((cx[1] - cx[0]) / (xd[1] - xd[0])) * w));
  const ih = Math.max(1, Math.round(((cy[1] - cy[0]) / (yd[1] - yd[0])) * h));
  const raster =
    cells.length > 0
      ? rasterizeHeatmap(cells, domain, spec.logValue, iw * RASTER_SCALE, ih * RASTER_SCALE)
      : null;
  const out = base(spec, w, h);
  out.layer = [
    ...(raster
      ? [
          {
            data: { values: [{ x: cx[0], y: cy[1], url: raster.url }] },
            mark: {
              type: 'image',
              width: iw,
              height: ih,
              aspect: false,
              align: 'left',
              baseline: 'top',
              aria: false,
            },
            encoding: {
              x: { ...x, field: 'x' },
              y: { ...y, field: 'y' },
              url: { field: 'url', type: 'nominal' },
            },
          },
        ]
      : []),
    {
      data: {
        values: [
          { lx: xd[0], ly: yd[0], value: domain[0] },
          { lx: xd[0], ly: yd[0], value: domain[1] },
        ],
      },
      mark: { type: 'point', opacity: 0, size: 0, aria: false },
      encoding: {
        x: { ...x, field: 'lx' },
        y: { ...y, field: 'ly' },
        color: {
          field: 'value',
          type: 'quantitative',
          title: valueTitle,
          scale: {
            type: spec.logValue ? 'log' : 'linear',
            scheme: 'viridis',
            domain,
            nice: false,
            zero: false,
          },
          legend: {
            format: spec.logValue ? '~g' : undefined,
            gradientLength: Math.max(60, h - 20),
            offset: 14,
          },
        },
      },
    },
    ...markerLayers(mk, x, y, (xd[0] + xd[1]) / 2),
  ];
  return out;
}

/** Point shapes of scatter series (no cross: crosses mark the true targets). */
const SERIES_SHAPES = [
  'circle',
  'square',
  'diamond',
  'triangle-up',
  'triangle-down',
  'triangle-right',
  'triangle-left',
];

function scatter(spec: PlotSpec, data: PlotData): Json {
  const rows = data.rows.filter((r) => typeof r.x === 'number' && typeof r.y === 'number');
  const mk = [...spec.markers, ...(data.markers ?? [])];
  const pad = (d: [number, number]): [number, number] => {
    const p = 0.06 * (d[1] - d[0]);
    return [d[0] - p, d[1] + p];
  };
  const xd = pad(extent([...rows.map((r) => r.x as number), ...mk.map((m) => m.position[0])]));
  const yd = pad(extent([...rows.map((r) => r.y as number), ...mk.map((m) => m.position[1])]));
  const [w, h] = spec.equalAxes === false ? [spec.width, spec.height] : equalSize(spec, xd, yd);
  const xTitle = spec.xTitle ?? keyTitle(spec.x);
  const yTitle = spec.yTitle ?? keyTitle(spec.y);
  const x = { type: 'quantitative', title: xTitle, scale: { domain: xd, nice: false, zero: false } };
  const y = { type: 'quantitative', title: yTitle, scale: { domain: yd, nice: false, zero: false } };
  const domain = unique(rows.map((r) => r.series));
  const color = {
    field: 'series',
    type: 'nominal',
    title: spec.series === 'variant' || spec.series === 'none' ? null : keyTitle(spec.series),
    scale: { domain, range: domain.map((_, i) => PALETTE[i % PALETTE.length]) },
    legend: domain.length > 1 ? {} : null,
  };
  const out = base(spec, w, h);
  out.resolve = {
    scale: { color: 'independent', shape: 'independent', fill: 'independent' },
    legend: { color: 'independent', shape: 'independent', fill: 'independent' },
  };
  out.layer = [
    {
      data: { values: rows },
      mark: { type: 'point', filled: true, size: 70 },
      // shapes tell overlapping series apart; their scale is independent of the markers' legend shapes
      encoding: {
        x: { ...x, field: 'x' },
        y: { ...y, field: 'y' },
        color,
        shape: {
          field: 'series',
          type: 'nominal',
          title: color.title,
          scale: { domain, range: domain.map((_, i) => SERIES_SHAPES[i % SERIES_SHAPES.length]) },
          legend: color.legend,
        },
      },
    },
    ...(rows.some((r) => r.label)
      ? [
          {
            data: { values: rows.filter((r) => r.label) },
            mark: { type: 'text', align: 'left', dx: 7, dy: -7, fontSize: 10 },
            encoding: { x: { ...x, field: 'x' }, y: { ...y, field: 'y' }, text: { field: 'label' } },
          },
        ]
      : []),
    ...markerLayers(mk, x, y, (xd[0] + xd[1]) / 2),
  ];
  return out;
}

/** The Vega-Lite spec of a figure (data inlined), written beside it as `<name>.vl.json`. */
export function vegaLiteSpec(spec: PlotSpec, data: PlotData): TopLevelSpec {
  if (spec.kind === 'map') {
    if (!data.map) throw new Error('a map plot needs map data (plotDataForSpec)');
    return mapSpec(spec, data.map, CONFIG) as unknown as TopLevelSpec;
  }
  const out =
    spec.kind === 'heatmap'
      ? heatmap(spec, data)
      : spec.kind === 'scatter'
        ? scatter(spec, data)
        : lineOrBar(spec, data);
  return out as unknown as TopLevelSpec;
}
