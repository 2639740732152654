/**
 * Joint (multi-target) estimation figures: the `joint` CRB per fig9 frame (4 APs, 3 random targets
 * in the paper's area, the frame's RCS phases), median over repeated frames. `npm run bench -- joint`.
 */
import { jointCrbTargets } from '../src/isac/crb/index.js';
import { defaultScenario } from '../src/isac/default-scenario.js';
import type { Target } from '../src/isac/scenario-types.js';
import { Rng } from '../src/math/rng.js';
import { synthesizeEcho } from '../src/isac/echo-model.js';
import { jointMl } from '../src/isac/joint/joint-ml.js';

function randomTargets(rng: Rng, n: number): Target[] {
  return Array.from({ length: n }, () => ({
    position: [rng.uniformIn(125, 225), rng.uniformIn(125, 225)] as [number, number],
    velocity: { speed: rng.uniformIn(90, 120), heading: rng.uniformIn(0, Math.PI) },
  }));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1] as number;
}

export async function run(): Promise<void> {
  const sc = defaultScenario();
  const rng = new Rng(['bench', 'joint-crb']);
  const frames = Array.from({ length: 200 }, () => ({
    targets: randomTargets(rng, 3),
    phases: sc.aps.map(() => [0, 1, 2].map(() => 2 * Math.PI * rng.uniform())),
  }));
  for (const f of frames.slice(0, 20)) jointCrbTargets(sc.aps, f.targets, sc.system, sc.snr, f.phases); // warm-up
  const times: number[] = [];
  for (const f of frames) {
    const t0 = performance.now();
    jointCrbTargets(sc.aps, f.targets, sc.system, sc.snr, f.phases);
    times.push(performance.now() - t0);
  }
  const cpu = (): number => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  // joint-ml per frame, beyond the SL-MDTS chain: 0 dB, 3 random targets, started from the truth
  // moved by SL-MDTS-like errors (2 m, 1 m/s, 0.02 rad); CPU time of this process (the machine is shared)
  const mlCpu: number[] = [];
  const passes: number[] = [];
  for (let f = 0; f < 12; f++) {
    const r = new Rng(['bench', 'joint-ml', f]);
    const targets = randomTargets(r, 3);
    const echoes = sc.aps.map(
      (ap, l) => synthesizeEcho(sc.system, ap, targets, sc.snr, r.fork('ap', l)).tensor,
    );
    const starts = targets.map((t) => ({
      position: [t.position[0] + 2 * r.normal(), t.position[1] + 2 * r.normal()] as [number, number],
      velocity: [
        (t.velocity.speed + r.normal()) * Math.cos(t.velocity.heading + 0.02 * r.normal()),
        (t.velocity.speed + r.normal()) * Math.sin(t.velocity.heading + 0.02 * r.normal()),
      ] as [number, number],
    }));
    const c0 = cpu();
    const res = jointMl(echoes, sc.aps, sc.system, starts, {
      order: 'known',
      count: 3,
      pfa: 1e-3,
      box: { lower: [125, 125], upper: [225, 225] },
      speedMax: 150,
      gridM: 2,
      cyclicSweeps: 1,
      cyclicSteps: 3,
      polishSteps: 6,
      mapRounds: 4,
      marginM: 25,
      misfitZ: 6,
      swapDistanceM: 30,
    });
    if (f >= 2) {
      mlCpu.push(cpu() - c0);
      passes.push(res.passes);
    }
  }
  console.log(
    `joint-ml per frame (0 dB, U = 3, L = 4, SL-MDTS-like start): median CPU ${median(mlCpu).toFixed(1)} ms, max ${Math.max(...mlCpu).toFixed(1)} ms; median ${median(passes)} tensor passes`,
  );
  console.log(
    `joint CRB per fig9 frame (L = 4, U = 3, 8x128x128): median ${median(times).toFixed(3)} ms, max ${Math.max(...times).toFixed(3)} ms over ${frames.length} frames`,
  );
}
