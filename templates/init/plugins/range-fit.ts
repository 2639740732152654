// A fusion plugin (kind `fusion`): locates one associated target by least squares of the APs'
// range estimates, sum_l (|p - c_l| - r_l)^2, in a box around the association's fit, with any
// solver plugin; the velocity is the association's fit. Use it as `scheme: range-fit` in fusion-solver.
import type { FusionEstimate, FusionProblem, PluginApi, Solver, Vec2 } from 'isacflow/plugin';

export default ({ z, defineFusion }: PluginApi) =>
  defineFusion({
    name: 'range-fit',
    summary: 'Least squares of the per-AP ranges around the association fit; velocity from the fit',
    params: z
      .object({
        solver: z.string().default('bfgs').describe('solver plugin for the location'),
        solverParams: z.record(z.string(), z.unknown()).default({}).describe("the solver's params"),
        halfWidthM: z
          .number()
          .positive()
          .default(5)
          .describe('half width of the search box')
          .meta({ unit: 'm' }),
      })
      .strict(),
    create: (p, { registry }) => {
      const solver = registry.create<Solver>('solver', p.solver, p.solverParams);
      return {
        name: 'range-fit',
        fuse({ observation, aps, rng }: FusionProblem): FusionEstimate {
          const [fx, fy] = observation.fit.position;
          const box = {
            lower: Float64Array.of(fx - p.halfWidthM, fy - p.halfWidthM),
            upper: Float64Array.of(fx + p.halfWidthM, fy + p.halfWidthM),
          };
          const objective = {
            dim: 2,
            value(x: Float64Array): number {
              let s = 0;
              for (const o of observation.perAp) {
                const [ax, ay] = aps[o.ap]!.position;
                const d = Math.hypot(x[0]! - ax, x[1]! - ay) - o.range;
                s += d * d;
              }
              return s;
            },
          };
          const r = solver.minimize({ objective, box, rng, x0: Float64Array.of(fx, fy) });
          const [vx, vy] = observation.fit.velocity;
          const corners: [Vec2, Vec2] = [
            [box.lower[0]!, box.lower[1]!],
            [box.upper[0]!, box.upper[1]!],
          ];
          return {
            position: [r.x[0]!, r.x[1]!],
            velocity: { speed: Math.hypot(vx, vy), heading: Math.atan2(vy, vx) },
            diagnostics: {
              location: {
                objective: r.value,
                evaluations: r.evaluations,
                iterations: r.iterations,
                stop: r.stopReason,
                box: corners,
              },
              velocity: {
                objective: observation.fit.cost,
                evaluations: 0,
                iterations: 0,
                stop: 'closed-form',
                box: corners,
              },
            },
          };
        },
      };
    },
  });
