import { z } from 'zod';

/** Track management options every built-in tracker shares (src/isac/tracking/multi-target-tracker.ts). */
export const trackManagementParams = {
  gateM: z
    .number()
    .positive('must be a number > 0')
    .max(1e6, 'must be at most 1e6 m')
    .default(5)
    .describe(
      "association gate: an estimate can update a track only when it lies within this distance of the track's predicted position (global nearest neighbour: the assignment minimising the sum of squared distances, gate² for a track left without an estimate); else it starts a new track",
    )
    .meta({ unit: 'm' }),
  maxMisses: z
    .number()
    .int('must be an integer >= 0')
    .min(0, 'must be an integer >= 0')
    .default(3)
    .describe(
      'patience: a track survives this many consecutive frames without an estimate (coasting on its prediction) and is deleted at the next miss; 0 = deleted at the first miss',
    ),
  confirmHits: z
    .number()
    .int('must be an integer >= 1')
    .min(1, 'must be an integer >= 1')
    .default(1)
    .describe(
      'a track is reported as an estimate once this many estimates (its birth included) were associated with it; 1 = from its first frame (needed for single-frame runs)',
    ),
};

/** What a measurement holds (both trackers). */
export const measureParam = z
  .enum(['position-velocity', 'position'])
  .default('position-velocity')
  .describe(
    "'position-velocity' = the fused position and velocity (vx, vy from speed and heading) are both measured; 'position' = only the position (the fused velocity starts a track and is not used after)",
  );
