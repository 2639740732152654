// A solver plugin (kind `solver`): pure random search, the best of N uniform draws in the box.
// Use it wherever a solver is named: `solver: random-search` in fusion-solver (sfo), solver-benchmark, ...
import type { PluginApi } from 'isacflow/plugin';

export default ({ z, defineSolver }: PluginApi) =>
  defineSolver({
    name: 'random-search',
    summary: 'Pure random search: best of N uniform draws in the box',
    params: z.object({ samples: z.number().int().min(1).default(2000).describe('uniform draws') }).strict(),
    create: (p) => ({
      name: 'random-search',
      minimize({ objective, box, rng, maxEvaluations }) {
        const n = Math.min(p.samples, maxEvaluations ?? Infinity);
        const x = new Float64Array(objective.dim);
        let best = new Float64Array(objective.dim);
        let bestValue = Infinity;
        for (let k = 0; k < n; k++) {
          for (let i = 0; i < objective.dim; i++) x[i] = rng.uniformIn(box.lower[i]!, box.upper[i]!);
          const v = objective.value(x);
          if (v < bestValue) {
            bestValue = v;
            best = Float64Array.from(x);
          }
        }
        return {
          x: best,
          value: bestValue,
          evaluations: n,
          iterations: n,
          stopReason: 'max-iterations',
          trace: [],
        };
      },
    }),
  });
