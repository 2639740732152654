import { IsacflowError } from '../core/errors.js';
import type { FrameRecord } from '../core/frame.js';
import type { Target } from '../isac/scenario-types.js';
import { boundSeries } from '../results/crb-bound.js';
import { matchEstimates } from '../results/match.js';
import { pointLabels, recordsByPoint } from './frame-plot-data.js';
import type { PlotSpec } from './plot-spec.js';

/** An AP as maps draw it. */
export interface MapAp {
  position: [number, number];
  antennas?: number;
}

/** Everything a map draws, in data units (m). */
export interface MapData {
  aps: MapAp[];
  /** true target positions: one polyline per (series point, trial, target) over frames */
  truth: Array<{ path: string; target: number; frame: number; x: number; y: number }>;
  /** reference position of each true target (first frame of the first kept trial), for labels and zoom panels */
  targets: Array<{ target: number; x: number; y: number }>;
  /** estimates: absolute position and offset (dx, dy) from the matched true target (null when unmatched) */
  estimates: Array<{
    series: string;
    frame: number;
    x: number;
    y: number;
    target: number | null;
    dx: number | null;
    dy: number | null;
  }>;
  /** track positions: one polyline per (series, trial, track id) */
  tracks: Array<{ series: string; path: string; frame: number; x: number; y: number }>;
  /** ellipse outlines around each true target (offsets dx, dy from the target, and absolute x, y), 65 points each */
  ellipses: Array<{
    series: string;
    target: number;
    k: number;
    x: number;
    y: number;
    dx: number;
    dy: number;
  }>;
  /** the estimate series in legend order */
  series: string[];
  warnings: string[];
}

type Pos = { position: [number, number] };

function bad(spec: PlotSpec, option: string, message: string): IsacflowError {
  return new IsacflowError('invalid-option', [
    { where: '', path: `plot '${spec.name ?? 'map'}'.${option}`, message },
  ]);
}

/**
 * Points on the boundary of the ellipse {d : dᵀ C⁻¹ d = s²} of a 2×2 covariance C = [[a, b], [b, c]]
 * (d = s·L·(cos t, sin t) with L the Cholesky factor of C); null when C is not positive definite.
 */
export function ellipsePoints(
  a: number,
  b: number,
  c: number,
  sigma: number,
  n = 64,
): Array<[number, number]> | null {
  if (!(a > 0) || !(a * c - b * b > 0)) return null;
  const l11 = Math.sqrt(a);
  const l21 = b / l11;
  const l22 = Math.sqrt(c - l21 * l21);
  const out: Array<[number, number]> = [];
  for (let k = 0; k <= n; k++) {
    const t = (2 * Math.PI * k) / n;
    const u = Math.cos(t);
    const v = Math.sin(t);
    out.push([sigma * l11 * u, sigma * (l21 * u + l22 * v)]);
  }
  return out;
}

/**
 * The CRB of (x, y) of each true target from a record's bound series `mode` (`crb[resultKey][mode]`,
 * or the earlier `crb[mode]`; entries with `crbP` or `covP: [pxx, pxy, pyy]`).
 */
function positionCovariances(
  rec: FrameRecord,
  spec: PlotSpec,
): Array<[number, number, number] | null> | null {
  if (spec.ellipses === false) return null;
  const [head, mode] = spec.ellipses.split(':');
  if (head !== 'crb') throw bad(spec, 'ellipses', `'${spec.ellipses}': use 'crb' or 'crb:<mode>'`);
  // bound series as the summary names them: `mode`, or `mode@resultKey` (layout crb[resultKey][mode])
  const series = boundSeries(rec.crb, mode?.includes('@') ?? false);
  const key = mode ?? [...series.keys()][0];
  const list = key !== undefined ? series.get(key) : undefined;
  if (!Array.isArray(list)) {
    throw bad(
      spec,
      'ellipses',
      `no bound '${key ?? ''}' in the records (found: ${[...series.keys()].join(', ') || 'none'}; add a crb-evaluator stage)`,
    );
  }
  return list.map((e: unknown) => {
    const o = e as { crbP?: [[number, number], [number, number]]; covP?: [number, number, number] };
    if (o.covP) return o.covP;
    if (o.crbP) return [o.crbP[0][0], o.crbP[0][1], o.crbP[1][1]];
    return null; // singular
  });
}

/**
 * What a `kind: map` plot draws, from the frame records of the kept sweep points (`where`): the
 * first trial of each point or all of them (`trials`), the true targets (a trajectory when there
 * are several frames), every estimate set (`estimates`), the tracks of record.tracks, and the
 * √CRB ellipses of the true targets (`ellipses`, per point, from the first kept record). Series
 * are the estimate sets, with the point's label when several points are kept ("sfo, SNR 10 dB").
 */
