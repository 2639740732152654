/**
 * Joint (multi-target) estimation figures: the `joint` CRB per fig9 frame (4 APs, 3 random targets
 * in the paper's area, the frame's RCS phases), median over repeated frames. `npm run bench -- joint`.
 */
import { jointCrbTargets } from '../src/isac/crb/index.js';
import { defaultScenario } from '../src/isac/default-scenario.js';
import type { Target } from '../src/isac/scenario-types.js';
import { Rng } from '../src/math/rng.js';

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
  console.log(
    `joint CRB per fig9 frame (L = 4, U = 3, 8x128x128): median ${median(times).toFixed(3)} ms, max ${Math.max(...times).toFixed(3)} ms over ${frames.length} frames`,
  );
}
