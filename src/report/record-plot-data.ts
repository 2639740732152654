import { IsacflowError } from '../core/errors.js';
import type { FrameRecord } from '../core/frame.js';
import { resolveField } from '../results/field-stats.js';
import type { PlotData, PlotRow } from './plot-data.js';
import type { Marker, PlotSpec } from './plot-spec.js';

function at(obj: unknown, dot: string): unknown {
  let cur = obj;
  for (const k of dot.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

/**
 * Scatter/line rows from paths with `*` (e.g. x: placement.*.positions.*.0, y: …*.1): values are
 * paired in order, and the first `*` names the series (here the variant).
 */
function starRows(rec: FrameRecord, spec: PlotSpec): PlotData {
  const xs = resolveField(rec, spec.x);
  const ys = resolveField(rec, spec.y);
  if (xs.length !== ys.length) {
    throw new IsacflowError('invalid-option', [
      {
        where: '',
        path: `plot '${spec.name ?? spec.y}'.y`,
        message: `matches ${ys.length} values but x matches ${xs.length}`,
      },
    ]);
  }
  const rows: PlotRow[] = [];
  xs.forEach((hx, i) => {
    const hy = ys[i]!;
    if (typeof hx.value === 'number' && typeof hy.value === 'number')
      rows.push({ x: hx.value, y: hy.value, series: hx.group.split('/')[0] ?? '' });
  });
  return { rows, markers: truthMarkers(rec, spec), warnings: [] };
}

function numbers(v: unknown, spec: PlotSpec, option: string): number[] {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'number')) {
    throw new IsacflowError('invalid-option', [
      {
        where: '',
        path: `plot '${spec.name ?? spec.y}'.${option}`,
        message: `must be a dot path to a list of numbers in the frame record (source: record)`,
      },
    ]);
  }
  return v as number[];
}

/**
 * Plot rows from the first frame record (`source: record`; the first one matching `where`): a heatmap takes x and y as paths to
 * the grid coordinates and `value` as a path to the grid (rows over y); line/scatter take x and y
 * as paths to equal-length lists. APs stored beside the value (e.g. `crbMap.aps`) become markers.
 */
export function plotDataFromRecord(records: readonly FrameRecord[], spec: PlotSpec): PlotData {
  const where = Object.entries(spec.where ?? {});
  const rec = records.find((r) => where.every(([k, v]) => JSON.stringify(r.point[k]) === JSON.stringify(v)));
  if (!rec)
    return {
      rows: [],
      warnings: [`no frame record to plot${where.length ? ` where ${JSON.stringify(spec.where)}` : ''}`],
    };
  if (spec.kind !== 'heatmap' && spec.x.includes('*')) return starRows(rec, spec);
  const xs = numbers(at(rec, spec.x), spec, 'x');
  const ys = numbers(at(rec, spec.y), spec, 'y');
  const rows: PlotRow[] = [];
  let apsPath: string | undefined;
  if (spec.kind === 'heatmap') {
    if (!spec.value)
      throw new IsacflowError('invalid-option', [
        {
          where: '',
          path: `plot '${spec.name ?? spec.y}'.value`,
          message: 'a heatmap needs value: the dot path of the grid',
        },
      ]);
    const grid = at(rec, spec.value);
    if (!Array.isArray(grid))
      throw new IsacflowError('invalid-option', [
        {
          where: '',
          path: `plot '${spec.name ?? spec.y}'.value`,
          message: 'must be a dot path to a grid (list of rows) in the frame record',
        },
      ]);
    ys.forEach((y, j) => {
      const row = (grid[j] ?? []) as Array<number | null>;
      xs.forEach((x, i) => rows.push({ x, y, series: '', value: row[i] ?? null }));
    });
    apsPath = spec.value.split('.').slice(0, -1).concat('aps').join('.');
  } else {
    if (xs.length !== ys.length)
      throw new IsacflowError('invalid-option', [
        {
          where: '',
          path: `plot '${spec.name ?? spec.y}'.y`,
          message: `has ${ys.length} values but x has ${xs.length}`,
        },
      ]);
    xs.forEach((x, i) =>
      rows.push({
        x,
        y: ys[i] as number,
        series: spec.series === 'variant' || spec.series === 'none' ? '' : spec.series,
      }),
    );
  }
  const aps = apsPath ? at(rec, apsPath) : undefined;
  const markers: Marker[] = Array.isArray(aps)
    ? apMarkers(aps as Array<{ position: [number, number]; antennas?: number }>)
    : [];
  return { rows, markers: [...markers, ...truthMarkers(rec, spec)], warnings: [] };
}

/** AP markers (black triangles labelled AP1 (8), ... with the antenna count when known; no legend entry: the labels say it). */
export function apMarkers(
  aps: ReadonlyArray<{ position: readonly [number, number] | number[]; antennas?: number }>,
): Marker[] {
  return aps.map((a, l) => ({
    position: [a.position[0] as number, a.position[1] as number],
    label: `AP${l + 1}${a.antennas !== undefined ? ` (${a.antennas})` : ''}`,
    shape: 'triangle-up' as const,
  }));
}

/** Colour of the true targets on maps and profiles (red, visible on viridis and on white). */
export const TRUTH_COLOR = '#e8112d';

/**
 * The record's true targets as markers (`spec.truth`): at (x, y) for 'position', at
 * (heading, speed) for 'velocity' — the axes of the location and velocity profiles.
 */
export function truthMarkers(rec: FrameRecord, spec: PlotSpec): Marker[] {
  if (spec.truth === 'none') return [];
  return (rec.truth ?? []).map((t) => ({
    position:
      spec.truth === 'position' ? [t.position[0], t.position[1]] : [t.velocity.heading, t.velocity.speed],
    shape: 'cross' as const,
    legend: 'true target',
    color: TRUTH_COLOR,
  }));
}
