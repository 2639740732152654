import type { Frame, FrameRecord } from '../core/frame.js';
import type { SweepPoint } from '../core/pipeline-loader.js';
import type { EchoTensor } from '../isac/echo-model.js';
import type { Ap, Target } from '../isac/scenario-types.js';
import { seedNumber } from '../math/rng.js';

/** One frame as a source delivers it, before it becomes a pipeline Frame. */
export interface SourcedFrame {
  trial: number;
  frame: number;
  /** per AP, in the order of the scenario's APs */
  echoes: EchoTensor[];
  /** true targets at this frame, when known */
  truth?: Target[];
  /** AP layout of this frame when it differs from the scenario's */
  aps?: Ap[];
  /** sweep point of the run that recorded it: its values and the key its random streams used */
  point?: Record<string, unknown>;
  pointKey?: string;
  /** performance.now() when the last byte of the frame arrived (live feeds) */
  receivedAt?: number;
  /** where it came from, for messages (file, byte offset) */
  origin?: string;
}

/**
 * A pipeline Frame holding a source's echoes in frame.data.echoes. The random streams of the stages
 * are keyed by the recorded point key (when given), trial and frame, so a replayed recording gives
 * the same stochastic choices (solver draws) as the run that recorded it.
 */
export function frameFromSource(point: SweepPoint, rootSeed: number, s: SourcedFrame): Frame {
  const pointKey = s.pointKey ?? point.key;
  const values = { ...(s.point ?? {}), ...point.values };
  const truth = s.truth ?? [];
  const record: FrameRecord = {
    point: values,
    trial: s.trial,
    frame: s.frame,
    seed: seedNumber([rootSeed, pointKey, s.trial, s.frame]),
    truth: truth.map((t) => structuredClone(t)),
    timings: {},
  };
  const aps = s.aps ?? point.scenario.aps;
  return {
    trial: s.trial,
    frame: s.frame,
    point: values,
    pointKey,
    scenario: point.scenario,
    aps: aps.map((a) => ({ position: [a.position[0], a.position[1]], antennas: a.antennas })),
    truth,
    branch: '',
    data: { echoes: s.echoes, ...(s.receivedAt !== undefined ? { receivedAt: s.receivedAt } : {}) },
    record,
  };
}
