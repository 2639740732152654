import { PluginRegistry } from '../../../src/core/plugin-registry.js';
import type { Tracker, TrackReport, StateEstimate } from '../../../src/isac/tracking/index.js';
import type { Rng } from '../../../src/math/rng.js';
import { trackerPlugins } from '../../../plugins/trackers/index.js';

/** A registry with the built-in trackers only. */
export function trackerRegistry(): PluginRegistry {
  const r = new PluginRegistry();
  r.registerAll(trackerPlugins);
  return r;
}

/** A truth target in Cartesian form: position (m) and velocity (vx, vy) (m/s). */
export interface Mover {
  position: [number, number];
  velocity: [number, number];
}

export interface SimOptions {
  frames: number;
  /** frame interval, s */
  dt: number;
  /** std of each measured position coordinate, m */
  sigmaP: number;
  /** std of each measured velocity component, m/s */
  sigmaV: number;
  rng: Rng;
  /** PSD of the truth's white-noise acceleration (m²/s³); 0 = straight lines at constant velocity */
  truthQ?: number;
  /** true when target u has no estimate in frame f (a missed detection) */
  drop?: (frame: number, target: number) => boolean;
  /** hand the estimates to the tracker in a random order every frame */
  shuffle?: boolean;
}

export interface Simulation {
  /** truth[f][u] */
  truth: Mover[][];
  /** what the tracker returned, per frame */
  reports: TrackReport[][];
}

/**
 * Runs a tracker over `frames` frames of targets moving on the constant-velocity model (with
 * white-noise acceleration of PSD truthQ, drawn exactly: w ~ N(0, Q) with Q = q·[[dt³/3, dt²/2],
 * [dt²/2, dt]] per axis) and measured with Gaussian noise of known σ (position and Cartesian
 * velocity, handed over as speed and heading like the fusion stage writes them).
 */
export function simulate(tracker: Tracker, start: readonly Mover[], o: SimOptions): Simulation {
  const q = o.truthQ ?? 0;
  const dt = o.dt;
  // Cholesky factor of Q (per axis).
  const q11 = (q * dt ** 3) / 3;
  const q12 = (q * dt ** 2) / 2;
  const q22 = q * dt;
  const l11 = Math.sqrt(q11);
  const l21 = l11 > 0 ? q12 / l11 : 0;
  const l22 = Math.sqrt(Math.max(q22 - l21 * l21, 0));
  let cur = start.map((m) => ({
    position: [...m.position] as [number, number],
    velocity: [...m.velocity] as [number, number],
  }));
  const truth: Mover[][] = [];
  const reports: TrackReport[][] = [];
  for (let f = 0; f < o.frames; f++) {
    if (f > 0) {
      cur = cur.map((m) => {
        const next: Mover = { position: [0, 0], velocity: [0, 0] };
        for (let a = 0; a < 2; a++) {
          const n1 = q > 0 ? o.rng.normal() : 0;
          const n2 = q > 0 ? o.rng.normal() : 0;
          next.position[a] = (m.position[a] as number) + dt * (m.velocity[a] as number) + l11 * n1;
          next.velocity[a] = (m.velocity[a] as number) + l21 * n1 + l22 * n2;
        }
        return next;
      });
    }
    truth.push(cur);
    const estimates: StateEstimate[] = [];
    cur.forEach((m, u) => {
      const vx = m.velocity[0] + o.sigmaV * o.rng.normal();
      const vy = m.velocity[1] + o.sigmaV * o.rng.normal();
      const x = m.position[0] + o.sigmaP * o.rng.normal();
      const y = m.position[1] + o.sigmaP * o.rng.normal();
      if (o.drop?.(f, u)) return;
      estimates.push({
        position: [x, y],
        velocity: { speed: Math.hypot(vx, vy), heading: Math.atan2(vy, vx) },
      });
    });
    const order = o.shuffle ? [...o.rng.permutation(estimates.length)] : estimates.map((_, k) => k);
    reports.push(tracker.step({ frame: f, dt, estimates: order.map((k) => estimates[k] as StateEstimate) }));
  }
  return { truth, reports };
}

/** Three targets far apart (km) moving in different directions: no association ambiguity. */
export const THREE_APART: Mover[] = [
  { position: [0, 0], velocity: [10, 5] },
  { position: [1000, 0], velocity: [-8, 3] },
  { position: [0, 1000], velocity: [2, -9] },
];
