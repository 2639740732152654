import { z } from 'zod';
import { definePlugin } from '../../src/plugin.js';
import { CvKalmanFilter, MultiTargetTracker, type Tracker } from '../../src/isac/tracking/index.js';
import { measureParam, trackManagementParams } from './tracker-params.js';

export const kalmanCvParams = z
  .object({
    positionStdM: z
      .number()
      .positive('must be a number > 0')
      .default(0.1)
      .describe(
        "measurement noise R: std of each fused position coordinate (about SFO's position RMSE at 10 dB in the paper's set-up; set it to the fusion's accuracy at your SNR, e.g. its √CRB)",
      )
      .meta({ unit: 'm' }),
    velocityStdMps: z
      .number()
      .positive('must be a number > 0')
      .default(0.1)
      .describe(
        "measurement noise R: std of each fused velocity component vx, vy (SFO at 10 dB is better, ~0.02 m/s; 0.1 m/s leaves room for lower SNRs); with measure 'position', the std of a new track's starting velocity",
      )
      .meta({ unit: 'm/s' }),
    accelerationPsd: z
      .number()
      .min(0, 'must be a number >= 0')
      .finite()
      .default(1)
      .describe(
        "process noise: power spectral density q of the white-noise acceleration, Q = q·[[dt³/3, dt²/2], [dt²/2, dt]] per axis; the velocity wanders by √(q·dt) per frame (0.07 m/s at q = 1 and the paper's M·T = 4.57 ms); 0 = exactly constant velocity",
      )
      .meta({ unit: 'm²/s³' }),
    measure: measureParam,
    ...trackManagementParams,
  })
  .strict();

export type KalmanCvParams = z.infer<typeof kalmanCvParams>;

/**
 * A constant-velocity Kalman filter after fusion:
 * @example
 * ```yaml
 * isacflow: 1
 * name: kalman
 * run: { frames: 10 }
 * stages:
 *   - { id: echoes, uses: echo-generator }
 *   - { id: cp, uses: cp-decomposer }
 *   - { id: assoc, uses: music-associator }
 *   - { id: fusion, uses: fusion-solver, params: { scheme: mle } }
 *   - { id: kalman, uses: tracker, params: { tracker: kalman-cv, accelerationPsd: 1 } }
 * ```
 */
export const kalmanCv = definePlugin<KalmanCvParams, Tracker>('tracker', {
  name: 'kalman-cv',
  summary:
    'Constant-velocity Kalman filter on (x, y, vx, vy) per track, measuring the fused position and velocity; gated global-nearest-neighbour association, track birth and deletion',
  params: kalmanCvParams,
  create: (p) =>
    new MultiTargetTracker(
      'kalman-cv',
      new CvKalmanFilter({
        positionStdM: p.positionStdM,
        velocityStdMps: p.velocityStdMps,
        accelerationPsd: p.accelerationPsd,
        measure: p.measure,
      }),
      { gateM: p.gateM, maxMisses: p.maxMisses, confirmHits: p.confirmHits },
    ),
});
