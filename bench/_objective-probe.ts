import type { TargetObservation } from '../src/isac/association/types.js';
import { LocationObjective, VelocityObjective } from '../src/isac/fusion/index.js';
import type { Ap, SystemParams } from '../src/isac/scenario-types.js';
import { Rng } from '../src/math/rng.js';

/**
 * The (P3) and (P4) objectives of one associated target and 20 000 fixed random points at which the
 * benches time them: locations in the paper's target area, velocities over speed and heading.
 */
export function objectiveProbe(obs: TargetObservation, aps: readonly Ap[], system: SystemParams) {
  const loc = new LocationObjective(obs, aps, system, obs.weights);
  const vel = new VelocityObjective(obs, aps, system, obs.weights, obs.fit.position);
  const n = 20_000;
  const rng = new Rng(['bench-points']);
  const xs = new Float64Array(2 * n);
  const vs = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    xs[2 * i] = rng.uniformIn(125, 225);
    xs[2 * i + 1] = rng.uniformIn(125, 225);
    vs[2 * i] = rng.uniformIn(0, 150);
    vs[2 * i + 1] = rng.uniformIn(-Math.PI, Math.PI);
  }
  return { loc, vel, n, xs, vs };
}
