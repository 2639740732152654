import type { MapData } from './map-data.js';
import type { Marker, PlotSpec } from './plot-spec.js';
import { apMarkers, TRUTH_COLOR } from './record-plot-data.js';

type Json = Record<string, unknown>;

/** Same palette as vega-spec.ts (Tableau 10). */
const PALETTE = [
  '#4c78a8',
  '#f58518',
  '#54a24b',
  '#b279a2',
  '#72b7b2',
  '#eeca3b',
  '#9d755d',
  '#ff9da6',
  '#bab0ac',
  '#e45756',
];

function extent(values: readonly number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo === Infinity ? [0, 1] : [lo, hi];
}

/** Pads a range by `f` of its width (at least `min` on each side). */
function pad(d: [number, number], f: number, min: number): [number, number] {
  const p = Math.max(min, f * (d[1] - d[0]));
  return [d[0] - p, d[1] + p];
}

/** Rounds up to 1, 2 or 5 × 10^k. */
function niceUp(x: number): number {
  const e = 10 ** Math.floor(Math.log10(x));
  const m = x / e;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * e;
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return (sorted[lo] as number) + (h - lo) * ((sorted[hi] as number) - (sorted[lo] as number));
}

const fmt = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(1) : v.toPrecision(4));

/** Marker layers: APs (labelled triangles) and true targets (red crosses, 'true target' in the legend). */
function pointMarkers(markers: readonly Marker[], x: Json, y: Json, size = 110): Json[] {
  const values = markers.map((m) => ({
    mx: m.position[0],
    my: m.position[1],
    label: m.label ?? '',
    shape: m.shape,
    legend: m.legend ?? '',
    fill: m.color ?? '#111111',
  }));
  const legendOnes = values.filter((v) => v.legend !== '');
  const plain = values.filter((v) => v.legend === '');
  const entries = [...new Set(legendOnes.map((v) => v.legend))];
  const pick = (e: string, k: 'shape' | 'fill'): string =>
    (legendOnes.find((v) => v.legend === e) as (typeof values)[number])[k];
  const mark = { type: 'point', filled: true, opacity: 1, size, stroke: 'white', strokeWidth: 1 };
  const xm = { ...x, field: 'mx' };
  const ym = { ...y, field: 'my' };
  return [
    ...(plain.length
      ? [
          // one layer per shape, set on the mark: a shape encoding without legend would disable the legend entries below
          ...[...new Set(plain.map((v) => v.shape))].map((shape) => ({
            data: { values: plain.filter((v) => v.shape === shape) },
            mark: { ...mark, color: '#111111', shape },
            encoding: { x: xm, y: ym },
          })),
          {
            data: { values: plain.filter((v) => v.label) },
            mark: { type: 'text', align: 'left', dx: 8, dy: -9, fontSize: 11, color: '#111111' },
            encoding: { x: xm, y: ym, text: { field: 'label' } },
          },
        ]
      : []),
    ...(legendOnes.length
      ? [
          {
            data: { values: legendOnes },
            mark,
            encoding: {
              x: xm,
              y: ym,
              shape: {
                field: 'legend',
                type: 'nominal',
                title: null,
                scale: { domain: entries, range: entries.map((e) => pick(e, 'shape')) },
                legend: {},
              },
              fill: {
                field: 'legend',
                type: 'nominal',
                title: null,
                scale: { domain: entries, range: entries.map((e) => pick(e, 'fill')) },
                legend: {},
              },
            },
          },
          {
            data: { values: legendOnes.filter((v) => v.label) },
            mark: {
              type: 'text',
              align: 'left',
              dx: 8,
              dy: -9,
              fontSize: 11,
              color: TRUTH_COLOR,
              fontWeight: 'bold',
            },
            encoding: { x: xm, y: ym, text: { field: 'label' } },
          },
        ]
      : []),
  ];
}

