import { z } from 'zod';
import { definePlugin } from '../../src/plugin.js';
import {
  fixedLayoutOutcome,
  initialLayout,
  type PlacementOutcome,
  type PlacementProblem,
  type PlacementStrategy,
} from '../../src/isac/placement/index.js';

/** "Initial" of Fig. 5: nominal positions and the equal antenna split; nothing is optimised. */
class InitialPlacement implements PlacementStrategy {
  readonly name = 'initial';
  place(problem: PlacementProblem): PlacementOutcome {
    return fixedLayoutOutcome(initialLayout(problem));
  }
}

/**
 * The nominal layout with equal antennas (the baseline of Fig. 5):
 * @example
 * ```yaml
 * isacflow: 1
 * name: initial
 * stages:
 *   - { id: placement, uses: placement-optimizer, params: { strategy: initial, radiusM: 10 } }
 *   - { id: crb, uses: crb-evaluator }
 * ```
 */
export const initialPlacement = definePlugin('placement', {
  name: 'initial',
  summary:
    'Fig. 5 "Initial": nominal AP positions, antennas split equally (⌊N_max/L⌋, the remainder to the first APs)',
  params: z.object({}).strict(),
  create: (): PlacementStrategy => new InitialPlacement(),
});
