import FFT from 'fft.js';

interface FftJs {
  createComplexArray(): number[];
  transform(out: Float64Array, data: Float64Array): void;
  inverseTransform(out: Float64Array, data: Float64Array): void;
}

const cache = new Map<number, FftJs>();

/** fft.js instance for size n (a power of two >= 2), cached. */
function plan(n: number): FftJs {
  let p = cache.get(n);
  if (!p) {
    if (n < 2 || (n & (n - 1)) !== 0) throw new Error(`FFT size must be a power of two >= 2 (got ${n})`);
    p = new (FFT as unknown as new (n: number) => FftJs)(n);
    cache.set(n, p);
  }
  return p;
}

/**
 * Forward DFT X[k] = Σ_n x[n] e^{−j2πkn/N} of `n` interleaved complex values: `out` and `input`
 * are distinct Float64Arrays of length 2n.
 */
export function fft(out: Float64Array, input: Float64Array, n: number): void {
  plan(n).transform(out, input);
}

/** Inverse DFT x[n] = (1/N) Σ_k X[k] e^{+j2πkn/N} (fft.js already divides by N). */
export function ifft(out: Float64Array, input: Float64Array, n: number): void {
  plan(n).inverseTransform(out, input);
}

/** Smallest power of two >= n. */
export function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p <<= 1;
  return p;
}
