/**
 * CRB evaluations per second (one target): the optimiser's fast path CrbKernel.evaluate
 * (traces only, and traces + analytic gradient), and the full per-target API crbTargets
 * (bound summary, allocates), for L = 4 and L = 64 APs in the exact and paper modes.
 */
import { defaultScenario } from '../src/isac/default-scenario.js';
import type { Ap } from '../src/isac/scenario-types.js';
import { CrbKernel, crbTargets } from '../src/isac/crb/index.js';

function layout(L: number): Ap[] {
  // APs on a ring of radius 250 m around the area centre, 4-12 antennas
  return Array.from({ length: L }, (_, l) => {
    const a = (2 * Math.PI * (l + 0.5)) / L;
    return {
      position: [175 + 250 * Math.cos(a), 175 + 250 * Math.sin(a)] as [number, number],
      antennas: 4 + (l % 9),
    };
  });
}

/** Median rate (calls/s) over 5 runs of ~0.2 s each. */
function rate(fn: () => void): number {
  for (let i = 0; i < 20_000; i++) fn(); // warm-up (JIT)
  const rates: number[] = [];
  for (let rep = 0; rep < 5; rep++) {
    let n = 0;
    const t0 = performance.now();
    let t = t0;
    while (t - t0 < 200) {
      for (let i = 0; i < 100; i++) fn();
      n += 100;
      t = performance.now();
    }
    rates.push((n * 1000) / (t - t0));
  }
  return rates.sort((a, b) => a - b)[2] as number;
}

const fmt = (r: number): string => `${(r / 1000).toFixed(1).padStart(8)} k/s`;

export async function run(): Promise<void> {
  const sc = defaultScenario();
  const target = { position: [150.37, 160.82] as [number, number], velocity: { speed: 100.3, heading: 0.6 } };
  console.log('mode   L   kernel traces   kernel+gradient   crbTargets (full)');
  for (const mode of ['exact', 'paper'] as const) {
    for (const L of [4, 64]) {
      const aps = layout(L);
      const xy = Float64Array.from(aps.flatMap((a) => a.position));
      const na = Float64Array.from(aps.map((a) => a.antennas));
      const kernel = new CrbKernel(sc.system, sc.snr, mode);
      const out = new Float64Array(2);
      const gP = new Float64Array(3 * L);
      const gA = new Float64Array(3 * L);
      let sink = 0;
      const rt = rate(() => {
        kernel.evaluate(xy, na, 150.37, 160.82, 100.3, 0.6, out);
        sink += out[0] as number;
      });
      const rg = rate(() => {
        kernel.evaluate(xy, na, 150.37, 160.82, 100.3, 0.6, out, gP, gA);
        sink += gP[0] as number;
      });
      const rf = rate(() => {
        const r = crbTargets(aps, [target], sc.system, sc.snr, mode)[0];
        if (r && 'sqrtTrP' in r) sink += r.sqrtTrP;
      });
      if (!Number.isFinite(sink)) throw new Error('non-finite bound in bench');
      console.log(`${mode.padEnd(6)} ${String(L).padStart(2)} ${fmt(rt)}     ${fmt(rg)}      ${fmt(rf)}`);
    }
  }
}
