import { z } from 'zod';

const finite = z.number().finite();
const vec2 = z.tuple([finite, finite]);
const range = (def: [number, number], doc: string) =>
  z
    .tuple([finite, finite])
    .refine((r) => r[0] <= r[1], { message: 'min must not exceed max' })
    .default(def)
    .describe(doc);

/** Design targets drawn from the stage's rng (the same in every variant: common random numbers). */
export const randomDesignTargetsSchema = z
  .object({
    count: z
      .number()
      .int('must be an integer >= 1')
      .min(1, 'must be an integer >= 1')
      .default(3)
      .describe('number of design targets U'),
    area: z
      .tuple([vec2, vec2])
      .default([
        [125, 125],
        [225, 225],
      ])
      .describe('opposite corners of the area of interest, m (Section V.A: (125, 125)-(225, 225))')
      .meta({ unit: 'm' }),
    speed: range([90, 120], 'speed range, m/s (uniform)').meta({ unit: 'm/s' }),
    heading: range([0, Math.PI], 'heading range, rad (uniform)').meta({ unit: 'rad' }),
  })
  .strict();

const explicitTargetSchema = z
  .object({
    position: vec2.describe('[x, y], m'),
    velocity: z.object({ speed: finite.min(0), heading: finite }).strict(),
  })
  .strict();

export const placementOptimizerParams = z
  .object({
    strategy: z
      .string()
      .min(1)
      .default('admm')
      .describe(
        'placement strategy (plugin kind placement): admm (Proposed, Algorithm 2), direct, initial, random, toward-targets, or a user plugin',
      ),
    strategyParams: z
      .record(z.string(), z.unknown())
      .default({})
      .describe("the strategy's own params (isacflow list shows them)"),
    radiusM: z
      .number()
      .min(0, 'must be >= 0 (ε, the radius of the disc each AP may move in)')
      .default(10)
      .describe('ε: each AP stays within this distance of its nominal position (16a)')
      .meta({ unit: 'm' }),
    maxAntennas: z
      .number()
      .int('must be an integer')
      .min(1, 'must be an integer >= 1')
      .optional()
      .describe(
        "N_A^max, the total antenna budget (16b) (default: the sum of the scenario's AP antennas); must be >= L · minAntennas",
      ),
    minAntennas: z
      .number()
      .int('must be an integer >= 1')
      .min(1, 'must be an integer >= 1')
      .default(1)
      .describe(
        "b_min, the least antennas every AP keeps (integer). 1 is the paper's (16c) N_l >= 1; the CRB-optimal split concentrates antennas (e.g. [1, 1, 7, 23]), and an AP with 1-2 antennas cannot separate several targets in the angle mode of its CP decomposition (Phase 2), so give a floor when Phase 2 needs one (e.g. more antennas per AP than targets). Applies to every strategy (projection, bounds, rounding, random split); needs L · minAntennas <= maxAntennas",
      ),
    crbMode: z
      .enum(['exact', 'paper', 'joint'])
      .default('exact')
      .describe(
        "CRB in the objective: 'exact' (per target alone, unknown amplitudes), 'paper' (Theorems 1-2 corrected, decoupled; use it to reproduce Fig. 5) or 'joint' (the multi-target bound of all design targets together, as crb-evaluator mode joint: a layout whose APs cannot separate the targets pays for it)",
      ),
    alpha: z
      .number()
      .gt(0, 'must be in (0, 1)')
      .lt(1, 'must be in (0, 1)')
      .default(0.5)
      .describe('α, the weight of the position term in (16a)'),
    psiP: z
      .number()
      .positive('must be > 0')
      .optional()
      .describe('ψ_p (default 1 / mean over design targets of tr CRB_p at the Initial layout)')
      .meta({ unit: '1/m²' }),
    psiA: z
      .number()
      .positive('must be > 0')
      .optional()
      .describe('ψ_a (default 1 / mean over design targets of tr CRB_a at the Initial layout)'),
    designTargets: z
      .union([
        z.literal('truth'),
        z.object({ random: randomDesignTargetsSchema.prefault({}) }).strict(),
        z.array(explicitTargetSchema).min(1),
      ])
      .default('truth')
      .describe(
        "targets the layout is designed for: 'truth' (the frame's targets), { random: { count, area, speed, heading } } drawn from the stage rng, or a list of { position, velocity }",
      ),
    targetMarginM: z
      .number()
      .min(0, 'must be >= 0')
      .default(5)
      .describe(
        'every design target must be at least radiusM + targetMarginM from every nominal AP position (the CRB → 0 as an AP reaches a target, so (P0) is unbounded there)',
      )
      .meta({ unit: 'm' }),
  })
  .strict();

export type PlacementOptimizerParams = z.infer<typeof placementOptimizerParams>;
