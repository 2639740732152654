import { z } from 'zod';
import { IsacflowError, optionError, type PluginLookup } from '../../src/plugin.js';
import { FUSION_WEIGHTS } from '../../src/isac/fusion/weights.js';
import type { Solver } from '../../src/solvers/solver.js';

const finite = z.number().finite();
const vec2 = z.tuple([finite, finite]);

/** Options every fusion scheme shares: the search boxes. */
export const searchBoxParams = {
  box: z
    .union([
      z.literal('auto'),
      z.tuple([vec2, vec2]).refine((c) => c[0][0] !== c[1][0] && c[0][1] !== c[1][1], {
        message: 'the box corners must differ in x and in y (a box with an area)',
      }),
    ])
    .default('auto')
    .describe(
      "location search box, opposite corners [[x0, y0], [x1, y1]]; 'auto' = the scenario's target area when targets are random (scenario.targets.random.area), else the association's fit ± marginM",
    )
    .meta({ unit: 'm' }),
  marginM: z
    .number()
    .positive('must be a number > 0')
    .default(25)
    .describe(
      "box: 'auto' with fixed targets: half-width of the box around the association's fitted position",
    )
    .meta({ unit: 'm' }),
  speedMax: z
    .union([z.literal('auto'), z.number().positive('must be a number > 0')])
    .default('auto')
    .describe(
      "velocity search box: speed in [0, speedMax], heading in [−π, π]; 'auto' = 1.25 × the random targets' top speed (150 m/s in Section V), or for fixed targets the largest unambiguous speed c/(4 f_c T) (≈ 600 m/s)",
    )
    .meta({ unit: 'm/s' }),
};

/** The eq. (42) weights option of the symbol-level schemes. */
export const weightsParam = z
  .enum(FUSION_WEIGHTS)
  .default('observation')
  .describe(
    "eq. (42) weights: 'observation' = the associator's choice (its weights option, default paper), 'paper' = 1/σ̂² normalised as printed, 'snr' = |α̂|²/σ̂² normalised (maximal-ratio combining), 'equal' = 1/L",
  );

/** The term balance option of (P3). */
export const balanceParam = z
  .enum(['printed', 'normalised'])
  .default('printed')
  .describe(
    "(P3) delay vs angle terms: 'printed' = eq. (48) with unit-norm factors (delay term up to √N_c, angle term up to √N_A: the delay dominates), 'normalised' = each term divided by its peak",
  );

/**
 * Creates a solver by name through the registry, turning an unknown name or bad params into an
 * 'invalid-option' error at `<owner>.<option>` (did-you-mean from the registry's message).
 */
export function createSolverOption(
  registry: PluginLookup,
  owner: string,
  option: string,
  name: string,
  params: unknown,
  paramsOption: string,
): Solver {
  try {
    return registry.create<Solver>('solver', name, params);
  } catch (e) {
    if (!IsacflowError.is(e)) throw e;
    if (e.kind === 'unknown-plugin')
      throw optionError(owner, option, e.problems.map((p) => p.message).join('; '));
    throw new IsacflowError(
      'invalid-option',
      e.problems.map((p) => ({
        ...p,
        where: '',
        path: `${owner}.${paramsOption}${p.path.startsWith(name) ? p.path.slice(name.length) : p.path ? `.${p.path}` : ''}`,
      })),
    );
  }
}
