/** A uniform grid axis: start + k·step, k = 0..count−1. */
export interface GridAxis {
  start: number;
  step: number;
  count: number;
}

/** Largest grid (points) a lattice or profile evaluates; finer grids are refused. */
export const MAX_GRID_POINTS = 20_000_000;

/** The axis lo, lo + step, ... up to hi (inclusive within 1e-9 of a step). step > 0, lo <= hi. */
export function gridAxis(lo: number, hi: number, step: number): GridAxis {
  if (!(step > 0) || !Number.isFinite(step))
    throw new RangeError(`grid step must be a finite number > 0 (got ${step})`);
  if (!(hi >= lo)) throw new RangeError(`grid range [${lo}, ${hi}] is empty`);
  return { start: lo, step, count: Math.floor((hi - lo) / step + 1e-9) + 1 };
}

/**
 * The points of the global lattice {k·step, k integer} inside [lo, hi] (at least the one nearest the
 * middle when none falls inside). Anchoring at multiples of the step, not at the box corner, keeps a
 * box centred on an estimate from putting a grid point on that estimate.
 */
export function latticeAxis(lo: number, hi: number, step: number): GridAxis {
  if (!(step > 0) || !Number.isFinite(step))
    throw new RangeError(`grid step must be a finite number > 0 (got ${step})`);
  if (!(hi >= lo)) throw new RangeError(`grid range [${lo}, ${hi}] is empty`);
  const k0 = Math.ceil(lo / step - 1e-9);
  const k1 = Math.floor(hi / step + 1e-9);
  if (k1 < k0) return { start: Math.round((lo + hi) / 2 / step) * step, step, count: 1 };
  return { start: k0 * step, step, count: k1 - k0 + 1 };
}

/** The periodic axis [lo, lo + period) with about `step` spacing (count = ceil(period/step)). */
export function periodicAxis(lo: number, period: number, step: number): GridAxis {
  if (!(step > 0) || !Number.isFinite(step))
    throw new RangeError(`grid step must be a finite number > 0 (got ${step})`);
  const count = Math.max(1, Math.ceil(period / step - 1e-9));
  return { start: lo, step: period / count, count };
}

export function axisValues(a: GridAxis): number[] {
  return Array.from({ length: a.count }, (_, k) => a.start + k * a.step);
}

/** The point of a 2-D grid where `score(x, y)` is largest (first one on ties). */
export function gridArgmax(
  score: (x: number, y: number) => number,
  ax: GridAxis,
  ay: GridAxis,
): { x: number; y: number; value: number; evaluations: number } {
  const total = ax.count * ay.count;
  if (total > MAX_GRID_POINTS)
    throw new RangeError(
      `grid of ${ax.count} x ${ay.count} = ${total} points exceeds ${MAX_GRID_POINTS}; use a coarser step`,
    );
  let best = -Infinity;
  let bx = ax.start;
  let by = ay.start;
  for (let j = 0; j < ay.count; j++) {
    const y = ay.start + j * ay.step;
    for (let i = 0; i < ax.count; i++) {
      const x = ax.start + i * ax.step;
      const v = score(x, y);
      if (v > best) {
        best = v;
        bx = x;
        by = y;
      }
    }
  }
  return { x: bx, y: by, value: best, evaluations: total };
}

/** score(x, y) over the grid: rows over y (values[j][i] at (xs[i], ys[j])). */
export function gridValues(
  score: (x: number, y: number) => number,
  ax: GridAxis,
  ay: GridAxis,
): Float64Array {
  const total = ax.count * ay.count;
  if (total > MAX_GRID_POINTS)
    throw new RangeError(
      `grid of ${ax.count} x ${ay.count} = ${total} points exceeds ${MAX_GRID_POINTS}; use a coarser step`,
    );
  const out = new Float64Array(total);
  for (let j = 0; j < ay.count; j++) {
    const y = ay.start + j * ay.step;
    for (let i = 0; i < ax.count; i++) out[j * ax.count + i] = score(ax.start + i * ax.step, y);
  }
  return out;
}
