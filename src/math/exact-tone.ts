import { lagOnePhase, phaseRamp } from './complex.js';

/**
 * Detection of factors that are exact tones A e^{jkω}, as the structured CP (cp-decomposer
 * `structure: tones`) returns them: the fusion objectives (P3)/(P4) then use closed forms
 * (src/isac/fusion/tone-term.ts) and MUSIC reads the frequency off directly (src/isac/music).
 */

/** A factor detected as an exact tone: |A| and its phase step ω (rad per sample). */
export interface ToneTerm {
  amp: number;
  omega: number;
}

/** Largest deviation from the fitted tone, relative to |A|, for a factor to count as a tone. */
export const TONE_TOLERANCE = 1e-11;

/**
 * The tone A e^{jkω} that the n values of x at complex offset `off` are, or null when they are not
 * one (deviation above TONE_TOLERANCE |A| at some k) or n < 2. ω is the phase of Σ conj(x_k) x_{k+1}.
 */
export function detectTone(x: Float64Array, off: number, n: number): ToneTerm | null {
  if (n < 2) return null;
  const b = 2 * off;
  const ar = x[b] as number;
  const ai = x[b + 1] as number;
  const amp = Math.sqrt(ar * ar + ai * ai);
  if (!(amp > 0) || !Number.isFinite(amp)) return null;
  const omega = lagOnePhase(x, off, n);
  const tol = TONE_TOLERANCE * amp;
  const ramp = new Float64Array(2 * n);
  phaseRamp(ramp, n, 0, omega);
  for (let k = 1; k < n; k++) {
    const c = ramp[2 * k] as number;
    const s = ramp[2 * k + 1] as number;
    const er = (x[b + 2 * k] as number) - (ar * c - ai * s);
    const ei = (x[b + 2 * k + 1] as number) - (ar * s + ai * c);
    if (!(Math.abs(er) <= tol && Math.abs(ei) <= tol)) return null;
  }
  return { amp, omega };
}
