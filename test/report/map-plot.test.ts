import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import type { FrameRecord } from '../../src/core/frame.js';
import type { Target } from '../../src/isac/scenario-types.js';
import { plotDataFromFrames } from '../../src/report/frame-plot-data.js';
import { ellipsePoints, mapData } from '../../src/report/map-data.js';
import { plotDataForSpec, renderPlot } from '../../src/report/plot.js';
import { parsePlotSpec } from '../../src/report/plot-spec.js';
import { TRUTH_COLOR } from '../../src/report/record-plot-data.js';
import { decodePng } from './png-decode.js';

const tg = (x: number, y: number, speed = 100, heading = 0.5): Target => ({
  position: [x, y],
  velocity: { speed, heading },
});
const TRUTH = [tg(150, 160), tg(200, 140)];
const APS = [
  { position: [0, 0] as [number, number], antennas: 8 },
  { position: [350, 350] as [number, number], antennas: 8 },
];
/** CRB of (x, y) per target, m²: correlated, so the ellipses are tilted */
const COV: Array<[[number, number], [number, number]]> = [
  [
    [4e-4, 1e-4],
    [1e-4, 2e-4],
  ],
  [
    [1e-4, -0.5e-4],
    [-0.5e-4, 3e-4],
  ],
];

/** Known offsets of the estimates: trial t, target u → (dx, dy) in m (scaled down by 10 at 10 dB). */
const offset = (snr: number, t: number, u: number): [number, number] => {
  const k = snr === 0 ? 1 : 0.1;
  return [k * 0.01 * (t - 1 + u), k * 0.02 * (1 - t)];
};

function singleFrameRecords(): FrameRecord[] {
  const out: FrameRecord[] = [];
  for (const snr of [0, 10]) {
    for (let t = 0; t < 3; t++) {
      out.push({
        point: { 'scenario.snr.db': snr },
        trial: t,
        frame: 0,
        seed: t,
        truth: TRUTH,
        // estimates listed in reverse order: the map must match them to the truth
        estimates: {
          sfo: TRUTH.map((x, u) =>
            tg(x.position[0] + offset(snr, t, u)[0], x.position[1] + offset(snr, t, u)[1]),
          ).reverse(),
        },
        crb: {
          exact: COV.map((c) => ({
            sqrtTrP: Math.sqrt(c[0][0] + c[1][1]),
            crbP: snr === 0 ? c : c.map((r) => r.map((v) => v / 10)),
          })),
        },
        timings: {},
      });
    }
  }
  return out;
}

