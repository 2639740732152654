import { cnorm2 } from '../../math/complex.js';
import type { EchoTensor } from '../echo-model.js';
import type { Ap, SystemParams, Vec2 } from '../scenario-types.js';
import { glrtThreshold } from './glrt.js';
import { reassociateVelocities } from './doppler-lines.js';
import { JointRefiner } from './joint-refine.js';
import { LocationMap } from './location-map.js';

/** A starting point (from SL-MDTS or elsewhere). */
export interface JointStart {
  position: Vec2;
  /** (v cos θ_u, v sin θ_u), m/s */
  velocity: Vec2;
}

export interface JointMlOptions {
  /** 'known' = `count` targets; 'glrt' = from the data with the false-alarm rate `pfa` per frame */
  order: 'known' | 'glrt';
  count: number;
  pfa: number;
  /** search box (location) and the speed limit */
  box: { lower: Vec2; upper: Vec2 };
  speedMax: number;
  /** x-y grid spacing of the location map, m */
  gridM: number;
  /** cyclic sweeps (each target in turn, others fixed) and LM steps per target per sweep */
  cyclicSweeps: number;
  cyclicSteps: number;
  /** joint Gauss-Newton (LM) polish steps */
  polishSteps: number;
  /** map detections tried after the SL-MDTS start (successive cancellation rounds) */
  mapRounds: number;
  /** box margin beyond which a refined target is clipped, m */
  marginM: number;
  /** goodness-of-fit z-score above which the start is questioned (velocity swaps, then the map) */
  misfitZ: number;
  /** targets closer than this are tried with their velocities exchanged, m */
  swapDistanceM: number;
}

export interface JointMlResult {
  /** ψ per target: x, y, v, θ_u */
  targets: Array<{ position: Vec2; speed: number; heading: number; statistic: number }>;
  energy: number;
  threshold: number;
  /** (Σ||y||²/σ² − E − (N − LU))/√N at the end: ≈ N(0, 1) when the targets explain the data */
  misfitZ: number;
  passes: number;
  steps: number;
  mapRoundsUsed: number;
  swaps: number;
}

function psiOf(s: JointStart): number[] {
  return [
    s.position[0],
    s.position[1],
    Math.hypot(s.velocity[0], s.velocity[1]),
    Math.atan2(s.velocity[1], s.velocity[0]),
  ];
}

/**
 * Joint multi-AP multi-target ML (joint-refine.ts) initialised from the SL-MDTS candidates `starts`
 * and the multi-AP location map (location-map.ts) with successive cancellation:
 * 1. refine the starts jointly (cyclic per-target steps, then the joint polish); when the fit is
 *    poor (goodness-of-fit z-score above `misfitZ`: the residual energy exceeds its noise-only
 *    mean by more than misfitZ standard deviations), try exchanging the velocities of close pairs;
 * 2. while the fit is still poor (or fewer targets than the known order), cancel the current targets from the map and take its strongest residual peak; when the
 *    order is not reached (or is from the data and the peak passes the GLRT threshold) add it;
 *    when the order is reached, try it in place of the target that explains the least energy and
 *    keep the swap only if the likelihood (projected energy) grows — a wrong SL-MDTS candidate
 *    (a wrong association) is replaced by the target it missed;
 * 3. with order 'glrt', drop targets whose own statistic E(all) − E(without it) is below the threshold.
 */
