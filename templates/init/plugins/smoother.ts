// A tracker plugin (kind `tracker`): nearest-neighbour association within a gate and exponential
// smoothing of position and velocity per track. Use it as `tracker: smoother` in the tracker stage.
import type { PluginApi, StateEstimate, TrackReport, TrackerStep } from 'isacflow/plugin';

export default ({ z, defineTracker }: PluginApi) =>
  defineTracker({
    name: 'smoother',
    summary: 'Nearest neighbour within a gate, exponential smoothing (gain) of position and velocity',
    params: z
      .object({
        gain: z.number().gt(0).max(1).default(0.5).describe('weight of the new estimate'),
        gateM: z.number().positive().default(5).describe('association gate').meta({ unit: 'm' }),
      })
      .strict(),
    create: (p) => {
      let tracks: TrackReport[] = [];
      let nextId = 1;
      return {
        name: 'smoother',
        reset() {
          tracks = [];
          nextId = 1;
        },
        step({ estimates, dt }: TrackerStep): TrackReport[] {
          const free = new Set<StateEstimate>(estimates);
          for (const t of tracks) {
            // predict with the track's velocity, then take the nearest free estimate in the gate
            t.position = [
              t.position[0] + t.velocity.speed * Math.cos(t.velocity.heading) * dt,
              t.position[1] + t.velocity.speed * Math.sin(t.velocity.heading) * dt,
            ];
            t.age++;
            let best: StateEstimate | undefined;
            let bestD = p.gateM;
            for (const e of free) {
              const d = Math.hypot(e.position[0] - t.position[0], e.position[1] - t.position[1]);
              if (d < bestD) [best, bestD] = [e, d];
            }
            if (!best) {
              t.misses++;
              continue;
            }
            free.delete(best);
            const g = p.gain;
            t.position = [
              t.position[0] + g * (best.position[0] - t.position[0]),
              t.position[1] + g * (best.position[1] - t.position[1]),
            ];
            t.velocity = {
              speed: t.velocity.speed + g * (best.velocity.speed - t.velocity.speed),
              heading: best.velocity.heading,
            };
            t.hits++;
            t.misses = 0;
            t.confirmed = t.hits >= 2;
          }
          tracks = tracks.filter((t) => t.misses <= 2);
          for (const e of free)
            tracks.push({
              id: nextId++,
              position: [...e.position],
              velocity: { ...e.velocity },
              age: 0,
              hits: 1,
              misses: 0,
              confirmed: false,
            });
          return tracks.map((t) => ({ ...t, position: [...t.position], velocity: { ...t.velocity } }));
        },
      };
    },
  });
