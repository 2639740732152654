import { optionError } from '../../src/plugin.js';
import type { DesignTarget } from '../../src/isac/placement/index.js';
import type { Target } from '../../src/isac/scenario-types.js';
import type { Rng } from '../../src/math/rng.js';
import type { PlacementOptimizerParams } from './placement-params.js';

const OWNER = 'placement-optimizer';

/** The design targets of a frame: the truth, a random draw from `rng`, or the given list. */
export function resolveDesignTargets(
  spec: PlacementOptimizerParams['designTargets'],
  truth: readonly Target[],
  rng: Rng,
): DesignTarget[] {
  if (spec === 'truth') {
    if (truth.length === 0)
      throw optionError(
        OWNER,
        'designTargets',
        'the frame has no targets; give designTargets as { random: {...} } or a list',
      );
    return truth.map((t) => ({
      x: t.position[0],
      y: t.position[1],
      speed: t.velocity.speed,
      heading: t.velocity.heading,
    }));
  }
  if (Array.isArray(spec))
    return spec.map((t) => ({
      x: t.position[0],
      y: t.position[1],
      speed: t.velocity.speed,
      heading: t.velocity.heading,
    }));
  const r = spec.random;
  const out: DesignTarget[] = [];
  for (let u = 0; u < r.count; u++) {
    out.push({
      x: rng.uniformIn(r.area[0][0], r.area[1][0]),
      y: rng.uniformIn(r.area[0][1], r.area[1][1]),
      speed: rng.uniformIn(r.speed[0], r.speed[1]),
      heading: rng.uniformIn(r.heading[0], r.heading[1]),
    });
  }
  return out;
}

/**
 * Refuses a problem whose disc comes within `margin` of a design target: as an AP approaches a
 * target its CRB → 0, so (P0) has no minimum there (and ADMM is drawn to it; model notes).
 * Requires |t_u − ĉ_l| >= ε + margin for every target u and AP l.
 */
export function checkTargetMargin(
  targets: readonly DesignTarget[],
  nominal: Float64Array,
  radius: number,
  margin: number,
): void {
  const L = nominal.length / 2;
  for (let l = 0; l < L; l++) {
    const cx = nominal[2 * l] as number;
    const cy = nominal[2 * l + 1] as number;
    for (let u = 0; u < targets.length; u++) {
      const t = targets[u] as DesignTarget;
      const d = Math.hypot(t.x - cx, t.y - cy);
      if (!(d >= radius + margin)) {
        throw optionError(
          OWNER,
          'radiusM',
          `AP ${l + 1} at (${cx}, ${cy}) may move ${radius} m, which brings it within ${Math.max(0, d - radius).toFixed(3)} m of design target ${u + 1} at ` +
            `(${t.x.toFixed(3)}, ${t.y.toFixed(3)}) (distance ${d.toFixed(3)} m); the CRB → 0 as an AP reaches a target, so the problem is unbounded there. ` +
            `Keep every design target at least radiusM + targetMarginM = ${radius + margin} m from every AP: use radiusM <= ${Math.max(0, d - margin).toFixed(3)} or move the targets`,
        );
      }
    }
  }
}
