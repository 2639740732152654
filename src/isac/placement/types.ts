import type { Rng } from '../../math/rng.js';
import type { PlacementObjective } from './placement-objective.js';

/** A design target of the placement problem (Section III): position (m), speed (m/s), heading (rad). */
export interface DesignTarget {
  x: number;
  y: number;
  speed: number;
  heading: number;
}

/**
 * One instance of (P0): L APs with nominal positions ĉ_l, disc radius ε, antenna budget N_max,
 * a least antenna count b_min per AP, and the worst-case objective over the design targets.
 * Layout vector z = [x_1, y_1, ..., x_L, y_L, N_A^1, ..., N_A^L] (Section III.A).
 */
export interface PlacementProblem {
  objective: PlacementObjective;
  /** ĉ = [x̂_1, ŷ_1, ..., x̂_L, ŷ_L] (m) */
  nominal: Float64Array;
  /** ε (m), >= 0 */
  radius: number;
  /** N_A^max, >= L · b_min */
  maxAntennas: number;
  /**
   * b_min, the least antennas per AP (an integer >= 1; default 1, the paper's (16c) N_l >= 1).
   * A floor keeps every AP able to resolve several targets in Phase 2. Read it with {@link minAntennasOf}.
   */
  minAntennas?: number;
}

/** b_min of a problem: `minAntennas`, or 1 (the paper's (16c)) when it is not given. */
export function minAntennasOf(p: PlacementProblem): number {
  return p.minAntennas ?? 1;
}

/** One entry of a strategy's iteration trace. */
export interface PlacementTraceEntry {
  iteration: number;
  /** worst-case objective max_u h_u at the iterate */
  objective: number;
  [key: string]: unknown;
}

/** What a placement strategy returns. The stage evaluates the objective of both layouts itself. */
export interface PlacementOutcome {
  /** continuous solution z (feasible: discs, Σ N <= N_max, N >= b_min) */
  continuous: Float64Array;
  /** final layout: positions in the discs, integer antennas, Σ <= N_max, each >= b_min */
  final: Float64Array;
  /** iterations of the strategy's main loop (ADMM iterations, local-solver iterations, ...) */
  iterations: number;
  /** objective evaluations (each one evaluates every design target, value and gradient) */
  evaluations: number;
  /** why the main loop stopped */
  stopReason: string;
  trace: PlacementTraceEntry[];
}

/** The outcome of a strategy that only picks a layout z (nothing optimised): z as is, no iterations. */
export function fixedLayoutOutcome(z: Float64Array): PlacementOutcome {
  return {
    continuous: z,
    final: Float64Array.from(z),
    iterations: 0,
    evaluations: 0,
    stopReason: 'none',
    trace: [],
  };
}

/** A placement strategy (plugin kind 'placement'). */
export interface PlacementStrategy {
  readonly name: string;
  /** Solves `problem`; every random draw comes from `rng`. */
  place(problem: PlacementProblem, rng: Rng): PlacementOutcome;
}
