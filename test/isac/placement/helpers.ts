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

/**
 * Central differences, step 1e-4 x scale per coordinate: truncation O(h^2 f''') and round-off
 * O(eps |f| / h) are both far below the relative tolerances of the gradient tests (smooth objectives).
 */
export function fdGradient(
  f: (x: Float64Array) => number,
  x: Float64Array,
  scale: ArrayLike<number>,
): Float64Array {
  const g = new Float64Array(x.length);
  const y = Float64Array.from(x);
  for (let i = 0; i < x.length; i++) {
    const h = 1e-4 * (scale[i] as number);
    y[i] = x[i]! + h;
    const fp = f(y);
    y[i] = x[i]! - h;
    const fm = f(y);
    y[i] = x[i]!;
    g[i] = (fp - fm) / (2 * h);
  }
  return g;
}

/** Largest absolute entry. */
export function maxAbs(v: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i] as number));
  return m;
}
