import type { Vec2, Velocity } from './scenario-types.js';

/**
 * One estimated target state in one frame: what a fusion scheme, a tracker or a user's stage puts
 * in `frame.data.estimates` and `record.estimates[resultKey]` (the summary matches these to the
 * truth). The one declaration of this shape.
 */
export interface StateEstimate {
  /** (x, y), m */
  position: Vec2;
  /** speed (m/s) and heading (rad from +x) */
  velocity: Velocity;
}
