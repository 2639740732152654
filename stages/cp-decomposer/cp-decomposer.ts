import { inject, injectable } from 'inversify';
import { z } from 'zod';
import {
  Decompositions,
  defineStage,
  Echoes,
  type Frame,
  Records,
  type Stage,
  type StageContext,
  TOKENS,
} from '../../src/plugin.js';
import { cpDecompose } from '../../src/isac/cp/cp-decompose.js';
import type { CpDecomposition } from '../../src/isac/cp/types.js';

export const cpDecomposerParams = z
  .object({
    rank: z
      .union([z.literal('known'), z.literal('auto'), z.number().int().min(0)])
      .default('known')
      .describe(
        "components R per AP: 'known' = the number of true targets of the frame (the paper assumes U known; the receiver is told it), 'auto' = count the range-Doppler FFT peaks (see threshold), or a number",
      ),
    maxIterations: z.number().int().min(1).default(200).describe('regularised-ALS sweeps at most'),
    tolerance: z
      .number()
      .positive()
      .default(1e-6)
      .describe(
        'stop ALS when the relative fit error ||Y − [[U,V,W]]||/||Y|| changes by less than this between sweeps',
      ),
    regularisation: z
      .number()
      .min(0)
      .default(1e-3)
      .describe(
        'ρ of the proximal Tikhonov term of the regularised ALS (eq. 35): each update solves (G + λI)x = b + λx_prev with λ = ρ·tr(G)/R',
      ),
    init: z
      .enum(['auto', 'fft', 'esprit', 'random'])
      .default('auto')
      .describe(
        "starting factors: 'fft' = range-Doppler(-angle) FFT peaks (CLEAN), 'esprit' = 2-D ESPRIT (resolves echoes closer than an FFT cell; needs R <= N_A), 'auto' = both (ESPRIT only when two FFT peaks lie within 1.5 bins in delay and Doppler), keep the better after 3 ALS sweeps, 'random' = CN(0,1) from the stage's stream",
      ),
    threshold: z
      .number()
      .gt(0)
      .max(1)
      .default(0.7)
      .describe(
        "rank 'auto': keep FFT peaks whose amplitude is >= threshold x the strongest (0.7 as in the paper's Fig. 8; with radar path loss weaker echoes need ~0.1)",
      ),
    maxRank: z.number().int().min(1).default(8).describe("rank 'auto': at most this many components"),
    finish: z
      .enum(['lm', 'none'])
      .default('lm')
      .describe(
        "'lm' = Levenberg-Marquardt on the unregularised cost after ALS (kept unless it degenerates)",
      ),
    finishIterations: z.number().int().min(0).default(100).describe('Levenberg-Marquardt iterations at most'),
    compress: z
      .enum(['dft-window', 'none'])
      .default('dft-window')
      .describe(
        "'dft-window' = ALS on the DFT bins around the start's frequencies, then the finish on the full tensor (faster, same fit); 'none' = every sweep on the full tensor",
      ),
    structure: z
      .enum(['tones', 'none'])
      .default('tones')
      .describe(
        "'tones' = the delay and Doppler factors are tones (eqs. 33, 34): estimate their frequencies and the angle factors directly on the full tensor (variable-projection Gauss-Newton from the start), with the unstructured CP below as the fallback; 'none' = the unstructured regularised ALS + finish of the paper",
      ),
  })
  .strict();

export type CpDecomposerParams = z.infer<typeof cpDecomposerParams>;

/** Per-AP diagnostics written to `record.decompositions[resultKey]`. */
export interface DecompositionRecord {
  ap: number;
  rank: number;
  /** regularised-ALS sweeps (0 when the structured refinement, structure 'tones', was kept at once) */
  iterations: number;
  /** Levenberg-Marquardt iterations of the unstructured finish plus passes of the structured refinement */
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
    const echoes = ctx.read(frame, Echoes);
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
          structure: p.structure,
        },
        ctx.rng.fork('ap', l),
      ),
    );
    ctx.write(frame, Decompositions, decompositions);
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
    ctx.record(Records.decompositions, rec);
  }
}

/**
 * CP decomposition of every AP's echo tensor (diagnostics in `record.decompositions.cp`):
 * @example
 * ```yaml
 * isacflow: 1
 * name: cp
 * stages:
 *   - { id: echoes, uses: echo-generator }
 *   - { id: cp, uses: cp-decomposer, params: { rank: known, init: auto, finish: lm } }
 * ```
 */
export const cpDecomposer = defineStage({
  name: 'cp-decomposer',
  summary:
    'Per-AP CP decomposition of the echo tensor (eqs. 31-36): FFT-peak start, regularised ALS, Levenberg-Marquardt finish, σ̂² from the residual',
  params: cpDecomposerParams,
  reads: [Echoes],
  adds: [Decompositions],
  records: [Records.decompositions],
  needsTruth: (p: CpDecomposerParams) =>
    p.rank === 'known'
      ? "rank 'known' takes the number of components from the true targets; use rank: auto (counts the range-Doppler peaks) or a number, or the joint-ml detector"
      : undefined,
  releasesFrameData: true,
  stage: CpDecomposerStage,
});
