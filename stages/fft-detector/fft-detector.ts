import { inject, injectable } from 'inversify';
import { z } from 'zod';
import {
  defineStage,
  Echoes,
  type Frame,
  type FrameRecord,
  recordEntries,
  Records,
  type Stage,
  type StageContext,
  TOKENS,
} from '../../src/plugin.js';
import { SPEED_OF_LIGHT } from '../../src/isac/constants.js';
import { coarseDetections } from '../../src/isac/fft-detector.js';
import { pairGeometry } from '../../src/isac/geometry.js';
import { formatTable } from '../../src/report/progress.js';

export const fftDetectorParams = z
  .object({
    count: z
      .union([z.literal('known'), z.number().int().min(1)])
      .default('known')
      .describe("peaks per AP: a number, or 'known' = the number of true targets"),
    angleBins: z.number().int().min(2).default(64).describe('FFT size over the antennas (zero padding)'),
  })
  .strict();

type Params = z.infer<typeof fftDetectorParams>;

export interface DetectionRecord {
  ap: number;
  target: number;
  range: number;
  doppler: number;
  aoaDeg: number;
  trueRange: number;
  trueDoppler: number;
  trueAoaDeg: number;
  /** errors in resolution cells: c/(2 N_c Δf), 1/(M T), and 2/(N_A)·(1/κ)/2 in sin θ */
  rangeCells: number;
  dopplerCells: number;
  angleCells: number;
}

/**
 * Coarse per-AP detection from the peaks of the range-Doppler-angle FFT (fft.js), matched to
 * the truth per AP (nearest in resolution cells, one-to-one). A check a user can read at once.
 */
@injectable()
export class FftDetectorStage implements Stage {
  constructor(@inject(TOKENS.StageParams) private readonly params: Params) {}

  process(frame: Frame, ctx: StageContext): void {
    const echoes = ctx.read(frame, Echoes);
    const sys = frame.scenario.system;
    const count = this.params.count === 'known' ? frame.truth.length : this.params.count;
    const out: DetectionRecord[] = [];
    echoes.forEach((t, l) => {
      const ap = frame.aps[l]!;
      const dets = coarseDetections(t, sys, count, this.params.angleBins);
      const cellR = SPEED_OF_LIGHT / (2 * sys.subcarriers * sys.subcarrierSpacingHz);
      const cellD = 1 / (sys.symbols * sys.symbolDurationS);
      const cellS = 1 / (t.na * sys.antennaSpacingWavelengths);
      const truths = frame.truth.map((tg) => pairGeometry(ap.position, tg, sys));
      const used = new Set<number>();
      const pairs: Array<{ d: number; u: number; cost: number }> = [];
      dets.forEach((d, di) =>
        truths.forEach((g, u) =>
          pairs.push({
            d: di,
            u,
            cost: Math.hypot(
              (d.range - g.range) / cellR,
              (d.doppler - g.doppler) / cellD,
              (d.sinAoa - Math.sin(g.aoa)) / cellS,
            ),
          }),
        ),
      );
      pairs.sort((a, b) => a.cost - b.cost);
      const usedU = new Set<number>();
      for (const p of pairs) {
        if (used.has(p.d) || usedU.has(p.u)) continue;
        used.add(p.d);
        usedU.add(p.u);
        const d = dets[p.d]!;
        const g = truths[p.u]!;
        out.push({
          ap: l,
          target: p.u,
          range: d.range,
          doppler: d.doppler,
          aoaDeg: (Math.asin(Math.max(-1, Math.min(1, d.sinAoa))) * 180) / Math.PI,
          trueRange: g.range,
          trueDoppler: g.doppler,
          trueAoaDeg: (Math.asin(Math.sin(g.aoa)) * 180) / Math.PI,
          rangeCells: (d.range - g.range) / cellR,
          dopplerCells: (d.doppler - g.doppler) / cellD,
          angleCells: (d.sinAoa - Math.sin(g.aoa)) / cellS,
        });
      }
    });
    out.sort((a, b) => a.ap - b.ap || a.target - b.target);
    ctx.record(Records.detections, out);
    // fraction of (AP, target) pairs whose detection falls in the true range, Doppler and angle bin
    const pairs = frame.aps.length * frame.truth.length;
    ctx.record(Records.detectionRate, pairs > 0 ? out.filter(inBin).length / pairs : 0);
  }
}

/** |error| <= half a resolution cell in range, Doppler and angle. */
function inBin(d: DetectionRecord): boolean {
  return Math.abs(d.rangeCells) <= 0.5 && Math.abs(d.dopplerCells) <= 0.5 && Math.abs(d.angleCells) <= 0.5;
}

function summarize(records: readonly FrameRecord[]): string {
  // counted record by record: the run's records may be streamed from disk (nothing kept)
  let total = 0;
  let within = 0;
  for (const r of records)
    for (const [, ds] of recordEntries(r, Records.detections))
      for (const d of ds) {
        total++;
        if (inBin(d)) within++;
      }
  if (total === 0) return '';
  const first = records[0]!;
  const rows = (recordEntries(first, Records.detections)[0]?.[1] ?? []).map((d) => [
    String(d.ap),
    String(d.target),
    d.trueRange.toFixed(1),
    d.range.toFixed(1),
    d.trueDoppler.toFixed(0),
    d.doppler.toFixed(0),
    d.trueAoaDeg.toFixed(1),
    d.aoaDeg.toFixed(1),
  ]);
  return formatTable({
    title: `Coarse FFT detection per AP (trial ${first.trial}, frame ${first.frame}${Object.keys(first.point).length ? `, ${JSON.stringify(first.point)}` : ''})`,
    columns: [
      'AP',
      'target',
      'range true [m]',
      'range FFT [m]',
      'Doppler true [Hz]',
      'Doppler FFT [Hz]',
      'AoA true [deg]',
      'AoA FFT [deg]',
    ],
    rows,
    align: ['right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
    note: `${within} of ${total} detections over ${records.length} frame(s) fall in the true range, Doppler and angle bin (|error| <= half a cell).`,
  });
}

/**
 * Coarse detection vs SNR; `record.detectionRate.fft` is the fraction in the true bin:
 * @example
 * ```yaml
 * isacflow: 1
 * name: fft-check
 * sweep: { scenario.snr.db: [-10, 0, 10] }
 * outputs:
 *   summary: { fields: [detectionRate.fft] }
 * stages:
 *   - { id: echoes, uses: echo-generator }
 *   - { id: fft, uses: fft-detector, params: { count: known, angleBins: 64 } }
 * ```
 */
export const fftDetector = defineStage({
  name: 'fft-detector',
  summary:
    'Coarse range, Doppler and angle per AP from the peaks of the 3-D FFT of each echo tensor, compared with the truth',
  params: fftDetectorParams,
  reads: [Echoes],
  needsTruth: () =>
    'it scores the FFT peaks against the true targets (a check of simulated echoes); use cp-decomposer with rank: auto on recorded data',
  adds: [],
  records: [Records.detections, Records.detectionRate],
  releasesFrameData: true,
  stage: FftDetectorStage,
  summarize,
});
