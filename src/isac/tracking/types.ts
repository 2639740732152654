import type { Vec2, Velocity } from '../scenario-types.js';
import type { StateEstimate } from '../state-estimate.js';

export type { StateEstimate } from '../state-estimate.js';

/** What a tracker gets for one frame of a trial. */
export interface TrackerStep {
  /** frame index within the trial (0 = first frame) */
  frame: number;
  /**
   * time since the previous step, s (M·T per frame; a gap of k frames is k·M·T). Ignored on the
   * first step of a trial.
   */
  dt: number;
  /** this frame's fused estimates (any number, any order; finite values only) */
  estimates: readonly StateEstimate[];
}

/** One track after a step. JSON only (it goes into `record.tracks`). */
export interface TrackReport {
  /** track id, 1, 2, ... in order of birth within the trial; never reused */
  id: number;
  /** filtered position, m */
  position: Vec2;
  /** filtered velocity: speed (m/s) and heading (rad from +x) */
  velocity: Velocity;
  /** frames since birth (0 in the frame the track was born) */
  age: number;
  /** frames in which an estimate was associated with the track (1 at birth) */
  hits: number;
  /** consecutive frames without an associated estimate up to this one (0 = updated now) */
  misses: number;
  /** hits ≥ the tracker's confirmHits: the track is reported as an estimate */
  confirmed: boolean;
}

/**
 * A multi-target tracker (plugin kind 'tracker'). It is stateful: one instance follows the
 * targets of one trial, frame by frame, in frame order. `step` associates the frame's estimates
 * with the live tracks, updates them, starts tracks for unassociated estimates, deletes tracks that
 * went too long without one, and returns every live track. `reset` forgets every track (a new
 * trial; ids restart at 1).
 */
export interface Tracker {
  readonly name: string;
  step(input: TrackerStep): TrackReport[];
  reset(): void;
}

/** A measurement in Cartesian form: position (m) and velocity (vx, vy) (m/s). */
export interface CartesianMeasurement {
  position: Vec2;
  velocity: Vec2;
}

/**
 * The state of one track's filter: the Cartesian state [x, y, vx, vy] and, for filters that keep
 * one, the covariance of one axis [P_pp, P_pv, P_vv] (the same for x and y: see cv-kalman.ts).
 */
export interface FilterState {
  x: Float64Array;
  cov: Float64Array;
}

/** The per-track filter a tracker runs (the part that differs between kalman-cv and alpha-beta). */
export interface TrackFilter {
  /** The filter state of a track born from one measurement. */
  init(z: CartesianMeasurement): FilterState;
  /** Propagates `s` by dt seconds under the constant-velocity model, in place. */
  predict(s: FilterState, dt: number): void;
  /** Corrects the predicted `s` with measurement `z`, in place (dt = the step just predicted). */
  update(s: FilterState, z: CartesianMeasurement, dt: number): void;
}
