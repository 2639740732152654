/**
 * Projection onto the disc {a : ||a||₂ <= ε} (P2.1, eq. 24; Appendix B, eq. 60):
 *   Proj(v) = v                 when ||v|| <= ε,
 *             ε v / ||v||       otherwise.
 * Reads v = (v[i], v[i+1]) and writes the projection to out[o], out[o+1]. ε >= 0.
 * Returns the multiplier ν >= 0 of the KKT system a − v + ν a = 0, ν (||a||² − ε²) = 0
 * (ν = ||v||/ε − 1 on the boundary, 0 inside; Infinity when ε = 0 and v ≠ 0).
 */
export function projectDisc(vx: number, vy: number, radius: number, out: Float64Array, o: number): number {
  const n = Math.hypot(vx, vy);
  if (n <= radius) {
    out[o] = vx;
    out[o + 1] = vy;
    return 0;
  }
  if (!(radius > 0)) {
    out[o] = 0;
    out[o + 1] = 0;
    return Infinity;
  }
  const s = radius / n;
  out[o] = vx * s;
  out[o + 1] = vy * s;
  return n / radius - 1;
}

/**
 * Projects the AP positions of a layout onto their discs ||c_l − ĉ_l|| <= ε, in place
 * (z = [x_1, y_1, ..., x_L, y_L, ...], ĉ = [x̂_1, ŷ_1, ...]).
 */
export function projectPositions(
  z: Float64Array,
  nominal: ArrayLike<number>,
  radius: number,
  L: number,
): void {
  const tmp = projectPositions.tmp;
  for (let l = 0; l < L; l++) {
    const cx = nominal[2 * l] as number;
    const cy = nominal[2 * l + 1] as number;
    projectDisc((z[2 * l] as number) - cx, (z[2 * l + 1] as number) - cy, radius, tmp, 0);
    z[2 * l] = cx + (tmp[0] as number);
    z[2 * l + 1] = cy + (tmp[1] as number);
  }
}
projectPositions.tmp = new Float64Array(2);
