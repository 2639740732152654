import { afterEach, describe, expect, it } from 'vitest';
import { cpDecompose } from '../../../src/isac/cp/cp-decompose.js';
import { fftInit } from '../../../src/isac/cp/fft-init.js';
import { trialTargets } from '../../../src/core/engine.js';
import { defaultScenario, sectionVRandomTargets } from '../../../src/isac/default-scenario.js';
import { synthesizeEcho, type EchoTensor } from '../../../src/isac/echo-model.js';
import { Rng } from '../../../src/math/rng.js';
import { useWasmKernels } from '../../../src/math/wasm/kernels.js';

afterEach(() => useWasmKernels(true));

/** Fig. 9 echoes: 3 random targets, radar path loss, the 4 APs of the paper, one trial. */
function fig9Echoes(db: number, trial: number): EchoTensor[] {
  const sc = defaultScenario();
  sc.targets = sectionVRandomTargets();
  sc.snr = { db, referenceRangeM: 250, pathLoss: 'radar' };
  const targets = trialTargets(sc, 5, trial);
  return sc.aps.map(
    (ap, l) => synthesizeEcho(sc.system, ap, targets, sc.snr, new Rng(['wasm-path', db, trial, l])).tensor,
  );
}

/** Every number of the decomposition, in one list (Object.is comparison below). */
function numbers(d: ReturnType<typeof cpDecompose>): number[] {
  return [
    ...d.angle,
    ...d.delay,
    ...d.doppler,
    d.noiseVariance,
    d.relativeFitError,
    d.iterations,
    d.finishIterations,
  ];
}

describe('CP with the WebAssembly kernels', () => {
  it('cpDecompose gives the JavaScript path’s numbers bit for bit (Fig. 9 frames, −20..30 dB, rank 3 and auto)', () => {
    let compared = 0;
    for (const db of [-20, 0, 30])
      for (const t of fig9Echoes(db, db + 20)) {
        for (const rank of [3, 'auto'] as const) {
          useWasmKernels(false);
          const js = cpDecompose(t, { rank, structure: 'tones', init: 'auto', finish: 'lm' });
          useWasmKernels(true);
          const simd = cpDecompose(t, { rank, structure: 'tones', init: 'auto', finish: 'lm' });
          expect(simd.rank).toBe(js.rank);
          const a = numbers(js);
          const b = numbers(simd);
          expect(b.length).toBe(a.length);
          expect(b.every((v, i) => Object.is(v, a[i]))).toBe(true);
          compared++;
        }
      }
    expect(compared).toBe(24);
  });

  it('the unstructured path (structure none: ALS, the LM residual pass in WebAssembly) is the same bit for bit', () => {
    let compared = 0;
    for (const db of [-10, 10])
      for (const t of fig9Echoes(db, db + 40).slice(0, 2)) {
        useWasmKernels(false);
        const js = cpDecompose(t, { rank: 3, structure: 'none' });
        useWasmKernels(true);
        const simd = cpDecompose(t, { rank: 3, structure: 'none' });
        const a = numbers(js);
        const b = numbers(simd);
        expect(b.every((v, i) => Object.is(v, a[i]))).toBe(true);
        expect(simd.finishIterations).toBeGreaterThan(0);
        compared++;
      }
    expect(compared).toBe(4);
  });

  it('the FFT start’s spectra and power map: equal on both paths, and the 2-D DFT of each antenna (theory)', () => {
    const t = fig9Echoes(0, 1)[2]!;
    useWasmKernels(false);
    const js = fftInit(t, 3, { threshold: 0.1, maxRank: 8, keepSpectrum: true });
    const F = Float64Array.from(js.spectrum!.F);
    const P = Float64Array.from(js.spectrum!.P!);
    useWasmKernels(true);
    const simd = fftInit(t, 3, { threshold: 0.1, maxRank: 8, keepSpectrum: true });
    expect(simd.spectrum!.F.every((v, i) => Object.is(v, F[i]))).toBe(true);
    expect(simd.spectrum!.P!.every((v, i) => Object.is(v, P[i]))).toBe(true);
    expect(simd.peaks.map((p) => [p.kr, p.kd])).toEqual(js.peaks.map((p) => [p.kr, p.kd]));
    // spot checks against the direct 2-D DFT: F_p[kr, kd] = Σ_{n,k} Y[p, n, k] e^{−j2π(kr n/nr + kd k/nd)}
    const { nr, nd } = simd.spectrum!;
    const { nc, m, data } = t;
    let scale = 0;
    for (let i = 0; i < data.length; i++) scale += Math.abs(data[i]!);
    for (const [p, kr, kd] of [
      [0, 0, 0],
      [3, 17, 101],
      [7, 127, 5],
      [5, simd.peaks[0]!.kr, simd.peaks[0]!.kd],
    ] as const) {
      let sr = 0;
      let si = 0;
      let pw = 0;
      for (let q = 0; q < t.na; q++) {
        let qr = 0;
        let qi = 0;
        for (let n = 0; n < nc; n++)
          for (let k = 0; k < m; k++) {
            const a = -2 * Math.PI * ((kr * n) / nr + (kd * k) / nd);
            const yr = data[2 * ((q * nc + n) * m + k)]!;
            const yi = data[2 * ((q * nc + n) * m + k) + 1]!;
            qr += yr * Math.cos(a) - yi * Math.sin(a);
            qi += yr * Math.sin(a) + yi * Math.cos(a);
          }
        pw += qr * qr + qi * qi;
        if (q === p) {
          sr = qr;
          si = qi;
        }
      }
      const o = 2 * ((p * nr + kr) * nd + kd);
      expect(Math.hypot(simd.spectrum!.F[o]! - sr, simd.spectrum!.F[o + 1]! - si)).toBeLessThan(
        1e-12 * scale,
      );
      expect(Math.abs(simd.spectrum!.P![kr * nd + kd]! - pw)).toBeLessThan(1e-10 * pw + 1e-12 * scale);
    }
  });
});
