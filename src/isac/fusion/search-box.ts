import type { Box } from '../../solvers/solver.js';
import { SPEED_OF_LIGHT } from '../constants.js';
import { isRandomTargets, type Scenario, type Vec2 } from '../scenario-types.js';

/** A location search box option: 'auto' or explicit opposite corners [[x0, y0], [x1, y1]] in m. */
export type LocationBoxSpec = 'auto' | [Vec2, Vec2];

/** A speed limit option: 'auto' or v_max in m/s. */
export type SpeedLimitSpec = 'auto' | number;

/** Corners in (min, max) order. */
export function normaliseCorners(c: readonly [Vec2, Vec2]): [Vec2, Vec2] {
  return [
    [Math.min(c[0][0], c[1][0]), Math.min(c[0][1], c[1][1])],
    [Math.max(c[0][0], c[1][0]), Math.max(c[0][1], c[1][1])],
  ];
}

/** The area random targets are drawn from (Section V: (125, 125)-(225, 225) m), or undefined for fixed targets. */
export function targetArea(scenario: Scenario): [Vec2, Vec2] | undefined {
  return isRandomTargets(scenario.targets) ? normaliseCorners(scenario.targets.random.area) : undefined;
}

/**
 * The location search box of one target: the explicit corners; or ('auto') the scenario's target
 * area when targets are random (the paper's area of interest); or, for fixed targets, the
 * association's fitted position ± `marginM` in each coordinate.
 */
export function locationBox(spec: LocationBoxSpec, scenario: Scenario, fit: Vec2, marginM: number): Box {
  let c: [Vec2, Vec2];
  if (spec !== 'auto') c = normaliseCorners(spec);
  else {
    const area = targetArea(scenario);
    const fx = Number.isFinite(fit[0]) ? fit[0] : 0;
    const fy = Number.isFinite(fit[1]) ? fit[1] : 0;
    c = area ?? [
      [fx - marginM, fy - marginM],
      [fx + marginM, fy + marginM],
    ];
  }
  return { lower: Float64Array.of(c[0][0], c[0][1]), upper: Float64Array.of(c[1][0], c[1][1]) };
}

/** Fraction above the random targets' top speed that the 'auto' speed limit allows. */
export const AUTO_SPEED_HEADROOM = 1.25;

/**
 * v_max of the velocity search box: the number given; or ('auto') 1.25 × the random targets' top
 * speed (150 m/s for Section V's 90-120 m/s); for fixed targets the largest speed whose Doppler is
 * unambiguous, c/(4 f_c T) (|f_D| < 1/(2T); about 600 m/s for the paper's system).
 */
export function speedLimit(spec: SpeedLimitSpec, scenario: Scenario): number {
  if (spec !== 'auto') return spec;
  if (isRandomTargets(scenario.targets))
    return AUTO_SPEED_HEADROOM * Math.max(...scenario.targets.random.speed.map(Math.abs));
  const s = scenario.system;
  return SPEED_OF_LIGHT / (4 * s.carrierHz * s.symbolDurationS);
}

/** Velocity box of (P4): speed in [0, v_max], heading in [−π, π]. */
export function velocityBox(speedMax: number): Box {
  return { lower: Float64Array.of(0, -Math.PI), upper: Float64Array.of(speedMax, Math.PI) };
}

/** Heading wrapped to (−π, π]. */
export function wrapHeading(h: number): number {
  let w = Math.atan2(Math.sin(h), Math.cos(h));
  if (w === -Math.PI) w = Math.PI;
  return w;
}

/** The box as [[lo0, lo1], [hi0, hi1]] (for records). */
export function boxCorners(b: Box): [Vec2, Vec2] {
  return [
    [b.lower[0]!, b.lower[1]!],
    [b.upper[0]!, b.upper[1]!],
  ];
}

/**
 * Why an explicit location box cannot find the scenario's targets, or undefined when it can: the
 * box must contain the random targets' area, or every fixed target.
 */
export function boxCoverageProblem(spec: LocationBoxSpec, scenario: Scenario): string | undefined {
  if (spec === 'auto') return undefined;
  const [lo, hi] = normaliseCorners(spec);
  const fmt = (c: readonly [Vec2, Vec2]) => `[[${c[0].join(', ')}], [${c[1].join(', ')}]]`;
  const inside = (p: Vec2) => p[0] >= lo[0] && p[0] <= hi[0] && p[1] >= lo[1] && p[1] <= hi[1];
  const area = targetArea(scenario);
  if (area) {
    if (!inside(area[0]) || !inside(area[1]))
      return `the search box ${fmt([lo, hi])} does not contain the scenario's target area ${fmt(area)} (scenario.targets.random.area): targets outside the box cannot be found; widen the box or use 'auto' (= the area)`;
    return undefined;
  }
  const targets = scenario.targets as Array<{ position: Vec2 }>;
  const out = targets.findIndex((t) => !inside(t.position));
  if (out >= 0)
    return `the search box ${fmt([lo, hi])} does not contain target ${out} at [${targets[out]!.position.join(', ')}]: it cannot be found; widen the box or use 'auto' (= the association's fit ± marginM)`;
  return undefined;
}
