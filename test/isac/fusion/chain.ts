import type { Frame, StageContext } from '../../../src/core/frame.js';
import { trialTargets } from '../../../src/core/engine.js';
import { PluginRegistry } from '../../../src/core/plugin-registry.js';
import type { TargetObservation } from '../../../src/isac/association/types.js';
import { defaultScenario, sectionVRandomTargets } from '../../../src/isac/default-scenario.js';
import type { Scenario, Target } from '../../../src/isac/scenario-types.js';
import { Rng } from '../../../src/math/rng.js';
import { fusionPlugins } from '../../../plugins/fusion/index.js';
import { solversPlugins } from '../../../plugins/solvers/index.js';
import { CpDecomposerStage, cpDecomposerParams } from '../../../stages/cp-decomposer/cp-decomposer.js';
import { EchoGeneratorStage, echoGeneratorParams } from '../../../stages/echo-generator/echo-generator.js';
import { FusionSolverStage } from '../../../stages/fusion-solver/fusion-solver.js';
import {
  MusicAssociatorStage,
  musicAssociatorParams,
} from '../../../stages/music-associator/music-associator.js';
import { createStageContext } from '../../../src/core/stage-context.js';

/** A registry with the solver and fusion plugins (what the fusion stage needs). */
export function fusionRegistry(): PluginRegistry {
  const r = new PluginRegistry();
  r.registerAll(solversPlugins);
  r.registerAll(fusionPlugins);
  return r;
}

/** The paper's system with N_c = M = n (smaller n keeps Monte Carlo tests fast). */
export function scenarioOf(opts: { n?: number; db: number; targets: Scenario['targets'] }): Scenario {
  const s = defaultScenario();
  s.system.subcarriers = opts.n ?? s.system.subcarriers;
  s.system.symbols = opts.n ?? s.system.symbols;
  s.snr.db = opts.db;
  s.targets = opts.targets;
  return s;
}

/** One random target in the paper's area, velocity as in Section V. */
export const ONE_RANDOM: Scenario['targets'] = sectionVRandomTargets(1);
/** Section V: three random targets. */
export const THREE_RANDOM: Scenario['targets'] = sectionVRandomTargets(3);

function ctxOf(
  frame: Frame,
  registry: PluginRegistry,
  stageId: string,
  seed: string,
  trial: number,
  resultKey?: string,
): StageContext {
  return createStageContext(frame, {
    stageId,
    rng: new Rng([seed, trial, 'stage', stageId]),
    registry,
    ...(resultKey ? { resultKey } : {}),
  });
}

/**
 * The frame of one trial after echo generation, CP decomposition and association (the stages the
 * fusion stage reads from), with random targets drawn from the trial like the engine does.
 */
export function observedFrame(
  scenario: Scenario,
  seed: string,
  trial: number,
  registry: PluginRegistry,
  cpParams: Record<string, unknown> = {},
): Frame {
  const truth: Target[] = trialTargets(scenario, 7, trial);
  const frame: Frame = {
    trial,
    frame: 0,
    point: {},
    pointKey: '',
    scenario,
    aps: scenario.aps.map((a) => ({ position: [a.position[0], a.position[1]], antennas: a.antennas })),
    truth,
    branch: '',
    data: {},
    record: { point: {}, trial, frame: 0, seed: trial, truth, timings: {} },
  };
  new EchoGeneratorStage(echoGeneratorParams.parse({})).process(
    frame,
    ctxOf(frame, registry, 'echoes', seed, trial),
  );
  new CpDecomposerStage(cpDecomposerParams.parse(cpParams)).process(
    frame,
    ctxOf(frame, registry, 'cp', seed, trial),
  );
  new MusicAssociatorStage(musicAssociatorParams.parse({})).process(
    frame,
    ctxOf(frame, registry, 'assoc', seed, trial),
  );
  return frame;
}

export function observations(frame: Frame): TargetObservation[] {
  return frame.data.observations as TargetObservation[];
}

/** Runs a fusion-solver stage with `params` on the frame; its estimates go to record.estimates[name]. */
export function fuseFrame(
  frame: Frame,
  params: Record<string, unknown>,
  name: string,
  registry: PluginRegistry,
  seed = 'fusion',
): void {
  const stage = new FusionSolverStage(params, registry, frame.scenario);
  stage.process(frame, ctxOf(frame, registry, 'fusion', seed, frame.trial, name));
}

/**
 * Per true target, the position error (m) and Cartesian velocity error (m/s) of the estimate
 * nearest to it (one target per frame in the CRB tests, so nearest = the estimate).
 */
export function targetErrors(frame: Frame, name: string): Array<{ position: number; velocity: number }> {
  const est = frame.record.estimates?.[name] ?? [];
  return frame.truth.map((t) => {
    let bp = Infinity;
    let bv = Infinity;
    for (const e of est) {
      const d = Math.hypot(e.position[0] - t.position[0], e.position[1] - t.position[1]);
      if (d < bp) {
        bp = d;
        bv = Math.hypot(
          e.velocity.speed * Math.cos(e.velocity.heading) - t.velocity.speed * Math.cos(t.velocity.heading),
          e.velocity.speed * Math.sin(e.velocity.heading) - t.velocity.speed * Math.sin(t.velocity.heading),
        );
      }
    }
    return { position: bp, velocity: bv };
  });
}

export function rms(xs: readonly number[]): number {
  return Math.sqrt(xs.reduce((s, x) => s + x * x, 0) / xs.length);
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2]! : 0.5 * (s[n / 2 - 1]! + s[n / 2]!);
}