/** The track polylines with at least one point inside the window (whole polylines, so lines still leave the panel). */
function near(tracks: MapData['tracks'], xd: [number, number], yd: [number, number]): MapData['tracks'] {
  const keep = new Set(
    tracks.filter((p) => p.x >= xd[0] && p.x <= xd[1] && p.y >= yd[0] && p.y <= yd[1]).map((p) => p.path),
  );
  return tracks.filter((p) => keep.has(p.path));
}

/**
 * One target's panel of a multi-frame map: its true trajectory (from the first frame's cross),
 * the estimates matched to it and the tracks, in metres, on a square window around them.
 */
function trajectoryPanel(t: MapData['targets'][number], data: MapData, colour: Json, size: number): Json {
  const truth = data.truth.filter(
    (p) => p.target === t.target && p.path === data.truth.find((q) => q.target === t.target)?.path,
  );
  const est = data.estimates.filter((e) => e.target === t.target);
  const errs = est.map((e) => Math.hypot(e.dx as number, e.dy as number)).sort((a, b) => a - b);
  const keep = 2 * quantile(errs, 0.8) + 0.5;
  const inl = est.filter((e) => Math.hypot(e.dx as number, e.dy as number) <= keep);
  let xd = pad(extent([...truth.map((p) => p.x), ...inl.map((e) => e.x)]), 0.1, 0.5);
  let yd = pad(extent([...truth.map((p) => p.y), ...inl.map((e) => e.y)]), 0.1, 0.5);
  const wx = xd[1] - xd[0];
  const wy = yd[1] - yd[0];
  if (wx > wy) yd = [yd[0] - (wx - wy) / 2, yd[1] + (wx - wy) / 2];
  else xd = [xd[0] - (wy - wx) / 2, xd[1] + (wy - wx) / 2];
  const x = { type: 'quantitative', title: 'x (m)', scale: { domain: xd, nice: false, zero: false } };
  const y = { type: 'quantitative', title: 'y (m)', scale: { domain: yd, nice: false, zero: false } };
  const outside = est.length - inl.length;
  return {
    width: size,
    height: size,
    title: {
      text: `T${t.target + 1}`,
      ...(outside > 0 ? { subtitle: `${outside} of ${est.length} estimate(s) outside` } : {}),
      fontSize: 12,
    },
    layer: [
      {
        data: { values: truth },
        mark: { type: 'line', color: TRUTH_COLOR, strokeWidth: 1.5, clip: true },
        encoding: { x: { ...x, field: 'x' }, y: { ...y, field: 'y' }, order: { field: 'frame' } },
      },
      {
        data: { values: est },
        mark: { type: 'point', filled: true, size: 22, opacity: 0.75, clip: true },
        encoding: { x: { ...x, field: 'x' }, y: { ...y, field: 'y' }, color: colour },
      },
      {
        // tracks on top of the estimates; only those near this target (resvg panics on clipped paths far outside the clip region)
        data: { values: near(data.tracks, xd, yd) },
        mark: { type: 'line', strokeWidth: 1.4, clip: true },
        encoding: {
          x: { ...x, field: 'x' },
          y: { ...y, field: 'y' },
          color: colour,
          detail: { field: 'path' },
          order: { field: 'frame' },
        },
      },
      ...pointMarkers(
        [{ position: [t.x, t.y], shape: 'cross', legend: 'true target', color: TRUTH_COLOR }],
        x,
        y,
        60,
      ),
    ],
  };
}

/**
 * A map (kind: map): one panel with the APs, the true targets (trajectories over frames), every
 * estimate (colour = series), tracks (lines) and, without zoom, the √CRB ellipses; with zoom (the
 * default when ellipses are drawn) one more panel per true target showing the estimate errors
 * around it with the ellipses, at a scale where centimetres are visible (estimates outside the
 * panel are counted in its title). With several frames the zoomed panels follow each target's
 * trajectory instead (truth line from a cross at the first frame, estimates, tracks).
 */
