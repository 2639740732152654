/**
 * Steady-state theory of linear filters on the constant-velocity model of one axis, state (p, v),
 * written for the tests with general 2x2 matrix algebra and independent of src/isac/tracking:
 * F = [[1, dt], [0, 1]], Q = q·[[dt³/3, dt²/2], [dt²/2, dt]] (continuous white-noise acceleration),
 * measurement z = H x + n with H = I (position and velocity) or H = [1 0] (position only).
 */

/** Row-major 2x2 matrix [m00, m01, m10, m11]. */
export type M2 = [number, number, number, number];

export const mul = (a: M2, b: M2): M2 => [
  a[0] * b[0] + a[1] * b[2],
  a[0] * b[1] + a[1] * b[3],
  a[2] * b[0] + a[3] * b[2],
  a[2] * b[1] + a[3] * b[3],
];
export const add = (a: M2, b: M2): M2 => [a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3]];
export const sub = (a: M2, b: M2): M2 => [a[0] - b[0], a[1] - b[1], a[2] - b[2], a[3] - b[3]];
export const tr = (a: M2): M2 => [a[0], a[2], a[1], a[3]];
export const inv = (a: M2): M2 => {
  const d = a[0] * a[3] - a[1] * a[2];
  return [a[3] / d, -a[1] / d, -a[2] / d, a[0] / d];
};
export const I2: M2 = [1, 0, 0, 1];

export const transition = (dt: number): M2 => [1, dt, 0, 1];
export const processNoise = (dt: number, q: number): M2 => [
  (q * dt ** 3) / 3,
  (q * dt ** 2) / 2,
  (q * dt ** 2) / 2,
  q * dt,
];

export interface Steady {
  /** steady-state Kalman gain K (2x2; for position-only measurements the second column is 0) */
  gain: M2;
  /** steady-state a-posteriori covariance P */
  covariance: M2;
  /** iterations until P changed by less than 1e-14 relative */
  iterations: number;
}

/**
 * Iterates the Riccati recursion P⁻ = F P Fᵀ + Q, K = P⁻Hᵀ(H P⁻ Hᵀ + R)⁻¹, P = (I − KH) P⁻ from
 * P = R (for position-only, P = diag(r_p, r_v)) to its fixed point.
 */
export function riccatiSteadyState(
  dt: number,
  q: number,
  rp: number,
  rv: number,
  positionOnly: boolean,
): Steady {
  const F = transition(dt);
  const Q = processNoise(dt, q);
  let P: M2 = [rp, 0, 0, rv];
  let K: M2 = [0, 0, 0, 0];
  for (let k = 1; k <= 100_000; k++) {
    const Pm = add(mul(mul(F, P), tr(F)), Q);
    if (positionOnly) {
      const s = Pm[0] + rp;
      K = [Pm[0] / s, 0, Pm[2] / s, 0];
    } else {
      K = mul(Pm, inv(add(Pm, [rp, 0, 0, rv])));
    }
    const H: M2 = positionOnly ? [1, 0, 0, 0] : I2;
    const next = mul(sub(I2, mul(K, H)), Pm);
    const change = Math.max(
      ...next.map((x, i) => Math.abs(x - (P[i] as number)) / Math.max(Math.abs(x), 1e-300)),
    );
    P = next;
    if (change < 1e-14) return { gain: K, covariance: P, iterations: k };
  }
  throw new Error('Riccati recursion did not converge');
}

/**
 * Steady-state error covariance Σ of a fixed-gain filter x̂ = F x̂' + K (z − H F x̂') tracking a
 * truth that moves exactly at constant velocity (no process noise): the error obeys
 * e_k = A e_{k−1} + K n_k with A = (I − K H) F, so Σ = A Σ Aᵀ + K R Kᵀ (a discrete Lyapunov
 * equation, solved by iteration; `rho` is the spectral radius of A, the decay per step of the
 * start-up transient).
 */
export function fixedGainErrorCovariance(
  dt: number,
  K: M2,
  rp: number,
  rv: number,
  positionOnly: boolean,
): { covariance: M2; rho: number } {
  const H: M2 = positionOnly ? [1, 0, 0, 0] : I2;
  const A = mul(sub(I2, mul(K, H)), transition(dt));
  const KRKt = mul(mul(K, [rp, 0, 0, rv]), tr(K));
  let S: M2 = [0, 0, 0, 0];
  for (let k = 0; k < 100_000; k++) {
    const next = add(mul(mul(A, S), tr(A)), KRKt);
    const change = Math.max(
      ...next.map((x, i) => Math.abs(x - (S[i] as number)) / Math.max(Math.abs(x), 1e-300)),
    );
    S = next;
    if (change < 1e-14) break;
  }
  const t = A[0] + A[3];
  const det = A[0] * A[3] - A[1] * A[2];
  const disc = (t * t) / 4 - det;
  const rho =
    disc >= 0
      ? Math.max(Math.abs(t / 2 + Math.sqrt(disc)), Math.abs(t / 2 - Math.sqrt(disc)))
      : Math.sqrt(det);
  return { covariance: S, rho };
}

/**
 * Exact error covariance of the Kalman filter at frame `frames − 1`, started from one
 * measurement (error covariance R at frame 0; the filter's own P starts at diag(r_p, r_v)), when
 * the truth has white-noise acceleration of PSD `truthQ` and the filter assumes `q`: the filter's
 * gains K_k from its Riccati recursion, the actual error covariance from
 * Σ⁻ = F Σ Fᵀ + Q_truth, Σ = (I − K H) Σ⁻ (I − K H)ᵀ + K R Kᵀ.
 */
export function errorCovarianceAtFrame(
  dt: number,
  q: number,
  truthQ: number,
  rp: number,
  rv: number,
  positionOnly: boolean,
  frames: number,
): M2 {
  const F = transition(dt);
  const Qf = processNoise(dt, q);
  const Qt = processNoise(dt, truthQ);
  const R: M2 = [rp, 0, 0, rv];
  const H: M2 = positionOnly ? [1, 0, 0, 0] : I2;
  let P: M2 = [rp, 0, 0, rv];
  let S: M2 = [rp, 0, 0, rv];
  for (let k = 1; k < frames; k++) {
    const Pm = add(mul(mul(F, P), tr(F)), Qf);
    const K: M2 = positionOnly
      ? [Pm[0] / (Pm[0] + rp), 0, Pm[2] / (Pm[0] + rp), 0]
      : mul(Pm, inv(add(Pm, R)));
    const IKH = sub(I2, mul(K, H));
    P = mul(IKH, Pm);
    const Sm = add(mul(mul(F, S), tr(F)), Qt);
    S = add(mul(mul(IKH, Sm), tr(IKH)), mul(mul(K, R), tr(K)));
  }
  return S;
}