export function jointMl(
  echoes: readonly EchoTensor[],
  aps: readonly Ap[],
  sys: SystemParams,
  starts: readonly JointStart[],
  o: JointMlOptions,
): JointMlResult {
  const box = {
    lower: [o.box.lower[0] - o.marginM, o.box.lower[1] - o.marginM] as [number, number],
    upper: [o.box.upper[0] + o.marginM, o.box.upper[1] + o.marginM] as [number, number],
    speedMax: o.speedMax,
  };
  const refiner = new JointRefiner(echoes, aps, sys, box);
  // goodness of fit: Σ_l ||y_l||²/σ_l² − E(ψ) is Gamma(N − LU, 1) when the model (targets) is right
  let total = 0;
  let samples = 0;
  echoes.forEach((e) => {
    total += cnorm2(e.data) / e.noiseVariance;
    samples += e.na * e.nc * e.m;
  });
  const misfit = (): number =>
    (total - refiner.energy - (samples - aps.length * refiner.count)) / Math.sqrt(samples);
  const want = o.order === 'known' ? o.count : Infinity;
  let current = starts.slice(0, o.order === 'known' ? o.count : starts.length).flatMap(psiOf);
  refiner.set(Float64Array.from(current));
  refiner.refine(o.cyclicSweeps, o.cyclicSteps, o.polishSteps);
  current = Array.from(refiner.psi);
  let swaps = 0;
  // 1. close groups whose Doppler lines an association error may have mixed up: re-associate the
  //    lines seen at their cell and try the best assignments
  if (misfit() > o.misfitZ) {
    for (const group of closeGroups(current, o.swapDistanceM)) {
      const pos = group.map((u) => [current[4 * u] as number, current[4 * u + 1] as number] as Vec2);
      for (const vs of reassociateVelocities(echoes, aps, sys, pos, 4)) {
        // skip an assignment that is the current one
        const same = group.every((u, i) => {
          const v = vs[i] as Vec2;
          const sp = current[4 * u + 2] as number;
          const hd = current[4 * u + 3] as number;
          return Math.hypot(v[0] - sp * Math.cos(hd), v[1] - sp * Math.sin(hd)) < 2;
        });
        if (same) continue;
        const trial = current.slice();
        group.forEach((u, i) => {
          const v = vs[i] as Vec2;
          trial[4 * u + 2] = Math.hypot(v[0], v[1]);
          trial[4 * u + 3] = Math.atan2(v[1], v[0]);
        });
        const ok = tryReplace(refiner, current, trial, group, o);
        if (ok) {
          current = Array.from(refiner.psi);
          swaps++;
        }
      }
    }
  }
  // 2. successive cancellation on the residual location map
  let rounds = 0;
  let threshold = NaN;
  let map: LocationMap | undefined;
  for (; rounds < o.mapRounds && (misfit() > o.misfitZ || refiner.count < want); rounds++) {
    map ??= new LocationMap(echoes, aps, sys, o.box, o.gridM);
    if (Number.isNaN(threshold)) threshold = glrtThreshold(o.pfa, map.gridPoints * sys.symbols, aps.length);
    map.cancel(refiner.omegasPerAp(), refiner.alpha);
    const peak = map.peak();
    if (peak.statistic < threshold && refiner.count > 0) break;
    const cand = psiOf({ position: peak.position, velocity: peak.velocity });
    if (refiner.count < want) {
      const before = refiner.energy;
      refiner.set(Float64Array.from([...current, ...cand]));
      refiner.iterate(o.cyclicSteps * o.cyclicSweeps + 2, refiner.count - 1);
      refiner.iterate(o.polishSteps);
      if (o.order === 'glrt' && refiner.energy - before < threshold) {
        refiner.set(Float64Array.from(current));
        break;
      }
      current = Array.from(refiner.psi);
      continue;
    }
    // order reached: try the peak in place of the target nearest to it, then of the weakest one
    const contrib = refiner.contributions();
    let weakest = 0;
    let nearest = 0;
    const dist = (u: number): number =>
      Math.hypot(
        (current[4 * u] as number) - peak.position[0],
        (current[4 * u + 1] as number) - peak.position[1],
      );
    contrib.forEach((c, u) => {
      if (c < (contrib[weakest] as number)) weakest = u;
      if (dist(u) < dist(nearest)) nearest = u;
    });
    // the map's velocity (the Doppler maximum of one cell) can belong to a neighbour: also try the
    // velocities that re-associating the Doppler lines at the peak (alone, and with its nearest
    // target) gives it
    const near: Vec2 = [current[4 * nearest] as number, current[4 * nearest + 1] as number];
    const velocities: Vec2[] = [peak.velocity];
    for (const vs of [
      ...reassociateVelocities(echoes, aps, sys, [peak.position], 1),
      ...reassociateVelocities(echoes, aps, sys, [peak.position, near], 4),
    ]) {
      const v = vs[0] as Vec2;
      if (velocities.every((w) => Math.hypot(w[0] - v[0], w[1] - v[1]) >= 2)) velocities.push(v);
    }
    // replace the nearest, then the weakest, then any other target (two can be wrong)
    const order = [nearest, weakest, ...Array.from({ length: refiner.count }, (_, u) => u)].filter(
      (u, i, a) => a.indexOf(u) === i,
    );
    let replaced = false;
    for (const v of velocities) {
      const c = psiOf({ position: peak.position, velocity: v });
      for (const u of order) {
        const trial = current.slice();
        trial.splice(4 * u, 4, ...c);
        if (tryReplace(refiner, current, trial, [u], o)) {
          replaced = true;
          break;
        }
      }
      if (replaced) break;
    }
    if (!replaced) break;
    current = Array.from(refiner.psi);
    swaps++;
  }
  if (Number.isNaN(threshold)) threshold = glrtThreshold(o.pfa, gridPointsOf(o) * sys.symbols, aps.length);
  let stats = refiner.count > 0 ? refiner.contributions() : [];
  if (o.order === 'glrt') {
    const keep = stats.map((s, u) => (s >= threshold ? u : -1)).filter((u) => u >= 0);
    if (keep.length < refiner.count) {
      current = keep.flatMap((u) => current.slice(4 * u, 4 * u + 4));
      refiner.set(Float64Array.from(current));
      if (refiner.count > 0) refiner.iterate(o.polishSteps);
      stats = refiner.count > 0 ? refiner.contributions() : [];
    }
  }
  const p = refiner.psi;
  return {
    targets: stats.map((statistic, u) => ({
      position: [p[4 * u] as number, p[4 * u + 1] as number],
      speed: p[4 * u + 2] as number,
      heading: p[4 * u + 3] as number,
      statistic,
    })),
    energy: refiner.energy,
    threshold,
    misfitZ: misfit(),
    passes: refiner.stats.passes,
    steps: refiner.stats.steps,
    mapRoundsUsed: rounds,
    swaps,
  };
}

