import { inject, injectable } from 'inversify';
import { z } from 'zod';
import {
  Crb,
  type CrbFrameData,
  type CrbRecordEntry,
  defineStage,
  type Frame,
  Records,
  type Stage,
  type StageContext,
  TOKENS,
} from '../../src/plugin.js';
import {
  CRB_MODES,
  crbTargets,
  isSingular,
  jointCrbTargets,
  type CrbMode,
  type CrbTargetResult,
} from '../../src/isac/crb/index.js';

export type { CrbFrameData, CrbRecordEntry } from '../../src/plugin.js';

/** Modes of this stage: the single-target modes plus `joint` (the multi-target bound of the whole frame). */
export const CRB_EVALUATOR_MODES = [...CRB_MODES, 'joint'] as const;
export type CrbEvaluatorMode = (typeof CRB_EVALUATOR_MODES)[number];

const modeEnum = z.enum(CRB_EVALUATOR_MODES);

const MODE_DOC =
  "CRB mode. 'exact' (default): joint 4x4 CRB of (x, y, v, θ_u), one unknown complex amplitude per AP, " +
  'Slepian-Bangs 2/σ² for CN(0, σ²) noise; attained by the ML estimator. ' +
  "'paper': Theorems 1-2 with the typos fixed: blocks (7)-(12) (amplitude known, 1/σ², indices 1..N), corrected " +
  'P and T, CRB_p = [P J Pᵀ]⁻¹ and CRB_a = [T J Tᵀ]⁻¹ each assuming the other pair known; optimistic ' +
  '(√tr ratio to exact ≈ 0.6-0.9). ' +
  "'paper-printed': as 'paper' with P (13) and T (15) exactly as printed, only to reproduce the published figures; " +
  'its velocity bound is 30-300x too small and it is undefined where (13)/(15) divide by 0. ' +
  "'joint': the multi-target bound: all targets' (x, y, v, θ_u) with one unknown amplitude per (AP, target) on the full " +
  'model of eq. (1), per target the 4x4 block of the inverse; larger than exact when targets share a resolution cell, ' +
  "equal when far apart; uses the frame's true RCS phases when an echo-generator ran before (else phases 0).";

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

/** arg α_{l,u} per AP and target from the echo generator's amplitudes (interleaved per AP), if any. */
function echoPhases(amplitudes: unknown): number[][] | undefined {
  if (!Array.isArray(amplitudes)) return undefined;
  return (amplitudes as Float64Array[]).map((a) =>
    Array.from({ length: a.length >> 1 }, (_, u) => Math.atan2(a[2 * u + 1] as number, a[2 * u] as number)),
  );
}

/**
 * CRB evaluator (Section II.B with the model notes): the bound of every target of the frame for the
 * frame's AP layout, system and SNR. Reads nothing from frame.data. Writes
 * `record.crb[resultKey][mode]` and `data.crb[mode]`. A target whose Fisher information is singular gets
 * `{ singular: true, reason }`.
 */
@injectable()
export class CrbEvaluatorStage implements Stage {
  private readonly modes: CrbEvaluatorMode[];

  constructor(@inject(TOKENS.StageParams) params: CrbEvaluatorParams) {
    this.modes = [...new Set(params.modes ?? [params.mode])];
  }

  process(frame: Frame, ctx: StageContext): void {
    const { system, snr } = frame.scenario;
    const data: CrbFrameData = {};
    const record: Partial<Record<CrbEvaluatorMode, CrbRecordEntry[]>> = {};
    for (const mode of this.modes) {
      const results =
        mode === 'joint'
          ? jointCrbTargets(frame.aps, frame.truth, system, snr, echoPhases(frame.data.echoAmplitudes))
          : crbTargets(frame.aps, frame.truth, system, snr, mode as CrbMode);
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
  summary:
    'Cramér-Rao bounds of position and velocity per target (Section II.B; exact, paper, paper-printed, or joint = multi-target)',
  params: crbEvaluatorParams,
  reads: [],
  adds: [Crb],
  records: [Records.crb],
  needsTruth: () =>
    'the bound is evaluated at the true target positions and velocities; remove the stage, or replay a recording that stores the truth (echo-recorder writes it)',
  releasesFrameData: true,
  stage: CrbEvaluatorStage,
});
