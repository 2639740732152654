import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { IsacflowError } from '../../src/core/errors.js';
import type { Frame, StageContext } from '../../src/core/frame.js';
import { defineStage, type Stage } from '../../src/core/plugin.js';
import { TOKENS } from '../../src/core/tokens.js';
import { cpDecompose } from '../../src/isac/cp/cp-decompose.js';
import type { CpDecomposition } from '../../src/isac/cp/types.js';
import type { EchoTensor } from '../../src/isac/echo-model.js';

export const cpDecomposerParams = z
  .object({
    rank: z
      .union([z.literal('known'), z.literal('auto'), z.number().int().min(0)])
      .default('known')
      .describe(
        "components R per AP: 'known' = the number of true targets of the frame (the paper assumes U known; the receiver is told it), 'auto' = count the range-Doppler FFT peaks (see threshold), or a number",
      ),
    maxIterations: z.number().int().min(1).default(200).describe('regularised-ALS sweeps at most'),
    tolerance: z.number().positive().default(1e-6).describe('stop ALS when the relative fit error ||Y − [[U,V,W]]||/||Y|| changes by less than this between sweeps'),
    regularisation: z
      .number()
      .min(0)
      .default(1e-3)
      .describe('ρ of the proximal Tikhonov term of the regularised ALS (eq. 35): each update solves (G + λI)x = b + λx_prev with λ = ρ·tr(G)/R'),
    init: z
      .enum(['auto', 'fft', 'esprit', 'random'])
      .default('auto')
      .describe("starting factors: 'fft' = range-Doppler(-angle) FFT peaks (CLEAN), 'esprit' = 2-D ESPRIT (resolves echoes closer than an FFT cell; needs R <= N_A), 'auto' = both (ESPRIT only when two FFT peaks lie within 1.5 bins in delay and Doppler), keep the better after 3 ALS sweeps, 'random' = CN(0,1) from the stage's stream"),
    threshold: z
      .number()
      .gt(0)
      .max(1)
      .default(0.7)
      .describe("rank 'auto': keep FFT peaks whose amplitude is >= threshold x the strongest (0.7 as in the paper's Fig. 8; with radar path loss weaker echoes need ~0.1)"),
    maxRank: z.number().int().min(1).default(8).describe("rank 'auto': at most this many components"),
    finish: z.enum(['lm', 'none']).default('lm').describe("'lm' = Levenberg-Marquardt on the unregularised cost after ALS (kept unless it degenerates)"),
    finishIterations: z.number().int().min(0).default(100).describe('Levenberg-Marquardt iterations at most'),
    compress: z
      .enum(['dft-window', 'none'])
      .default('dft-window')
      .describe("'dft-window' = ALS on the DFT bins around the start's frequencies, then the finish on the full tensor (faster, same fit); 'none' = every sweep on the full tensor"),
  })
  .strict();

export type CpDecomposerParams = z.infer<typeof cpDecomposerParams>;

/** Per-AP diagnostics written to frame.record.decompositions. */
export interface DecompositionRecord {
  ap: number;
  rank: number;
  iterations: number;
  finishIterations: number;
  finish: CpDecomposition['finish'];
  status: CpDecomposition['status'];
  relativeFitError: number;
  noiseVariance: number;
  degeneracy: number;
  maxCongruence: number;
  warnings: string[];
}

/**
 * CP decomposition of every AP's echo tensor (Section IV.A, eqs. 31-36; src/isac/cp/cp-decompose.ts).
 * Reads frame.data.echoes (EchoTensor[] in the AP order of frame.aps) and adds
 * frame.data.decompositions (CpDecomposition[], same order). AP l's random start, if any, draws from
 * the stream fork('ap', l) of this stage.
 */
@injectable()
export class CpDecomposerStage implements Stage {
  constructor(@inject(TOKENS.StageParams) private readonly params: CpDecomposerParams) {}

  process(frame: Frame, ctx: StageContext): void {
    const echoes = frame.data.echoes as EchoTensor[] | undefined;
    if (!Array.isArray(echoes)) throw new IsacflowError('stage-failed', [{ where: '', path: ctx.stageId, message: "cp-decomposer: frame.data.echoes is missing (put an echo-generator stage before it)" }]);
    const p = this.params;
    const rank = p.rank === 'known' ? frame.truth.length : p.rank;
    const decompositions = echoes.map((t, l) =>
      cpDecompose(
        t,
        {
          rank,
          maxIterations: p.maxIterations,
          tolerance: p.tolerance,
          regularisation: p.regularisation,
          init: p.init,
          threshold: p.threshold,
          maxRank: p.maxRank,
          finish: p.finish,
          finishIterations: p.finishIterations,
          compress: p.compress,
        },
        ctx.rng.fork('ap', l),
      ),
    );
    frame.data.decompositions = decompositions;
    const rec: DecompositionRecord[] = decompositions.map((d, ap) => ({
      ap,
      rank: d.rank,
      iterations: d.iterations,
      finishIterations: d.finishIterations,
      finish: d.finish,
      status: d.status,
      relativeFitError: d.relativeFitError,
      noiseVariance: d.noiseVariance,
      degeneracy: d.degeneracy,
      maxCongruence: d.maxCongruence,
      warnings: d.warnings,
    }));
    writeRecord(frame, ctx, 'decompositions', rec);
  }
}

/** record[key] = value; inside a variant branch record[key][branch] = value (branches share one record). */
function writeRecord(frame: Frame, ctx: StageContext, key: string, value: unknown): void {
  if (frame.branch === '') frame.record[key] = value;
  else frame.record[key] = { ...((frame.record[key] as Record<string, unknown> | undefined) ?? {}), [ctx.resultKey]: value };
}

export const cpDecomposer = defineStage({
  name: 'cp-decomposer',
  summary: 'Per-AP CP decomposition of the echo tensor (eqs. 31-36): FFT-peak start, regularised ALS, Levenberg-Marquardt finish, σ̂² from the residual',
  params: cpDecomposerParams,
  reads: ['echoes'],
  adds: ['decompositions'],
  records: ['decompositions'],
  stage: CpDecomposerStage,
});
