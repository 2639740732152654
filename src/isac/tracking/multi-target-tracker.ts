import { cartesianVelocity } from '../geometry.js';
import type { Vec2 } from '../scenario-types.js';
import { gatedAssignment } from './gnn-association.js';
import type {
  CartesianMeasurement,
  FilterState,
  StateEstimate,
  Tracker,
  TrackerStep,
  TrackFilter,
  TrackReport,
} from './types.js';

/** Track management options shared by every built-in tracker. */
export interface TrackManagement {
  /** association gate: largest distance from a track's predicted position to its estimate, m */
  gateM: number;
  /** a track survives this many consecutive frames without an estimate; deleted at the next miss */
  maxMisses: number;
  /** hits (frames with an associated estimate, the birth included) before a track is reported */
  confirmHits: number;
}

interface Track {
  id: number;
  state: FilterState;
  born: number;
  hits: number;
  misses: number;
}

function finite(e: StateEstimate): boolean {
  return (
    Number.isFinite(e.position[0]) &&
    Number.isFinite(e.position[1]) &&
    Number.isFinite(e.velocity.speed) &&
    Number.isFinite(e.velocity.heading)
  );
}

function toCartesian(e: StateEstimate): CartesianMeasurement {
  return { position: [e.position[0], e.position[1]], velocity: cartesianVelocity(e.velocity) };
}

/**
 * A multi-target tracker around one per-track filter: every frame the live tracks are predicted
 * by dt, the frame's estimates are associated with them (gatedAssignment: global nearest neighbour
 * with a gate on the predicted position), associated tracks are corrected, unassociated estimates
 * start new tracks (ids 1, 2, ... within a trial), and a track that has missed more than
 * `maxMisses` consecutive frames is deleted. Estimates with a non-finite field are ignored.
 */
export class MultiTargetTracker implements Tracker {
  private tracks: Track[] = [];
  private nextId = 1;
  private lastFrame: number | null = null;

  constructor(
    readonly name: string,
    private readonly filter: TrackFilter,
    private readonly m: TrackManagement,
  ) {}

  reset(): void {
    this.tracks = [];
    this.nextId = 1;
    this.lastFrame = null;
  }

  step(input: TrackerStep): TrackReport[] {
    const first = this.lastFrame === null;
    const dt = first ? 0 : input.dt;
    if (!first && !(Number.isFinite(dt) && dt >= 0))
      throw new RangeError(`tracker ${this.name}: dt must be a finite number >= 0 s (got ${dt})`);
    this.lastFrame = input.frame;
    const meas = input.estimates.filter(finite).map(toCartesian);
    for (const t of this.tracks) this.filter.predict(t.state, dt);
    const predicted: Vec2[] = this.tracks.map((t) => [t.state.x[0] as number, t.state.x[1] as number]);
    const trackOf = gatedAssignment(
      predicted,
      meas.map((z) => z.position),
      this.m.gateM,
    );
    const used = new Uint8Array(meas.length);
    this.tracks.forEach((t, i) => {
      const j = trackOf[i] as number;
      if (j >= 0) {
        this.filter.update(t.state, meas[j] as CartesianMeasurement, dt);
        t.hits++;
        t.misses = 0;
        used[j] = 1;
      } else t.misses++;
    });
    this.tracks = this.tracks.filter((t) => t.misses <= this.m.maxMisses);
    meas.forEach((z, j) => {
      if (!used[j])
        this.tracks.push({
          id: this.nextId++,
          state: this.filter.init(z),
          born: input.frame,
          hits: 1,
          misses: 0,
        });
    });
    return this.tracks.map((t) => report(t, input.frame, this.m.confirmHits));
  }
}

function report(t: Track, frame: number, confirmHits: number): TrackReport {
  const x = t.state.x;
  const vx = x[2] as number;
  const vy = x[3] as number;
  return {
    id: t.id,
    position: [x[0] as number, x[1] as number],
    velocity: { speed: Math.hypot(vx, vy), heading: Math.atan2(vy, vx) },
    age: frame - t.born,
    hits: t.hits,
    misses: t.misses,
    confirmed: t.hits >= confirmHits,
  };
}
