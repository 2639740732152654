import type { Rng } from '../../math/rng.js';
import type { TargetObservation } from '../association/types.js';
import type { EchoTensor } from '../echo-model.js';
import type { Ap, Scenario, Vec2 } from '../scenario-types.js';
import type { StateEstimate } from '../state-estimate.js';

/** One associated target as a fusion scheme sees it (Section IV.B). */
export interface FusionProblem {
  /** the associated factors and per-AP estimates of the target (music-associator) */
  observation: TargetObservation;
  /** the AP layout of the frame (observation.perAp[l].ap indexes it) */
  aps: readonly Ap[];
  /** the scenario at this sweep point (system parameters; the random targets' area is the default search box) */
  scenario: Scenario;
  /** the target's random stream (the same in every variant: common random numbers) */
  rng: Rng;
}

/** What one sub-problem (location or velocity) cost and reached. JSON only. */
export interface FusionStepDiagnostics {
  /** the scheme's objective at the solution: 1/tr for sfo and lattice (P3/P4), the weighted squared residual for mle */
  objective: number;
  /** objective evaluations (gradients count as one) */
  evaluations: number;
  /** solver iterations (0 for a grid) */
  iterations: number;
  /** solver stop reason, or 'grid' / 'closed-form' */
  stop: string;
  /** the search box, [[lo0, lo1], [hi0, hi1]] */
  box: [Vec2, Vec2];
}

export interface FusionDiagnostics {
  location: FusionStepDiagnostics;
  velocity: FusionStepDiagnostics;
}

/** A scheme's estimate of one target: the state and how the solvers got there. */
export interface FusionEstimate extends StateEstimate {
  diagnostics: FusionDiagnostics;
}

/**
 * The whole frame as a frame-level scheme sees it (joint-ml): every associated target's observation
 * and the raw echo tensors of every AP (frame.data.echoes, in frame.aps order).
 */
export interface FrameFusionProblem {
  observations: readonly TargetObservation[];
  echoes: readonly EchoTensor[];
  aps: readonly Ap[];
  scenario: Scenario;
  /** the stage's stream for this frame */
  rng: Rng;
}

/** A fusion scheme (plugin kind 'fusion'): per-target observations + AP geometry -> location and velocity. */
export interface FusionScheme {
  readonly name: string;
  /**
   * Optional frame-level fusion: when present the stage calls it once per frame instead of `fuse`
   * per target, with the raw echoes beside the observations; it may return a different number of
   * estimates than observations (model order from the data).
   */
  fuseFrame?(problem: FrameFusionProblem): FusionEstimate[];
  /**
   * Checks the scheme's options against the pipeline's scenario before anything runs (e.g. that an
   * explicit search box contains the area the targets are drawn from). Throws a user-facing error.
   */
  check?(scenario: Scenario): void;
  fuse(problem: FusionProblem): FusionEstimate;
}
