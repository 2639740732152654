import { builtinRegistry } from '../../../src/builtins.js';
import { defaultScenario } from '../../../src/isac/default-scenario.js';
import {
  initialLayout,
  PlacementObjective,
  type DesignTarget,
  type PlacementProblem,
} from '../../../src/isac/placement/index.js';
import { Rng } from '../../../src/math/rng.js';

export const registry = builtinRegistry();

/** U design targets uniform in the paper's area (125, 125)-(225, 225), speed 90-120 m/s, heading 0-π. */
export function drawTargets(rng: Rng, count = 3): DesignTarget[] {
  return Array.from({ length: count }, () => ({
    x: rng.uniformIn(125, 225),
    y: rng.uniformIn(125, 225),
    speed: rng.uniformIn(90, 120),
    heading: rng.uniformIn(0, Math.PI),
  }));
}

/**
 * The default case of Section V.A: L = 4 APs at the corners of the 350 m square, N_max = 32,
 * ε = 10 m, α = 0.5, ψ normalised at the Initial layout, 3 design targets from a fixed seed.
 */
export function defaultProblem(
  opts: {
    mode?: 'exact' | 'paper' | 'joint';
    radius?: number;
    seed?: string;
    targets?: DesignTarget[];
    maxAntennas?: number;
  } = {},
): PlacementProblem {
  const sc = defaultScenario();
  const targets = opts.targets ?? drawTargets(new Rng(['placement-test', opts.seed ?? 'default-case']));
  const objective = new PlacementObjective(sc.system, sc.snr, opts.mode ?? 'exact', targets, 4, 0.5);
  const p: PlacementProblem = {
    objective,
    nominal: Float64Array.from([0, 0, 350, 0, 0, 350, 350, 350]),
    radius: opts.radius ?? 10,
    maxAntennas: opts.maxAntennas ?? 32,
  };
  const psi = objective.defaultPsi(initialLayout(p));
  if (!psi) throw new Error('singular at the initial layout');
  objective.psiP = psi.psiP;
  objective.psiA = psi.psiA;
  return p;
}
