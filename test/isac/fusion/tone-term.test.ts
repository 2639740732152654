import { describe, expect, it } from 'vitest';
import { hornerAbs, hornerAbsDerivative } from '../../../src/isac/fusion/horner.js';
import { detectTone } from '../../../src/math/exact-tone.js';
import { toneAbs, toneAbsDerivative } from '../../../src/isac/fusion/tone-term.js';
import { Rng } from '../../../src/math/rng.js';

/** A e^{jkω}, k = 0..n−1, interleaved (cos/sin per entry, as the structured CP writes its factors). */
function tone(n: number, ar: number, ai: number, omega: number): Float64Array {
  const x = new Float64Array(2 * n);
  for (let k = 0; k < n; k++) {
    const c = Math.cos(k * omega);
    const s = Math.sin(k * omega);
    x[2 * k] = ar * c - ai * s;
    x[2 * k + 1] = ar * s + ai * c;
  }
  return x;
}

describe('closed-form tone terms of (P3)/(P4) (Dirichlet kernel)', () => {
  it('equal the Horner sums and their derivatives, at random phases and next to the peak', () => {
    const rng = new Rng(['tone-term']);
    for (const n of [2, 8, 128]) {
      for (let trial = 0; trial < 20; trial++) {
        const omega = rng.uniformIn(-Math.PI, Math.PI);
        const x = tone(n, rng.normal() / Math.sqrt(n), rng.normal() / Math.sqrt(n), omega);
        const t = detectTone(x, 0, n)!;
        expect(t).not.toBeNull();
        const peak = hornerAbs(x, 0, n, 1, 0) + Math.hypot(x[0]!, x[1]!) * n; // scale of the term
        // φ at random, and θ = ω + φ at 0, 1e-9, 1e-3/n, the series boundary 0.05/n either side, 2π
        const phis = [rng.uniformIn(-10, 10), -omega, -omega + 1e-9, -omega + 1e-3 / n, -omega + 0.0499 / n];
        phis.push(-omega + 0.0501 / n, -omega + 2 * Math.PI + 1e-4, rng.uniformIn(-3, 3));
        const out = new Float64Array(2);
        const ref = new Float64Array(2);
        for (const phi of phis) {
          const c = Math.cos(phi);
          const s = Math.sin(phi);
          expect(Math.abs(toneAbs(t, n, phi) - hornerAbs(x, 0, n, c, s))).toBeLessThan(1e-12 * peak);
          toneAbsDerivative(t, n, phi, out);
          hornerAbsDerivative(x, 0, n, c, s, ref);
          expect(Math.abs(out[0]! - ref[0]!)).toBeLessThan(1e-12 * peak);
          // the derivative scales like n x the value
          expect(Math.abs(out[1]! - ref[1]!)).toBeLessThan(1e-10 * n * peak);
        }
      }
    }
  });

  it('detects only exact tones: a factor with noise of 1e-9 or a second tone is left to Horner', () => {
    const x = tone(64, 0.3, -0.1, 0.7);
    expect(detectTone(x, 0, 64)).not.toBeNull();
    const noisy = x.slice();
    noisy[77] = noisy[77]! + 1e-9;
    expect(detectTone(noisy, 0, 64)).toBeNull();
    const two = tone(64, 0.3, -0.1, 0.7);
    const other = tone(64, 0.01, 0, 0.9);
    for (let k = 0; k < two.length; k++) two[k] = two[k]! + other[k]!;
    expect(detectTone(two, 0, 64)).toBeNull();
    expect(detectTone(new Float64Array(8), 0, 4)).toBeNull(); // zero factor
  });
});
