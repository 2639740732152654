import { z } from 'zod';
import { definePlugin } from '../../src/plugin.js';
import type { Rng } from '../../src/math/rng.js';
import {
  fixedLayoutOutcome,
  randomLayout,
  type PlacementOutcome,
  type PlacementProblem,
  type PlacementStrategy,
} from '../../src/isac/placement/index.js';

/** "Random" of Fig. 5: a uniformly random feasible layout (one draw per frame from the stage rng). */
class RandomPlacement implements PlacementStrategy {
  readonly name = 'random';
  place(problem: PlacementProblem, rng: Rng): PlacementOutcome {
    return fixedLayoutOutcome(randomLayout(problem, rng.fork('random-layout')));
  }
}

/**
 * A random feasible layout from the stage's stream:
 * @example
 * ```yaml
 * isacflow: 1
 * name: random
 * stages:
 *   - { id: placement, uses: placement-optimizer, params: { strategy: random, radiusM: 10 } }
 *   - { id: crb, uses: crb-evaluator }
 * ```
 */
export const randomPlacement = definePlugin('placement', {
  name: 'random',
  summary:
    'Fig. 5 "Random": each AP uniform in its disc, all N_max antennas split uniformly at random with every AP >= minAntennas (stage option, default 1; seeded; use run.trials for many draws)',
  params: z.object({}).strict(),
  create: (): PlacementStrategy => new RandomPlacement(),
});
