/**
 * Shared set-up of bench/chain.ts and bench/speed-accuracy.ts: the paper's Fig. 9 set-up (4 corner
 * APs, 8 x 128 x 128, 3 random targets in (125,125)-(225,225) m at 90-120 m/s, radar path loss,
 * reference range 250 m), frames built as the engine builds them, stages run directly.
 */
import { FrameBufferPool } from '../src/core/frame-buffers.js';
import { createStageContext } from '../src/core/stage-context.js';
import { builtinRegistry } from '../src/builtins.js';
import { trialTargets } from '../src/core/engine.js';
import type { Frame, StageContext } from '../src/core/frame.js';
import type { PluginRegistry } from '../src/core/plugin-registry.js';
import type { Stage } from '../src/core/plugin.js';
import { defaultScenario, sectionVRandomTargets } from '../src/isac/default-scenario.js';
import type { Scenario } from '../src/isac/scenario-types.js';
import { Rng } from '../src/math/rng.js';

export const registry: PluginRegistry = builtinRegistry();

export function fig9Scenario(db: number): Scenario {
  const sc = defaultScenario();
  sc.targets = sectionVRandomTargets();
  sc.snr = { db, referenceRangeM: 250, pathLoss: 'radar' };
  return sc;
}

/** A fresh frame of `trial` (targets drawn as the engine draws them for root seed `seed`). */
export function frameOf(sc: Scenario, seed: number, trial: number, pointKey: string): Frame {
  const truth = trialTargets(sc, seed, trial);
  return {
    trial,
    frame: 0,
    point: {},
    pointKey,
    scenario: sc,
    aps: sc.aps.map((a) => ({ position: [a.position[0], a.position[1]], antennas: a.antennas })),
    truth,
    branch: '',
    data: {},
    record: { point: {}, trial, frame: 0, seed: trial, truth, timings: {} },
  };
}

/** A frame sharing `f`'s truth and echoes, with its own data and record (a branch of the same frame). */
export function branchOf(f: Frame): Frame {
  return {
    ...f,
    data: { echoes: f.data.echoes, echoAmplitudes: f.data.echoAmplitudes },
    record: { ...f.record, timings: {} },
  };
}

/**
 * The frame buffers (ctx.buffer) as the engine keeps them for these stages, which all declare
 * releasesFrameData: reused once a frame is done (releaseFrame); ISACFLOW_RECYCLE=0: fresh arrays.
 */
const buffers = process.env.ISACFLOW_RECYCLE === '0' ? undefined : new FrameBufferPool();

export function ctxOf(stageId: string, frame: Frame): StageContext {
  return createStageContext(frame, {
    stageId,
    rng: new Rng(['bench', frame.pointKey, frame.trial, stageId]),
    registry,
    ...(buffers ? { buffers } : {}),
  });
}

/** The frame has passed every stage: its buffers serve later frames (what the engine does). */
export function releaseFrame(frame: Frame): void {
  buffers?.release(frame.record);
}

/** CPU time (ms, this process: one core) of one stage run. */
export async function cpuMs(stage: Stage, frame: Frame, stageId: string): Promise<number> {
  const ctx = ctxOf(stageId, frame);
  const c0 = process.cpuUsage();
  await stage.process(frame, ctx);
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

export function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const pos = q * (s.length - 1);
  const i = Math.floor(pos);
  return s[i]! + (pos - i) * ((s[Math.min(i + 1, s.length - 1)] ?? s[i]!) - s[i]!);
}