export function mapSpec(spec: PlotSpec, data: MapData, config: Json): Json {
  const series = data.series;
  const colour = {
    field: 'series',
    type: 'nominal',
    title: null,
    scale: { domain: series, range: series.map((_, i) => PALETTE[i % PALETTE.length]) },
  };
  const ellipseKey = `√CRB ellipse (${spec.ellipseSigma === 1 ? '1σ' : `${spec.ellipseSigma}σ`})`;
  const dash = {
    field: 'what',
    type: 'nominal',
    title: null,
    scale: { domain: [ellipseKey], range: [[4, 3]] },
  };
  const multiFrame = new Set(data.truth.map((t) => t.frame)).size > 1;
  const zoom = spec.zoom ?? (spec.ellipses !== false || multiFrame);
  // Overview domain: targets, estimates, tracks (and the APs unless extent: targets), equal scales.
  const xs = [...data.truth.map((t) => t.x), ...data.tracks.map((t) => t.x)];
  const ys = [...data.truth.map((t) => t.y), ...data.tracks.map((t) => t.y)];
  // estimates far from every target (association failures) must not blow the overview up
  const span = Math.max(1, ...[extent(xs), extent(ys)].map((d) => d[1] - d[0]));
  for (const e of data.estimates) {
    if (e.dx === null || Math.hypot(e.dx, e.dy as number) < 0.5 * span + 20) {
      xs.push(e.x);
      ys.push(e.y);
    }
  }
  if (spec.extent === 'all') {
    for (const a of data.aps) {
      xs.push(a.position[0]);
      ys.push(a.position[1]);
    }
  }
  let xd = pad(extent(xs), 0.08, 2);
  let yd = pad(extent(ys), 0.08, 2);
  const wx = xd[1] - xd[0];
  const wy = yd[1] - yd[0];
  if (wx > wy) yd = [yd[0] - (wx - wy) / 2, yd[1] + (wx - wy) / 2];
  else xd = [xd[0] - (wy - wx) / 2, xd[1] + (wy - wx) / 2];
  const size = Math.min(spec.width, spec.height, 420);
  const x = {
    type: 'quantitative',
    title: spec.xTitle ?? 'x (m)',
    scale: { domain: xd, nice: false, zero: false },
  };
  const y = {
    type: 'quantitative',
    title: spec.yTitle ?? 'y (m)',
    scale: { domain: yd, nice: false, zero: false },
  };
  const inside = (p: readonly number[]): boolean =>
    (p[0] as number) >= xd[0] &&
    (p[0] as number) <= xd[1] &&
    (p[1] as number) >= yd[0] &&
    (p[1] as number) <= yd[1];
  const markers: Marker[] = [
    ...apMarkers(data.aps).filter((m) => inside(m.position)),
    ...spec.markers,
    ...data.targets.map((t) => ({
      position: [t.x, t.y] as [number, number],
      shape: 'cross' as const,
      legend: 'true target',
      color: TRUTH_COLOR,
      label: `T${t.target + 1}`,
    })),
  ];
  const overview: Json = {
    width: size,
    height: size,
    ...(zoom ? { title: { text: 'Layout', fontSize: 12 } } : {}),
    layer: [
      ...(multiFrame
        ? [
            {
              data: { values: data.truth },
              mark: { type: 'line', color: TRUTH_COLOR, strokeWidth: 1.2, opacity: 0.7, clip: true },
              encoding: {
                x: { ...x, field: 'x' },
                y: { ...y, field: 'y' },
                detail: { field: 'path' },
                order: { field: 'frame' },
              },
            },
          ]
        : []),
      ...(data.tracks.length
        ? [
            {
              data: { values: data.tracks },
              mark: { type: 'line', strokeWidth: 1.6, clip: true },
              encoding: {
                x: { ...x, field: 'x' },
                y: { ...y, field: 'y' },
                color: colour,
                detail: { field: 'path' },
                order: { field: 'frame' },
              },
            },
          ]
        : []),
      {
        data: { values: data.estimates },
        mark: { type: 'point', filled: true, size: 22, opacity: 0.75, clip: true },
        encoding: { x: { ...x, field: 'x' }, y: { ...y, field: 'y' }, color: colour },
      },
      ...(!zoom && data.ellipses.length
        ? [
            {
              data: {
                values: data.ellipses.map((e) => ({
                  ...e,
                  what: ellipseKey,
                  path: `${e.series}/${e.target}`,
                })),
              },
              mark: { type: 'line', strokeWidth: 1.2, clip: true },
              encoding: {
                x: { ...x, field: 'x' },
                y: { ...y, field: 'y' },
                color: colour,
                strokeDash: dash,
                detail: { field: 'path' },
                order: { field: 'k' },
              },
            },
          ]
        : []),
      ...pointMarkers(markers, x, y),
    ],
  };
  const panels: Json[] = [];
  if (zoom && multiFrame) {
    for (const t of data.targets) panels.push(trajectoryPanel(t, data, colour, Math.round(size / 2)));
  } else if (zoom) {
    for (const t of data.targets) {
      const est = data.estimates.filter((e) => e.target === t.target && e.dx !== null);
      const ell = data.ellipses.filter((e) => e.target === t.target);
      const eMax = Math.max(0, ...ell.map((e) => Math.hypot(e.dx, e.dy)));
      const errs = est.map((e) => Math.hypot(e.dx as number, e.dy as number)).sort((a, b) => a - b);
      const r = niceUp(Math.max(1.4 * eMax, 1.15 * quantile(errs, 0.8), 1e-6));
      const [unit, k] = r < 0.005 ? ['mm', 1000] : r < 0.5 ? ['cm', 100] : ['m', 1];
      const outside = est.filter((e) => Math.abs(e.dx as number) > r || Math.abs(e.dy as number) > r).length;
      const zx = {
        type: 'quantitative',
        title: `Δx (${unit})`,
        scale: { domain: [-r * k, r * k], nice: false, zero: false },
      };
      const zy = {
        type: 'quantitative',
        title: `Δy (${unit})`,
        scale: { domain: [-r * k, r * k], nice: false, zero: false },
      };
      panels.push({
        width: Math.round(size / 2),
        height: Math.round(size / 2),
        title: {
          text: `T${t.target + 1} at (${fmt(t.x)}, ${fmt(t.y)}) m`,
          ...(outside > 0 ? { subtitle: `${outside} of ${est.length} estimate(s) outside` } : {}),
          fontSize: 12,
        },
        layer: [
          // the truth first, small: estimates at high SNR sit on it
          ...pointMarkers(
            [{ position: [0, 0], shape: 'cross', legend: 'true target', color: TRUTH_COLOR }],
            zx,
            zy,
            60,
          ),
          {
            data: {
              values: est.map((e) => ({
                series: e.series,
                zx: (e.dx as number) * k,
                zy: (e.dy as number) * k,
              })),
            },
            mark: { type: 'point', filled: true, size: 22, opacity: 0.75, clip: true },
            encoding: { x: { ...zx, field: 'zx' }, y: { ...zy, field: 'zy' }, color: colour },
          },
          {
            data: {
              values: ell.map((e) => ({
                series: e.series,
                what: ellipseKey,
                k: e.k,
                zx: e.dx * k,
                zy: e.dy * k,
              })),
            },
            mark: { type: 'line', strokeWidth: 1.4, clip: true },
            encoding: {
              x: { ...zx, field: 'zx' },
              y: { ...zy, field: 'zy' },
              color: colour,
              strokeDash: dash,
              detail: { field: 'series' },
              order: { field: 'k' },
            },
          },
        ],
      });
    }
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(spec.title ? { title: spec.title } : {}),
    config,
    ...(panels.length
      ? {
          vconcat: [overview, { hconcat: panels }],
          resolve: { scale: { color: 'shared', shape: 'shared', fill: 'shared', strokeDash: 'shared' } },
        }
      : overview),
  };
}
