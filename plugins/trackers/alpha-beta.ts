import { z } from 'zod';
import { definePlugin } from '../../src/plugin.js';
import {
  AlphaBetaFilter,
  benedictBordnerBeta,
  MultiTargetTracker,
  type Tracker,
} from '../../src/isac/tracking/index.js';
import { measureParam, trackManagementParams } from './tracker-params.js';

export const alphaBetaParams = z
  .object({
    alpha: z
      .number()
      .gt(0, 'must be in (0, 1]')
      .max(1, 'must be in (0, 1]')
      .default(0.2)
      .describe(
        'position gain: p = p⁻ + α (z_p − p⁻); the steady-state position noise is √(α/(2 − α)) of the fused one when the velocity is exact (0.33 at α = 0.2)',
      ),
    beta: z
      .union([
        z.literal('auto'),
        z.number().gt(0, 'must be in (0, 2) or auto').lt(2, 'must be in (0, 2) or auto'),
      ])
      .default('auto')
      .describe(
        "velocity gain: with measure 'position-velocity' v = v⁻ + β (z_v − v⁻) (auto = α); with measure 'position' the classical v = v⁻ + (β/dt)(z_p − p⁻) (auto = Benedict–Bordner α²/(2 − α))",
      ),
    measure: measureParam,
    ...trackManagementParams,
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.measure === 'position-velocity' && typeof p.beta === 'number' && p.beta > 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['beta'],
        message:
          "must be in (0, 1] when measure is 'position-velocity' (a gain above 1 overshoots the measured velocity)",
      });
    }
  });

export type AlphaBetaParams = z.infer<typeof alphaBetaParams>;

/**
 * An α-β filter after fusion:
 * @example
 * ```yaml
 * isacflow: 1
 * name: alpha-beta
 * run: { frames: 10 }
 * stages:
 *   - { id: echoes, uses: echo-generator }
 *   - { id: cp, uses: cp-decomposer }
 *   - { id: assoc, uses: music-associator }
 *   - { id: fusion, uses: fusion-solver, params: { scheme: mle } }
 *   - { id: ab, uses: tracker, params: { tracker: alpha-beta, alpha: 0.5, beta: 0.2 } }
 * ```
 */
export const alphaBeta = definePlugin<AlphaBetaParams, Tracker>('tracker', {
  name: 'alpha-beta',
  summary:
    'Fixed-gain α-β filter per track (position gain α, velocity gain β), gated global-nearest-neighbour association, track birth and deletion',
  params: alphaBetaParams,
  create: (p) => {
    const beta =
      p.beta === 'auto' ? (p.measure === 'position' ? benedictBordnerBeta(p.alpha) : p.alpha) : p.beta;
    return new MultiTargetTracker(
      'alpha-beta',
      new AlphaBetaFilter({ alpha: p.alpha, beta, measure: p.measure }),
      {
        gateM: p.gateM,
        maxMisses: p.maxMisses,
        confirmHits: p.confirmHits,
      },
    );
  },
});
