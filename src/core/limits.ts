import { z } from 'zod';

/**
 * Limits that keep a run (and its validation) within memory and time; a pipeline may raise them
 * under `limits:` (or `--set limits.maxSweepPoints=20000`). Exceeding one is a located error.
 */
export const limitsSchema = z
  .object({
    maxSweepPoints: z
      .number()
      .int()
      .min(1)
      .default(10_000)
      .describe('most sweep points (product of the sweep lists)'),
    maxFrameRuns: z
      .number()
      .int()
      .min(1)
      .default(10_000_000)
      .describe('most frames a run computes: sweep points x trials x frames (x variants)'),
    maxArrayElements: z
      .number()
      .int()
      .min(1)
      .default(2 ** 24)
      .describe(
        'most complex elements of one array a stage allocates: an echo tensor (antennas x subcarriers x symbols), an FFT grid (angleBins x subcarriers x symbols), a CRB map',
      ),
  })
  .strict();

export type Limits = z.infer<typeof limitsSchema>;

export const DEFAULT_LIMITS: Limits = limitsSchema.parse({});
