import { inject, injectable } from 'inversify';
import { z } from 'zod';
import type { Frame, StageContext } from '../../src/core/frame.js';
import { defineStage, type Stage } from '../../src/core/plugin.js';
import { TOKENS } from '../../src/core/tokens.js';
import { CRB_MODES, crbTargets, isSingular, type CrbMode, type CrbTargetResult, type Mat2 } from '../../src/isac/crb/index.js';

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

/** One target's entry in `record.crb[mode]` (shared/spec/results.md). */
export type CrbRecordEntry =
  | { sqrtTrP: number; sqrtTrA: number; stdSpeed: number; stdHeading: number; sqrtTrVelXY: number; crbP: Mat2; crbA: Mat2 }
  | { singular: true; reason: string };

/** `frame.data.crb`: per mode, per target (in `frame.truth` order) the full bound or the singular report. */
export type CrbFrameData = Partial<Record<CrbMode, CrbTargetResult[]>>;

export function crbRecordEntry(r: CrbTargetResult): CrbRecordEntry {
  if (isSingular(r)) return { singular: true, reason: r.reason };
  const { sqrtTrP, sqrtTrA, stdSpeed, stdHeading, sqrtTrVelXY, crbP, crbA } = r;
  return { sqrtTrP, sqrtTrA, stdSpeed, stdHeading, sqrtTrVelXY, crbP, crbA };
}

/**
 * CRB evaluator (Section II.B with the model notes): the bound of every target of the frame for the
 * frame's AP layout, system and SNR. Reads nothing from frame.data. Writes
 * `record.crb[mode]` (or `record.crb["mode@branch"]` inside a variant branch, since branches share
 * one record) and `data.crb[mode]`. A target whose Fisher information is singular gets
 * `{ singular: true, reason }`.
 */
@injectable()
export class CrbEvaluatorStage implements Stage {
  private readonly modes: CrbMode[];

  constructor(@inject(TOKENS.StageParams) params: CrbEvaluatorParams) {
    this.modes = [...new Set(params.modes ?? [params.mode])];
  }

  process(frame: Frame, _ctx: StageContext): void {
    const { system, snr } = frame.scenario;
    const data: CrbFrameData = {};
    const record = (frame.record.crb ?? {}) as Record<string, CrbRecordEntry[]>;
    for (const mode of this.modes) {
      const results = crbTargets(frame.aps, frame.truth, system, snr, mode);
      data[mode] = results;
      record[frame.branch === '' ? mode : `${mode}@${frame.branch}`] = results.map(crbRecordEntry);
    }
    frame.record.crb = record;
    frame.data.crb = data;
  }
}

export const crbEvaluator = defineStage({
  name: 'crb-evaluator',
  summary: 'Cramér-Rao bounds of position and velocity per target (Section II.B; exact, paper or paper-printed)',
  params: crbEvaluatorParams,
  reads: [],
  adds: ['crb'],
  records: ['crb'],
  needsTruth: () => 'the bound is evaluated at the true target positions and velocities; remove the stage, or replay a recording that stores the truth (echo-recorder writes it)',
  stage: CrbEvaluatorStage,
});