/** Connected groups (size 2..3) of targets closer than `dist` to one another. */
function closeGroups(psi: readonly number[], dist: number): number[][] {
  const U = psi.length >> 2;
  const parent = Array.from({ length: U }, (_, u) => u);
  const find = (u: number): number => (parent[u] === u ? u : (parent[u] = find(parent[u] as number)));
  for (let u = 0; u < U; u++) {
    for (let v = u + 1; v < U; v++) {
      if (
        Math.hypot(
          (psi[4 * u] as number) - (psi[4 * v] as number),
          (psi[4 * u + 1] as number) - (psi[4 * v + 1] as number),
        ) <= dist
      )
        parent[find(u)] = find(v);
    }
  }
  const groups = new Map<number, number[]>();
  for (let u = 0; u < U; u++) groups.set(find(u), [...(groups.get(find(u)) ?? []), u]);
  return [...groups.values()].filter((g) => g.length >= 2 && g.length <= 3);
}

function gridPointsOf(o: JointMlOptions): number {
  const nx = Math.max(2, Math.round((o.box.upper[0] - o.box.lower[0]) / o.gridM) + 1);
  const ny = Math.max(2, Math.round((o.box.upper[1] - o.box.lower[1]) / o.gridM) + 1);
  return nx * ny;
}

/** Refines `trial` (the listed targets first, then jointly); keeps it when the likelihood grows, else restores `current`. */
function tryReplace(
  refiner: JointRefiner,
  current: number[],
  trial: number[],
  moved: number[],
  o: JointMlOptions,
): boolean {
  const before = refiner.energy;
  refiner.set(Float64Array.from(trial));
  for (const u of moved) refiner.iterate(o.cyclicSteps * Math.max(1, o.cyclicSweeps) + 2, u);
  refiner.iterate(o.polishSteps);
  if (refiner.energy > before + 1e-9 * Math.abs(before)) return true;
  refiner.set(Float64Array.from(current));
  return false;
}
