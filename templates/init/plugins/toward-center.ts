// A placement plugin (kind `placement`): moves every AP by the full radius toward the centre of
// the design targets and splits the antennas equally. Use it as `strategy: toward-center` in
// placement-optimizer. z = [x_1, y_1, ..., x_L, y_L, N_1, ..., N_L].
import type { PlacementOutcome, PlacementProblem, PluginApi } from 'isacflow/plugin';

export default ({ z, definePlacement }: PluginApi) =>
  definePlacement({
    name: 'toward-center',
    summary: 'Each AP moves by the radius toward the design targets’ centre; antennas split equally',
    params: z.object({}).strict(),
    create: () => ({
      name: 'toward-center',
      place(problem: PlacementProblem): PlacementOutcome {
        const { nominal, radius, maxAntennas, objective } = problem;
        const L = nominal.length / 2;
        const cx = objective.targets.reduce((s, t) => s + t.x, 0) / objective.targets.length;
        const cy = objective.targets.reduce((s, t) => s + t.y, 0) / objective.targets.length;
        const z = new Float64Array(3 * L);
        for (let l = 0; l < L; l++) {
          const x = nominal[2 * l]!;
          const y = nominal[2 * l + 1]!;
          const d = Math.hypot(cx - x, cy - y);
          const step = d > 0 ? Math.min(radius, d) / d : 0;
          z[2 * l] = x + step * (cx - x);
          z[2 * l + 1] = y + step * (cy - y);
          z[2 * L + l] = Math.floor(maxAntennas / L);
        }
        return {
          continuous: z,
          final: Float64Array.from(z),
          iterations: 0,
          evaluations: 1,
          stopReason: 'none',
          trace: [{ iteration: 0, objective: objective.worst(z) }],
        };
      },
    }),
  });
