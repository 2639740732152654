import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cpDecompose } from '../../../src/isac/cp/cp-decompose.js';
import { fftInit } from '../../../src/isac/cp/fft-init.js';
import { useWasmKernels } from '../../../src/math/wasm/kernels.js';

describe('bounded CLEAN and the structured CP on arbitrary small tensors (fast-check)', () => {
  it("the bounded CLEAN takes the classic CLEAN's cells; cpDecompose returns finite factors, the same bit for bit with and without the WebAssembly kernels (zero padding, R up to 4, tones of amplitude e^-3..e^3 in noise of scale 0, 1e-3, 1 or 1e3)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 0, max: 1e6 }),
        fc.constantFrom(0, 1e-3, 1, 1e3),
        (na, nc, m, R, seed, noise) => {
          let s = seed + 1;
          const rnd = () => {
            s = (s * 16807) % 2147483647;
            return s / 2147483647 - 0.5;
          };
          // noise of scale `noise` plus R tones of random frequencies, amplitudes e^{±3} and angle phases
          const data = new Float64Array(2 * na * nc * m).map(() => noise * rnd());
          for (let r = 0; r < R; r++) {
            const nu = rnd();
            const mu = rnd();
            const amp = Math.exp(6 * rnd());
            for (let p = 0; p < na; p++)
              for (let n = 0; n < nc; n++)
                for (let k = 0; k < m; k++) {
                  const ph = 2 * Math.PI * (nu * n + mu * k + 0.3 * p * r);
                  const o = 2 * ((p * nc + n) * m + k);
                  data[o] = data[o]! + amp * Math.cos(ph);
                  data[o + 1] = data[o + 1]! + amp * Math.sin(ph);
                }
          }
          const t = { na, nc, m, data, noiseVariance: 1 };
          const classic = fftInit(t, R, { threshold: 0.1, maxRank: 8, exactClean: true });
          const bounded = fftInit(t, R, { threshold: 0.1, maxRank: 8 });
          expect(bounded.peaks.map((p) => [p.kr, p.kd])).toEqual(classic.peaks.map((p) => [p.kr, p.kd]));
          const d = cpDecompose(t, { rank: R });
          expect([...d.angle, ...d.delay, ...d.doppler, d.noiseVariance].every(Number.isFinite)).toBe(true);
          // the JavaScript twins of the WebAssembly kernels: the same decomposition bit for bit
          useWasmKernels(false);
          try {
            const js = cpDecompose(t, { rank: R });
            const a = [...js.angle, ...js.delay, ...js.doppler, js.noiseVariance, js.relativeFitError];
            const b = [...d.angle, ...d.delay, ...d.doppler, d.noiseVariance, d.relativeFitError];
            expect(b.every((v, i) => Object.is(v, a[i]))).toBe(true);
          } finally {
            useWasmKernels(true);
          }
        },
      ),
      { numRuns: 400, seed: 20261203 },
    );
  });
});