describe('map plots', () => {
  it('ellipse points lie on dᵀ C⁻¹ d = σ² (closed form)', () => {
    const [a, b, c] = [4e-4, 1e-4, 2e-4];
    const det = a * c - b * b;
    for (const [dx, dy] of ellipsePoints(a, b, c, 2)!) {
      const q = (c * dx * dx - 2 * b * dx * dy + a * dy * dy) / det;
      expect(q).toBeCloseTo(4, 10);
    }
    expect(ellipsePoints(1, 2, 1, 1)).toBeNull(); // not positive definite
  });

  it('matches estimates to the truth, gives their offsets, and draws one ellipse per point and target', () => {
    const spec = parsePlotSpec({ kind: 'map', trials: 'all', ellipses: 'crb:exact' });
    const d = mapData(singleFrameRecords(), spec, APS);
    expect(d.series).toEqual(['SNR 0 dB', 'SNR 10 dB']);
    expect(d.aps.map((a) => a.position)).toEqual([
      [0, 0],
      [350, 350],
    ]);
    expect(d.targets).toEqual([
      { target: 0, x: 150, y: 160 },
      { target: 1, x: 200, y: 140 },
    ]);
    expect(d.estimates).toHaveLength(12);
    for (const e of d.estimates) {
      const snr = e.series === 'SNR 0 dB' ? 0 : 10;
      const t = d.estimates.filter((f) => f.series === e.series && f.target === e.target).indexOf(e);
      const [dx, dy] = offset(snr, t, e.target as number);
      expect(e.dx).toBeCloseTo(dx, 9);
      expect(e.dy).toBeCloseTo(dy, 9);
    }
    // 65 points per ellipse, 2 points x 2 targets; the 10 dB ellipses are √10 smaller
    expect(d.ellipses).toHaveLength(4 * 65);
    const r = (series: string, u: number): number =>
      Math.max(
        ...d.ellipses.filter((e) => e.series === series && e.target === u).map((e) => Math.hypot(e.dx, e.dy)),
      );
    expect(r('SNR 0 dB', 0) / r('SNR 10 dB', 0)).toBeCloseTo(Math.sqrt(10), 6);
  });

  it('renders the map with readable legend labels, panel titles and axis units; the PNG shows the red truth markers', async () => {
    const recs = singleFrameRecords();
    const spec = parsePlotSpec({ kind: 'map', trials: 'all', ellipses: 'crb:exact', title: 'Demo map' });
    const p = await renderPlot(spec, plotDataForSpec(spec, null as never, recs, { aps: APS }));
    expect(() => new Resvg(p.svg)).not.toThrow();
    const text = [...p.svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(text).toEqual(
      expect.arrayContaining([
        'SNR 0 dB',
        'SNR 10 dB',
        'true target',
        '√CRB ellipse (1σ)',
        'AP1 (8)',
        'T1',
        'T2',
        'x (m)',
        'y (m)',
        'Δx (cm)',
        'Δy (cm)',
        'Demo map',
      ]),
    );
    expect(text.some((t) => /^T1 at \(150\.0, 160\.0\) m$/.test(t ?? ''))).toBe(true);
    expect(text.some((t) => (t ?? '').includes('…'))).toBe(false);
    expect(p.warnings).toEqual([]);
    const img = decodePng(p.png);
    const [r0, g0, b0] = [1, 3, 5].map((i) => parseInt(TRUTH_COLOR.slice(i, i + 2), 16)) as [
      number,
      number,
      number,
    ];
    let red = 0;
    for (let i = 0; i < img.width * img.height; i++) {
      if (
        Math.abs((img.rgba[4 * i] as number) - r0) +
          Math.abs((img.rgba[4 * i + 1] as number) - g0) +
          Math.abs((img.rgba[4 * i + 2] as number) - b0) <
        30
      )
        red++;
    }
    // 2 crosses on the overview + 1 per zoom panel + the legend symbol, each tens of pixels at scale 2
    expect(red).toBeGreaterThan(5 * 40);
  });

  it('multi-frame map: true trajectories, tracks as their own series, one panel per target following it', async () => {
    const recs: FrameRecord[] = [];
    for (let f = 0; f < 5; f++) {
      const truth = TRUTH.map((t) => tg(t.position[0] + 0.5 * f, t.position[1] + 0.2 * f));
      recs.push({
        point: {},
        trial: 0,
        frame: f,
        seed: 0,
        truth,
        estimates: {
          fusion: truth.map((t) => tg(t.position[0] + 0.05, t.position[1] - 0.05)),
          kalman: truth,
        },
        tracks: {
          kalman: truth.map((t, i) => ({
            id: i + 1,
            position: t.position,
            velocity: t.velocity,
            age: f,
            hits: f + 1,
            misses: 0,
            confirmed: true,
          })),
        },
        timings: { cp: 10 + f, fusion: 2 },
      });
    }
    const spec = parsePlotSpec({ kind: 'map', extent: 'targets', estimates: ['fusion'] });
    const d = mapData(recs, spec, APS);
    expect(d.series).toEqual(['fusion', 'kalman track']);
    expect(d.truth).toHaveLength(10);
    expect(d.tracks).toHaveLength(10);
    const p = await renderPlot(spec, plotDataForSpec(spec, null as never, recs, { aps: APS }));
    const text = [...p.svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(text).toEqual(expect.arrayContaining(['fusion', 'kalman track', 'true target', 'T1', 'T2']));
    // extent: targets: the APs (far away) are not drawn
    expect(text).not.toContain('AP1 (8)');
  });
});

describe('plots against the frame index (source: frames)', () => {
  const recs: FrameRecord[] = [];
  for (let t = 0; t < 2; t++) {
    for (let f = 0; f < 3; f++) {
      // position errors 0.1·(f + 1)·(t + 1) m along x for both targets
      const e = 0.1 * (f + 1) * (t + 1);
      recs.push({
        point: { 'scenario.snr.db': 10 },
        trial: t,
        frame: f,
        seed: t,
        truth: TRUTH,
        estimates: { fusion: TRUTH.map((x) => tg(x.position[0] + e, x.position[1])) },
        timings: { echoes: 5, cp: 100 + f, 'fusion.sfo': 20 },
        ...(f === 2 ? { latencyMs: 500 } : {}),
      });
    }
  }

  it('RMSE per frame over trials and targets, latency per frame (latencyMs, else the sum of timings)', () => {
    const rm = plotDataFromFrames(recs, parsePlotSpec({ source: 'frames', x: 'frame', y: 'rmse.position' }));
    expect(rm.rows.map((r) => r.x)).toEqual([0, 1, 2]);
    rm.rows.forEach((r, f) => expect(r.y).toBeCloseTo(0.1 * (f + 1) * Math.sqrt((1 + 4) / 2), 12));
    expect(new Set(rm.rows.map((r) => r.series))).toEqual(new Set(['fusion']));
    const lat = plotDataFromFrames(recs, parsePlotSpec({ source: 'frames', x: 'frame', y: 'latency' }));
    expect(lat.rows.map((r) => r.y)).toEqual([125, 126, 500]);
    const st = plotDataFromFrames(
      recs,
      parsePlotSpec({ source: 'frames', x: 'frame', y: 'field.timings.*' }),
    );
    expect(st.rows.filter((r) => r.series === 'cp').map((r) => r.y)).toEqual([100, 101, 102]);
    expect(() =>
      plotDataFromFrames(recs, parsePlotSpec({ source: 'frames', x: 'trial', y: 'latency' })),
    ).toThrow(/x must be 'frame'/);
  });

  it('renders with a frame-index axis and a unit on the y axis', async () => {
    const spec = parsePlotSpec({ source: 'frames', x: 'frame', y: 'field.timings.*' });
    const p = await renderPlot(spec, plotDataFromFrames(recs, spec));
    const text = [...p.svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(text).toEqual(
      expect.arrayContaining(['frame index', 'processing time per stage (ms)', 'echoes', 'cp', 'fusion.sfo']),
    );
  });
});

describe('true targets on record plots (truth: position | velocity)', () => {
  it('marks (x, y) on maps and profiles, (heading, speed) on velocity profiles, with a legend entry', async () => {
    const { plotDataFromRecord } = await import('../../src/report/record-plot-data.js');
    const rec: FrameRecord = {
      point: {},
      trial: 0,
      frame: 0,
      seed: 0,
      truth: [tg(150, 160, 100, 0.6), tg(200, 140, 110, 2.1)],
      timings: {},
      profile: {
        xs: [0, 1, 2],
        ys: [90, 100, 110, 120],
        values: [
          [0.1, 0.2, 0.3],
          [0.2, 0.9, 0.3],
          [0.1, 0.2, 0.3],
          [0.1, 0.2, 0.4],
        ],
      },
    };
    const vel = plotDataFromRecord(
      [rec],
      parsePlotSpec({
        kind: 'heatmap',
        source: 'record',
        x: 'profile.xs',
        y: 'profile.ys',
        value: 'profile.values',
        truth: 'velocity',
      }),
    );
    expect(vel.markers?.map((m) => [m.position, m.legend, m.shape])).toEqual([
      [[0.6, 100], 'true target', 'cross'],
      [[2.1, 110], 'true target', 'cross'],
    ]);
    const pos = plotDataFromRecord(
      [rec],
      parsePlotSpec({
        kind: 'heatmap',
        source: 'record',
        x: 'profile.xs',
        y: 'profile.ys',
        value: 'profile.values',
        truth: 'position',
      }),
    );
    expect(pos.markers?.map((m) => m.position)).toEqual([
      [150, 160],
      [200, 140],
    ]);
    const spec = parsePlotSpec({
      kind: 'heatmap',
      source: 'record',
      x: 'profile.xs',
      y: 'profile.ys',
      value: 'profile.values',
      truth: 'velocity',
      equalAxes: false,
      xTitle: 'heading θ (rad)',
      yTitle: 'speed v (m/s)',
    });
    const p = await renderPlot(spec, vel);
    const text = [...p.svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(text).toEqual(expect.arrayContaining(['true target', 'heading θ (rad)', 'speed v (m/s)']));
  });
});

describe('truth-free records (recorded or live data)', () => {
  it('a map and per-frame latency still draw; errors need the truth and say so', async () => {
    const recs: FrameRecord[] = [0, 1, 2].map((f) => ({
      point: {},
      trial: 0,
      frame: f,
      seed: 0,
      truth: [],
      estimates: { fusion: [tg(150 + f, 160), tg(200 + f, 140)] },
      tracks: {
        kalman: [
          {
            id: 1,
            position: [150 + f, 160],
            velocity: { speed: 1, heading: 0 },
            age: f,
            hits: f + 1,
            misses: 0,
            confirmed: true,
          },
        ],
      },
      timings: {},
      latencyMs: 40 + f,
    }));
    const spec = parsePlotSpec({ kind: 'map', extent: 'targets' });
    const d = mapData(recs, spec, APS);
    expect(d.targets).toEqual([]);
    expect(d.estimates.every((e) => e.target === null)).toBe(true);
    const p = await renderPlot(spec, plotDataForSpec(spec, null as never, recs, { aps: APS }));
    expect(() => new Resvg(p.svg)).not.toThrow();
    expect(
      plotDataFromFrames(recs, parsePlotSpec({ source: 'frames', x: 'frame', y: 'latency' })).rows.map(
        (r) => r.y,
      ),
    ).toEqual([40, 41, 42]);
    expect(
      plotDataFromFrames(recs, parsePlotSpec({ source: 'frames', x: 'frame', y: 'rmse.position' })).warnings,
    ).toEqual(["no values of 'rmse.position' in the frame records"]);
  });
});
