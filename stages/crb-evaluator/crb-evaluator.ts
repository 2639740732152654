import { inject, injectable } from 'inversify';
import { z } from 'zod';
import type { Frame, StageContext } from '../../src/core/frame.js';
import { defineStage, type Stage } from '../../src/core/plugin.js';
import { Crb, Records, type CrbFrameData, type CrbRecordEntry } from '../../src/core/ports.js';
import { TOKENS } from '../../src/core/tokens.js';
import { CRB_MODES, crbTargets, isSingular, type CrbMode, type CrbTargetResult } from '../../src/isac/crb/index.js';

export type { CrbFrameData, CrbRecordEntry } from '../../src/core/ports.js';

const modeEnum = z.enum(CRB_MODES);

const MODE_DOC =
  "CRB mode. 'exact' (default): joint 4x4 CRB of (x, y, v, θ_u), one unknown complex amplitude per AP, " +
  'Slepian-Bangs 2/σ² for CN(0, σ²) noise; attained by the ML estimator. ' +
  "'paper': Theorems 1-2 with the typos fixed: blocks (7)-(12) (amplitude known, 1/σ², indices 1..N), corrected " +
  'P and T, CRB_p = [P J Pᵀ]⁻¹ and CRB_a = [T J Tᵀ]⁻¹ each assuming the other pair known; optimistic ' +
  '(√tr ratio to exact ≈ 0.6-0.9). ' +
  "'paper-printed': as 'paper' with P (13) and T (15) exactly as printed, only to reproduce the published figures; " +
  'its velocity bound is 30-300x too small and it is undefined where (13)/(15) divide by 0.';

export const crbEvaluatorParams = z
  .object({
    mode: modeEnum.default('exact').describe(MODE_DOC),
    modes: z
      .array(modeEnum)
      .min(1)
      .optional()
      .describe("several modes at once, e.g. [exact, paper]; when given it replaces 'mode'"),
  })
  .strict();

export type CrbEvaluatorParams = z.infer<typeof crbEvaluatorParams>;

export function crbRecordEntry(r: CrbTargetResult): CrbRecordEntry {
  if (isSingular(r)) return { singular: true, reason: r.reason };
  const { sqrtTrP, sqrtTrA, stdSpeed, stdHeading, sqrtTrVelXY, crbP, crbA } = r;
  return { sqrtTrP, sqrtTrA, stdSpeed, stdHeading, sqrtTrVelXY, crbP, crbA };
}

/**
 * CRB evaluator (Section II.B with the model notes): the bound of every target of the frame for the
 * frame's AP layout, system and SNR. Reads nothing from frame.data. Writes
 * `record.crb[resultKey][mode]` and `data.crb[mode]`. A target whose Fisher information is singular gets
 * `{ singular: true, reason }`.
 */
@injectable()
export class CrbEvaluatorStage implements Stage {
  private readonly modes: CrbMode[];

  constructor(@inject(TOKENS.StageParams) params: CrbEvaluatorParams) {
    this.modes = [...new Set(params.modes ?? [params.mode])];
  }

  process(frame: Frame, ctx: StageContext): void {
    const { system, snr } = frame.scenario;
    const data: CrbFrameData = {};
    const record: Partial<Record<CrbMode, CrbRecordEntry[]>> = {};
    for (const mode of this.modes) {
      const results = crbTargets(frame.aps, frame.truth, system, snr, mode);
      data[mode] = results;
      record[mode] = results.map(crbRecordEntry);
    }
    ctx.record(Records.crb, record);
    ctx.write(frame, Crb, data);
  }
}

/**
 * Both bounds of every target at three SNRs (`record.crb.crb.exact`, `record.crb.crb.paper`):
 * @example
 * ```yaml
 * isacflow: 1
 * name: bounds
 * sweep: { scenario.snr.db: [0, 10, 20] }
 * stages:
 *   - { id: crb, uses: crb-evaluator, params: { modes: [exact, paper] } }
 * ```
 */
export const crbEvaluator = defineStage({
  name: 'crb-evaluator',
  summary: 'Cramér-Rao bounds of position and velocity per target (Section II.B; exact, paper or paper-printed)',
  params: crbEvaluatorParams,
  reads: [],
  adds: [Crb],
  records: [Records.crb],
  stage: CrbEvaluatorStage,
});
