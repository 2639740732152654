/**
 * Placement (Section III): wall time, iterations and objective evaluations of the `admm`
 * (Algorithm 2) and `direct` (epigraph augmented Lagrangian, multi-start) strategies for U = 3 and
 * U = 10 design targets on the paper's layout (L = 4, N_max = 32, ε = 10 m, exact and paper CRB),
 * medians over a few seeded target draws. One "evaluation" computes h_u (and usually its gradient)
 * for every design target. Also the time of one direct start, for the ratio the model notes quote.
 */
import { builtinRegistry } from '../src/builtins.js';
import { defaultScenario } from '../src/isac/default-scenario.js';
import {
  initialLayout,
  PlacementObjective,
  type PlacementProblem,
  type PlacementStrategy,
} from '../src/isac/placement/index.js';
import { Rng } from '../src/math/rng.js';

function problem(mode: 'exact' | 'paper', U: number, seed: number): PlacementProblem {
  const sc = defaultScenario();
  const rng = new Rng(['bench-placement', U, seed]);
  const targets = Array.from({ length: U }, () => ({
    x: rng.uniformIn(125, 225),
    y: rng.uniformIn(125, 225),
    speed: rng.uniformIn(90, 120),
    heading: rng.uniformIn(0, Math.PI),
  }));
  const objective = new PlacementObjective(sc.system, sc.snr, mode, targets, 4, 0.5);
  const p: PlacementProblem = {
    objective,
    nominal: Float64Array.from([0, 0, 350, 0, 0, 350, 350, 350]),
    radius: 10,
    maxAntennas: 32,
  };
  const psi = objective.defaultPsi(initialLayout(p));
  if (!psi) throw new Error('singular');
  objective.psiP = psi.psiP;
  objective.psiA = psi.psiA;
  return p;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};

export async function run(): Promise<void> {
  const reg = builtinRegistry();
  const seeds = [1, 2, 3, 4, 5];
  const configs: Array<[string, Record<string, unknown>]> = [
    ['admm', {}],
    ['direct', {}],
    ['direct', { starts: 1, reoptimise: false }],
  ];
  // warm-up (JIT)
  reg
    .create<PlacementStrategy>('placement', 'direct', { starts: 1 })
    .place(problem('exact', 3, 99), new Rng(['warm']));
  console.log(
    'mode   U   strategy              time ms (median)  iterations  evaluations  objective (cont.)  vs Initial  stop',
  );
  for (const mode of ['exact', 'paper'] as const) {
    for (const U of [3, 10]) {
      for (const [name, params] of configs) {
        const s = reg.create<PlacementStrategy>('placement', name, params);
        const times: number[] = [];
        const its: number[] = [];
        const evs: number[] = [];
        const objs: number[] = [];
        const reds: number[] = [];
        const stops = new Set<string>();
        for (const seed of seeds) {
          const p = problem(mode, U, seed);
          const f0 = p.objective.worst(initialLayout(p));
          const t0 = performance.now();
          const o = s.place(p, new Rng(['bench-placement', 'run', seed]));
          times.push(performance.now() - t0);
          its.push(o.iterations);
          evs.push(o.evaluations);
          const f = p.objective.worst(o.continuous);
          objs.push(f);
          reds.push(100 * (1 - f / f0));
          stops.add(o.stopReason);
        }
        const label = name === 'direct' && params.starts === 1 ? 'direct (1 start)' : name;
        console.log(
          `${mode.padEnd(6)} ${String(U).padStart(2)}  ${label.padEnd(20)} ${median(times).toFixed(0).padStart(10)}  ${median(its).toFixed(0).padStart(14)}  ${median(evs).toFixed(0).padStart(11)}  ${median(objs).toFixed(6).padStart(17)}  ${median(reds).toFixed(1).padStart(8)} %  ${[...stops].join(',')}`,
        );
      }
    }
  }
}
