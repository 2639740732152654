import { describe, expect, it } from 'vitest';
import { Radix2Fft } from '../../src/math/fft-radix2.js';

/** Direct O(N²) DFT, X[k] = Σ x[n] e^{−j2πkn/N}. */
function dft(x: Float64Array, n: number, off: number, stride: number): Float64Array {
  const out = new Float64Array(2 * n);
  for (let k = 0; k < n; k++) {
    let sr = 0;
    let si = 0;
    for (let j = 0; j < n; j++) {
      const xr = x[2 * (off + j * stride)]!;
      const xi = x[2 * (off + j * stride) + 1]!;
      const a = (-2 * Math.PI * k * j) / n;
      sr += xr * Math.cos(a) - xi * Math.sin(a);
      si += xr * Math.sin(a) + xi * Math.cos(a);
    }
    out[2 * k] = sr;
    out[2 * k + 1] = si;
  }
  return out;
}

describe('Radix2Fft', () => {
  for (const n of [1, 2, 4, 8, 64, 128]) {
    it(`transform equals the direct DFT (n = ${n})`, () => {
      const x = Float64Array.from(
        { length: 2 * (n + 3) },
        (_, i) => Math.sin(1.7 * i) + 0.3 * Math.cos(0.11 * i * i),
      );
      const want = dft(x, n, 3, 1);
      const y = x.slice();
      new Radix2Fft(n).transform(y, 3);
      for (let k = 0; k < 2 * n; k++) expect(y[6 + k]).toBeCloseTo(want[k]!, 10);
      for (let k = 0; k < 6; k++) expect(y[k]).toBe(x[k]); // nothing outside the span touched
    });
  }

  it.each([1, 2, 8, 16, 128])(
    'transformRows is the DFT of every column of an n x w block (n = %i: stages in pairs, one left over when log2 n is odd)',
    (n) => {
      const w = 5;
      const x = Float64Array.from(
        { length: 2 * n * w },
        (_, i) => Math.cos(0.37 * i) - 0.2 * Math.sin(0.05 * i * i),
      );
      const y = x.slice();
      new Radix2Fft(n).transformRows(y, 0, w);
      for (let c = 0; c < w; c++) {
        const want = dft(x, n, c, w);
        for (let k = 0; k < n; k++) {
          expect(y[2 * (k * w + c)]).toBeCloseTo(want[2 * k]!, 10);
          expect(y[2 * (k * w + c) + 1]).toBeCloseTo(want[2 * k + 1]!, 10);
        }
      }
    },
  );

  it.each([1, 2, 8, 16, 128])(
    'transformRows with a power map adds |DFT|² of every output (n = %i: in the last stage or after it), accumulating over blocks',
    (n) => {
      const w = 3;
      const blocks = [0, 1].map((b) =>
        Float64Array.from(
          { length: 2 * n * w },
          (_, i) => Math.cos(0.37 * i + b) - 0.2 * Math.sin(0.05 * i * i),
        ),
      );
      const power = new Float64Array(n * w).fill(0.5); // accumulates on what is there
      const fft = new Radix2Fft(n);
      const want = new Float64Array(n * w).fill(0.5);
      for (const x of blocks) {
        const y = x.slice();
        fft.transformRows(y, 0, w, power);
        const plain = x.slice();
        fft.transformRows(plain, 0, w); // the DFT (test above)
        expect(Array.from(y)).toEqual(Array.from(plain)); // the transform itself is unchanged
        for (let i = 0; i < n * w; i++) want[i] = want[i]! + plain[2 * i]! ** 2 + plain[2 * i + 1]! ** 2;
      }
      for (let i = 0; i < n * w; i++) expect(power[i]! / want[i]!).toBeCloseTo(1, 14);
    },
  );

  it.each([1, 2, 8, 16, 128])(
    'transformRowsReversed on rows stored at reversed(i) gives transformRows of the natural order (n = %i)',
    (n) => {
      const w = 3;
      const fft = new Radix2Fft(n);
      const x = Float64Array.from(
        { length: 2 * n * w },
        (_, i) => Math.sin(0.29 * i) + 0.1 * Math.cos(0.031 * i * i),
      );
      const moved = new Float64Array(x.length);
      for (let i = 0; i < n; i++) moved.set(x.subarray(2 * i * w, 2 * (i + 1) * w), 2 * fft.reversed(i) * w);
      const want = x.slice();
      const pw = new Float64Array(n * w);
      const pm = new Float64Array(n * w);
      fft.transformRows(want, 0, w, pw);
      fft.transformRowsReversed(moved, 0, w, pm);
      expect(Array.from(moved)).toEqual(Array.from(want));
      expect(Array.from(pm)).toEqual(Array.from(pw));
    },
  );

  it('refuses a size that is not a power of two', () => {
    expect(() => new Radix2Fft(12)).toThrow(/power of two/);
  });
});
