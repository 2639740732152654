/**
 * Speed of the SL-MDTS chain (issue 13), Fig. 9 set-up (bench/_chain-frames.ts), one core:
 *   npm run bench -- chain
 * Per stage the median and p95 CPU ms per frame at 0 and 10 dB (ISACFLOW_BENCH_FRAMES frames,
 * default 60, after 2 warm-up frames: with 20, the p95 is the 19th of 20 values and one slow frame
 * in the 20 moves it), the chain's frames per second (CP + association + SFO with
 * the default solver) and the targets beside each figure; then (P3)/(P4) evaluation cost.
 * CPU time of this process (process.cpuUsage), so other processes on the machine inflate it less
 * than wall time would; on a shared machine repeat and compare medians.
 * ISACFLOW_CHAIN_CP sets the cp-decomposer params as JSON (default {}), e.g. '{"structure":"none"}'
 * for the unstructured CP of round 4 (run the two alternately to compare on this noisy machine).
 */
import { objectiveProbe } from './_objective-probe.js';
import type { TargetObservation } from '../src/isac/association/types.js';
import type { Stage } from '../src/core/plugin.js';
import { CpDecomposerStage, cpDecomposerParams } from '../stages/cp-decomposer/cp-decomposer.js';
import { EchoGeneratorStage, echoGeneratorParams } from '../stages/echo-generator/echo-generator.js';
import { FusionSolverStage } from '../stages/fusion-solver/fusion-solver.js';
import { MusicAssociatorStage, musicAssociatorParams } from '../stages/music-associator/music-associator.js';
import { cpuMs, fig9Scenario, frameOf, quantile, registry, releaseFrame } from './_chain-frames.js';

interface Row {
  name: string;
  target: string;
  /** part of the chain figure */
  chain: boolean;
  make: (db: number) => Stage;
}

export async function run(): Promise<void> {
  const frames = Number(process.env.ISACFLOW_BENCH_FRAMES ?? 60);
  const rows: Row[] = [
    {
      name: 'echo generation (4 APs)',
      target: '<= 5',
      chain: false,
      make: () => new EchoGeneratorStage(echoGeneratorParams.parse({})),
    },
    {
      name: 'CP, 4 APs',
      target: '<= 20',
      chain: true,
      make: () =>
        new CpDecomposerStage(cpDecomposerParams.parse(JSON.parse(process.env.ISACFLOW_CHAIN_CP ?? '{}'))),
    },
    {
      name: 'MUSIC + association',
      target: '<= 2',
      chain: true,
      make: () => new MusicAssociatorStage(musicAssociatorParams.parse({})),
    },
    {
      name: 'SFO grid-bfgs (default)',
      target: '<= 15',
      chain: true,
      make: (db) => new FusionSolverStage({ scheme: 'sfo' }, registry, fig9Scenario(db)),
    },
    {
      name: 'SFO abc-bfgs (paper)',
      target: '<= 60',
      chain: false,
      make: (db) => new FusionSolverStage({ scheme: 'sfo', solver: 'abc-bfgs' }, registry, fig9Scenario(db)),
    },
    {
      name: 'lattice (1 m; 1 m/s x 0.01 rad)',
      target: '<= 100',
      chain: false,
      make: (db) => new FusionSolverStage({ scheme: 'lattice' }, registry, fig9Scenario(db)),
    },
  ];
  const results = new Map<string, Map<number, number[]>>();
  const chainMs = new Map<number, number[]>();
  let lastObs: { obs: TargetObservation; db: number } | undefined;
  for (const db of [0, 10]) {
    const sc = fig9Scenario(db);
    const stages = rows.map((r) => r.make(db));
    const chain: number[] = [];
    for (let trial = 0; trial < frames + 2; trial++) {
      const frame = frameOf(sc, 2024, trial, `chain-${db}`);
      let sum = 0;
      for (let k = 0; k < rows.length; k++) {
        const row = rows[k]!;
        const ms = await cpuMs(stages[k]!, frame, `s${k}`);
        if (trial < 2) continue; // warm-up
        if (!results.has(row.name)) results.set(row.name, new Map());
        const byDb = results.get(row.name)!;
        if (!byDb.has(db)) byDb.set(db, []);
        byDb.get(db)!.push(ms);
        if (row.chain) sum += ms;
      }
      if (trial >= 2) chain.push(sum);
      const obs = (frame.data.observations as TargetObservation[] | undefined)?.[0];
      if (obs) lastObs = { obs, db };
      releaseFrame(frame);
    }
    chainMs.set(db, chain);
  }
  const f = (x: number) => x.toFixed(1).padStart(7);
  console.log(
    `SL-MDTS chain, Fig. 9 set-up (4 APs x 8x128x128, 3 random targets, radar path loss), CPU ms per frame, ${frames} frames per SNR:`,
  );
  console.log(`${'stage'.padEnd(34)} ${'target'.padStart(7)}   0 dB median    p95   10 dB median    p95`);
  const line = (name: string, target: string, byDb: Map<number, number[]>) =>
    console.log(
      `${name.padEnd(34)} ${target.padStart(7)}   ${f(quantile(byDb.get(0)!, 0.5))} ${f(quantile(byDb.get(0)!, 0.95))}   ${f(quantile(byDb.get(10)!, 0.5))} ${f(quantile(byDb.get(10)!, 0.95))}`,
    );
  for (const r of rows) line(r.name, r.target, results.get(r.name)!);
  line('chain (CP + association + SFO)', '<= 35', chainMs);
  for (const db of [0, 10]) {
    const c = chainMs.get(db)!;
    console.log(
      `chain at ${db} dB: ${(1000 / quantile(c, 0.5)).toFixed(1)} frames/s (median), p95/median ${(quantile(c, 0.95) / quantile(c, 0.5)).toFixed(2)} (target <= 3)`,
    );
  }

  if (!lastObs) return;
  const sc = fig9Scenario(lastObs.db);
  const obs = lastObs.obs;
  const { loc, vel, n, xs, vs } = objectiveProbe(obs, sc.aps, sc.system);
  const out = new Float64Array(n);
  const us = (fn: () => void): number => {
    const r: number[] = [];
    for (let rep = 0; rep < 7; rep++) {
      const c0 = process.cpuUsage();
      fn();
      const c = process.cpuUsage(c0);
      r.push((c.user + c.system) / n);
    }
    return quantile(r, 0.5);
  };
  const la = loc.approximation();
  const va = vel.approximation();
  console.log('objective evaluation, one target, L = 4 (target <= 1 µs):');
  console.log(
    `  (P3) exact values ${us(() => loc.values(xs, n, out)).toFixed(2)} µs, phase-table ${us(() => {
      for (let i = 0; i < n; i++) out[i] = la.approx(xs[2 * i]!, xs[2 * i + 1]!);
    }).toFixed(2)} µs`,
  );
  console.log(
    `  (P4) exact values ${us(() => vel.values(vs, n, out)).toFixed(2)} µs, phase-table ${us(() => {
      for (let i = 0; i < n; i++) out[i] = va.approx(vs[2 * i]!, vs[2 * i + 1]!);
    }).toFixed(2)} µs`,
  );
}
