import { phaseRamp, type ComplexArray } from '../math/complex.js';

/**
 * Receive steering vector a_r(θ)[p] = exp(j2π p κ sin θ), p = 1..N_A  (eq. 2).
 * Writes n complex values into `out` (interleaved) starting at complex offset `off`.
 */
export function angleSteering(sinTheta: number, kappa: number, n: number, out: ComplexArray, off = 0): void {
  const w = 2 * Math.PI * kappa * sinTheta;
  phaseRamp(out, n, w, w, 1, off);
}

/** Delay steering vector a_d(τ)[n] = exp(−j2π n Δf τ), n = 1..N_c  (eq. 33). τ in s, Δf in Hz. */
export function delaySteering(tau: number, df: number, n: number, out: ComplexArray, off = 0): void {
  const w = -2 * Math.PI * df * tau;
  phaseRamp(out, n, w, w, 1, off);
}

/** Doppler steering vector a_f(f_D)[m] = exp(j2π m T f_D), m = 1..M  (eq. 34 with T, model notes). */
export function dopplerSteering(fd: number, symbolT: number, n: number, out: ComplexArray, off = 0): void {
  const w = 2 * Math.PI * symbolT * fd;
  phaseRamp(out, n, w, w, 1, off);
}
