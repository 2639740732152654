import { objectiveProbe } from './_objective-probe.js';
import type { LocationObjective, VelocityObjective } from '../src/isac/fusion/index.js';
import { performance } from 'node:perf_hooks';
import { builtinRegistry } from '../src/builtins.js';
import { trialTargets } from '../src/core/engine.js';
import type { Frame, StageContext } from '../src/core/frame.js';
import type { Stage } from '../src/core/plugin.js';
import type { TargetObservation } from '../src/isac/association/types.js';
import { defaultScenario, sectionVRandomTargets } from '../src/isac/default-scenario.js';
import type { Scenario } from '../src/isac/scenario-types.js';
import { Rng } from '../src/math/rng.js';
import { CpDecomposerStage, cpDecomposerParams } from '../stages/cp-decomposer/cp-decomposer.js';
import { EchoGeneratorStage, echoGeneratorParams } from '../stages/echo-generator/echo-generator.js';
import { FusionSolverStage } from '../stages/fusion-solver/fusion-solver.js';
import { MusicAssociatorStage, musicAssociatorParams } from '../stages/music-associator/music-associator.js';
import { createStageContext } from '../src/core/stage-context.js';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/**
 * The paper's set-up (Section V: 4 corner APs, 8 x 128 x 128, 3 random targets in the area, 0 dB):
 * wall time per frame of each stage of the SL-MDTS chain (echo generation, CP decomposition,
 * MUSIC + association, fusion by sfo / lattice / mle), and objective evaluations per second of
 * (P3) and (P4) (scalar `value`, population `values`, `gradient`).
 */
export async function run(): Promise<void> {
  const registry = builtinRegistry();
  const sc: Scenario = defaultScenario();
  sc.targets = sectionVRandomTargets();
  const stages: Array<[string, Stage]> = [
    ['echo', new EchoGeneratorStage(echoGeneratorParams.parse({}))],
    ['cp', new CpDecomposerStage(cpDecomposerParams.parse({}))],
    ['assoc', new MusicAssociatorStage(musicAssociatorParams.parse({}))],
    ['fusion sfo (abc-bfgs)', new FusionSolverStage({ scheme: 'sfo', solver: 'abc-bfgs' }, registry, sc)],
    ['fusion sfo (grid-bfgs)', new FusionSolverStage({ scheme: 'sfo' }, registry, sc)],
    ['fusion sfo (abc)', new FusionSolverStage({ scheme: 'sfo', solver: 'abc' }, registry, sc)],
    ['fusion lattice', new FusionSolverStage({ scheme: 'lattice' }, registry, sc)],
    ['fusion mle', new FusionSolverStage({ scheme: 'mle' }, registry, sc)],
  ];
  const times = new Map<string, number[]>(stages.map(([n]) => [n, []]));
  const frames = 12;
  let last: Frame | undefined;
  for (let trial = 0; trial < frames + 2; trial++) {
    const truth = trialTargets(sc, 2024, trial);
    const frame: Frame = {
      trial,
      frame: 0,
      point: {},
      pointKey: 'bench',
      scenario: sc,
      aps: sc.aps.map((a) => ({ position: [a.position[0], a.position[1]], antennas: a.antennas })),
      truth,
      branch: '',
      data: {},
      record: { point: {}, trial, frame: 0, seed: trial, truth, timings: {} },
    };
    for (const [name, stage] of stages) {
      const ctx: StageContext = createStageContext(frame, {
        stageId: name,
        rng: new Rng(['bench', trial, name]),
        registry,
      });
      const t0 = performance.now();
      await stage.process(frame, ctx);
      if (trial >= 2) times.get(name)!.push(performance.now() - t0); // 2 warm-up frames
    }
    last = frame;
  }
  console.log(
    `SL-MDTS chain, paper set-up (4 APs x 8x128x128, 3 random targets, 0 dB), median over ${frames} frames:`,
  );
  for (const [name] of stages)
    console.log(`  ${name.padEnd(22)} ${median(times.get(name)!).toFixed(1).padStart(8)} ms/frame`);

  const obs = (last!.data.observations as TargetObservation[])[0]!;
  const { loc, vel, n, xs, vs } = objectiveProbe(obs, sc.aps, sc.system);
  const out = new Float64Array(n);
  const x = new Float64Array(2);
  const g = new Float64Array(2);
  const rate = (f: () => void): number => {
    const r: number[] = [];
    for (let rep = 0; rep < 7; rep++) {
      const t0 = performance.now();
      f();
      r.push(n / ((performance.now() - t0) / 1e3));
    }
    return median(r);
  };
  const report = (
    label: string,
    o: LocationObjective | VelocityObjective,
    pts: Float64Array,
    terms: number,
  ) => {
    const scalar = rate(() => {
      for (let i = 0; i < n; i++) {
        x[0] = pts[2 * i]!;
        x[1] = pts[2 * i + 1]!;
        o.value(x);
      }
    });
    const pop = rate(() => o.values(pts, n, out));
    const grad = rate(() => {
      for (let i = 0; i < n; i++) {
        x[0] = pts[2 * i]!;
        x[1] = pts[2 * i + 1]!;
        o.gradient(x, g);
      }
    });
    const f = (v: number) => `${(v / 1e6).toFixed(2)} M/s (${(1e6 / v).toFixed(2)} µs)`;
    console.log(`  ${label} (${terms} terms): value ${f(scalar)}, values ${f(pop)}, gradient ${f(grad)}`);
  };
  console.log('objective evaluations per second (one target, L = 4):');
  report(
    '(P3) location',
    loc,
    xs,
    sc.aps.reduce((s, a) => s + sc.system.subcarriers + a.antennas, 0),
  );
  report('(P4) velocity', vel, vs, sc.aps.length * sc.system.symbols);
}