export function mapData(
  records: readonly FrameRecord[],
  spec: PlotSpec,
  aps: readonly MapAp[] = [],
): MapData {
  const out: MapData = {
    aps: [],
    truth: [],
    targets: [],
    estimates: [],
    tracks: [],
    ellipses: [],
    series: [],
    warnings: [],
  };
  const groups = recordsByPoint(records, spec.where);
  if (groups.length === 0) {
    out.warnings.push('no frame record to plot');
    return out;
  }
  const recAps = groups[0]?.records.find((r) => Array.isArray(r.aps))?.aps as MapAp[] | undefined;
  out.aps = (recAps ?? [...aps]).map((a) => ({
    position: [a.position[0], a.position[1]],
    ...(a.antennas !== undefined ? { antennas: a.antennas } : {}),
  }));
  const labels = pointLabels(groups.map((g) => g.point));
  const allSets = [...new Set(records.flatMap((r) => Object.keys(r.estimates ?? {})))];
  const sets = spec.estimates ?? allSets;
  for (const s of spec.estimates ?? [])
    if (!allSets.includes(s))
      throw bad(
        spec,
        'estimates',
        `no estimate set '${s}' in the records (found: ${allSets.join(', ') || 'none'})`,
      );
  const name = (set: string, gi: number): string =>
    sets.length > 1 && labels[gi] ? `${set}, ${labels[gi]}` : labels[gi] || set;
  groups.forEach((g, gi) => {
    const firstTrial = Math.min(...g.records.map((r) => r.trial));
    const recs = g.records
      .filter((r) => spec.trials === 'all' || r.trial === firstTrial)
      .sort((a, b) => a.trial - b.trial || a.frame - b.frame);
    const first = recs[0];
    if (!first) return;
    if (gi === 0) {
      (first.truth ?? []).forEach((t, u) =>
        out.targets.push({ target: u, x: t.position[0], y: t.position[1] }),
      );
    }
    for (const r of recs) {
      const truth = (r.truth ?? []) as Target[];
      if (gi === 0 || spec.trials === 'all') {
        truth.forEach((t, u) =>
          out.truth.push({
            path: `${gi}/${r.trial}/${u}`,
            target: u,
            frame: r.frame,
            x: t.position[0],
            y: t.position[1],
          }),
        );
      }
      for (const set of sets) {
        const est = r.estimates?.[set];
        if (!Array.isArray(est)) continue;
        const series = name(set, gi);
        if (!out.series.includes(series)) out.series.push(series);
        const m = matchEstimates(truth, est);
        const of = new Map(m.targets.filter((t) => t.estimate >= 0).map((t) => [t.estimate, t.truth]));
        est.forEach((e, i) => {
          const u = of.get(i);
          const t = u !== undefined ? truth[u] : undefined;
          out.estimates.push({
            series,
            frame: r.frame,
            x: e.position[0],
            y: e.position[1],
            target: u ?? null,
            dx: t ? e.position[0] - t.position[0] : null,
            dy: t ? e.position[1] - t.position[1] : null,
          });
        });
      }
      if (spec.tracks && r.tracks && typeof r.tracks === 'object') {
        for (const [set, list] of Object.entries(r.tracks as Record<string, unknown>)) {
          if (!Array.isArray(list)) continue;
          const series = `${name(set, gi)} track`;
          if (!out.series.includes(series)) out.series.push(series);
          for (const tr of list as Array<Pos & { id: number }>) {
            out.tracks.push({
              series,
              path: `${series}/${r.trial}/${tr.id}`,
              frame: r.frame,
              x: tr.position[0],
              y: tr.position[1],
            });
          }
        }
      }
    }
    const cov = positionCovariances(first, spec);
    if (cov) {
      // coloured like the point's (first set's) estimates
      const label = name(sets[0] ?? '', gi);
      (first.truth ?? []).forEach((t, u) => {
        const c = cov[u];
        const pts = c ? ellipsePoints(c[0], c[1], c[2], spec.ellipseSigma) : null;
        if (!pts) {
          out.warnings.push(
            `no ellipse for target ${u + 1}${labels[gi] ? ` at ${labels[gi]}` : ''}: singular bound`,
          );
          return;
        }
        pts.forEach(([dx, dy], k) =>
          out.ellipses.push({
            series: label,
            target: u,
            k,
            dx,
            dy,
            x: t.position[0] + dx,
            y: t.position[1] + dy,
          }),
        );
      });
    }
  });
  return out;
}
