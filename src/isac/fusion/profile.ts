/** Estimation profiles (the paper's Fig. 8): normalised objective surfaces and their peaks. */

/** A local maximum of a surface on its grid. */
export interface SurfacePeak {
  /** grid indices (column i over x, row j over y) */
  i: number;
  j: number;
  value: number;
}

/**
 * Combines per-target surfaces (each nx·ny, rows over y) into one: every surface divided by its own
 * peak (so each target's peak is 1), then the maximum over targets at each grid point. A surface
 * whose peak is not positive contributes 0.
 */
export function combineNormalised(surfaces: readonly Float64Array[], size: number): Float64Array {
  const out = new Float64Array(size);
  for (const s of surfaces) {
    let peak = 0;
    for (let k = 0; k < size; k++) if (s[k]! > peak) peak = s[k]!;
    if (!(peak > 0)) continue;
    for (let k = 0; k < size; k++) {
      const v = s[k]! / peak;
      if (v > out[k]!) out[k] = v;
    }
  }
  return out;
}

/**
 * Local maxima of a grid surface at or above `threshold`, best first. A point is a peak when it is
 * >= its 8 neighbours and > those earlier in row-major order (one point per plateau). With
 * `periodicX` the x axis wraps (e.g. a heading axis over a full turn).
 */
export function localMaxima(
  values: Float64Array,
  nx: number,
  ny: number,
  threshold: number,
  periodicX = false,
): SurfacePeak[] {
  const out: SurfacePeak[] = [];
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const v = values[j * nx + i]!;
      if (!(v >= threshold)) continue;
      let peak = true;
      for (let dj = -1; dj <= 1 && peak; dj++) {
        const jj = j + dj;
        if (jj < 0 || jj >= ny) continue;
        for (let di = -1; di <= 1; di++) {
          if (di === 0 && dj === 0) continue;
          let ii = i + di;
          if (ii < 0 || ii >= nx) {
            if (!periodicX) continue;
            ii = (ii + nx) % nx;
          }
          const w = values[jj * nx + ii]!;
          const earlier = jj * nx + ii < j * nx + i;
          if (w > v || (earlier && w === v)) {
            peak = false;
            break;
          }
        }
      }
      if (peak) out.push({ i, j, value: v });
    }
  }
  return out.sort((a, b) => b.value - a.value);
}

/**
 * Labels peaks with the nearest true target within `radius` (distance given by `dist`), each target
 * at most once (best peaks first). Returns per peak the target index or null (a ghost).
 */
export function labelPeaks<P, T>(
  peaks: readonly P[],
  truth: readonly T[],
  radius: number,
  dist: (p: P, t: T) => number,
): Array<number | null> {
  const used = new Set<number>();
  return peaks.map((p) => {
    let best: number | null = null;
    let bd = radius;
    truth.forEach((t, u) => {
      if (used.has(u)) return;
      const d = dist(p, t);
      if (d <= bd) {
        bd = d;
        best = u;
      }
    });
    if (best !== null) used.add(best);
    return best;
  });
}
