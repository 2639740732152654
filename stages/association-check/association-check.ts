import { injectable } from 'inversify';
import { z } from 'zod';
import {
  defineStage,
  type Frame,
  Observations,
  Records,
  type Stage,
  type StageContext,
} from '../../src/plugin.js';
import { SPEED_OF_LIGHT } from '../../src/isac/constants.js';
import { pairGeometry } from '../../src/isac/geometry.js';
import { minCostAssignment } from '../../src/math/assignment.js';

/** `record.associationCheck[resultKey]`. */
export interface AssociationCheckRecord {
  /** every associated target's per-AP components belong to one and the same true target, one-to-one */
  correct: boolean;
  /** associated targets / true targets */
  targets: number;
  truth: number;
  /** per AP and associated component: range − true range of the true target it belongs to, m */
  rangeErrors: number[];
  /** per AP: sin θ̂ − sin θ and f̂_D − f_D of the same components */
  sinErrors: number[];
  dopplerErrors: number[];
  /** √(mean of rangeErrors²) over this frame's APs and components, m (null when nothing was associated) */
  rangeRmse: number | null;
}

/**
 * Checks the associator against the truth (a metrics stage: the receiver chain never sees it).
 * Per AP, the associated components are labelled with true targets by a minimum-cost assignment in
 * resolution cells of (range, sin θ, Doppler); the association is correct when every associated
 * target's components carry one label, distinct across targets, and every true target is found.
 */
@injectable()
export class AssociationCheckStage implements Stage {
  process(frame: Frame, ctx: StageContext): void {
    const obs = ctx.read(frame, Observations);
    const sys = frame.scenario.system;
    const U = frame.truth.length;
    const K = obs.length;
    const labels: number[][] = obs.map(() => []);
    const rangeErrors: number[] = [];
    const sinErrors: number[] = [];
    const dopplerErrors: number[] = [];
    frame.aps.forEach((ap, l) => {
      const g = frame.truth.map((t) => pairGeometry(ap.position, t, sys));
      const rc = SPEED_OF_LIGHT / (2 * sys.subcarriers * sys.subcarrierSpacingHz);
      const sc = 1 / (sys.antennaSpacingWavelengths * ap.antennas);
      const dc = 1 / (sys.symbols * sys.symbolDurationS);
      const cost = new Float64Array(K * U);
      obs.forEach((o, k) => {
        const a = o.perAp[l]!;
        g.forEach((t, u) => {
          cost[k * U + u] = Math.hypot(
            (a.range - t.range) / rc,
            (a.sinAoa - Math.sin(t.aoa)) / sc,
            (a.doppler - t.doppler) / dc,
          );
        });
      });
      const { rowToCol } = minCostAssignment(cost, K, U);
      obs.forEach((o, k) => {
        const u = rowToCol[k] ?? -1;
        labels[k]!.push(u);
        if (u < 0) return;
        const a = o.perAp[l]!;
        rangeErrors.push(a.range - g[u]!.range);
        sinErrors.push(a.sinAoa - Math.sin(g[u]!.aoa));
        dopplerErrors.push(a.doppler - g[u]!.doppler);
      });
    });
    const first = labels.map((ls) => ls[0]);
    const consistent = labels.every((ls) => ls.length > 0 && ls[0]! >= 0 && ls.every((u) => u === ls[0]));
    const distinct = new Set(first).size === first.length;
    const rangeRmse = rangeErrors.length
      ? Math.sqrt(rangeErrors.reduce((a, e) => a + e * e, 0) / rangeErrors.length)
      : null;
    const rec: AssociationCheckRecord = {
      correct: K === U && consistent && distinct,
      targets: K,
      truth: U,
      rangeErrors,
      sinErrors,
      dopplerErrors,
      rangeRmse,
    };
    ctx.record(Records.associationCheck, rec);
  }
}

/**
 * Association accuracy vs SNR (Wilson intervals of `associationCheck.check.correct`):
 * @example
 * ```yaml
 * isacflow: 1
 * name: association-accuracy
 * sweep: { scenario.snr.db: [0, 10] }
 * outputs:
 *   summary: { fields: [associationCheck.check.correct] }
 * stages:
 *   - { id: echoes, uses: echo-generator }
 *   - { id: cp, uses: cp-decomposer }
 *   - { id: assoc, uses: music-associator }
 *   - { id: check, uses: association-check }
 * ```
 */
export const associationCheck = defineStage({
  name: 'association-check',
  summary:
    'Association accuracy and per-AP range/angle/Doppler errors of the associated components against the truth',
  params: z.object({}).strict(),
  reads: [Observations],
  needsTruth: () =>
    'it scores the association against the true targets; without truth read the association itself (record.associations of music-associator) or remove the stage',
  adds: [],
  records: [Records.associationCheck],
  releasesFrameData: true,
  stage: AssociationCheckStage,
});
