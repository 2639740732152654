import { describe, expect, it } from 'vitest';
import { SPEED_OF_LIGHT } from '../../src/isac/constants.js';
import { defaultScenario } from '../../src/isac/default-scenario.js';
import { echoSnr, synthesizeEcho } from '../../src/isac/echo-model.js';
import { coarseDetections } from '../../src/isac/fft-detector.js';
import { pairGeometry } from '../../src/isac/geometry.js';
import type { Target } from '../../src/isac/scenario-types.js';
import { Rng } from '../../src/math/rng.js';
import { useWasmKernels } from '../../src/math/wasm/kernels.js';

const sc = defaultScenario();
const sys = sc.system;
const targets = sc.targets as Target[];

describe('echo model (eq. 1 with the model notes)', () => {
  it('noise-free echo equals the closed form sample by sample', () => {
    const ap = { position: [350, 0] as [number, number], antennas: 6 };
    const { tensor, amplitudes } = synthesizeEcho(sys, ap, targets, sc.snr, new Rng(['t']), { noise: false });
    const kappa = sys.antennaSpacingWavelengths;
    let maxErr = 0;
    let maxAbs = 0;
    for (let p = 0; p < ap.antennas; p++) {
      for (let n = 0; n < sys.subcarriers; n++) {
        for (let m = 0; m < sys.symbols; m++) {
          let re = 0;
          let im = 0;
          targets.forEach((t, u) => {
            // independent evaluation: direct trigonometry, 1-based indices p, n, m of (1), (2), (33), (34)
            const dx = t.position[0] - ap.position[0];
            const dy = t.position[1] - ap.position[1];
            const r = Math.sqrt(dx * dx + dy * dy);
            const th = Math.atan2(dy, dx);
            const tau = (2 * r) / 299792458;
            const fd =
              (-2 * sys.carrierHz * t.velocity.speed * Math.cos(th - t.velocity.heading)) / 299792458;
            const ph =
              2 *
              Math.PI *
              (fd * (m + 1) * sys.symbolDurationS -
                (n + 1) * sys.subcarrierSpacingHz * tau +
                (p + 1) * kappa * Math.sin(th));
            const ar = amplitudes[2 * u]!;
            const ai = amplitudes[2 * u + 1]!;
            re += ar * Math.cos(ph) - ai * Math.sin(ph);
            im += ar * Math.sin(ph) + ai * Math.cos(ph);
          });
          const k = 2 * ((p * sys.subcarriers + n) * sys.symbols + m);
          maxErr = Math.max(maxErr, Math.hypot(tensor.data[k]! - re, tensor.data[k + 1]! - im));
          maxAbs = Math.max(maxAbs, Math.hypot(re, im));
        }
      }
    }
    expect(maxErr / maxAbs).toBeLessThan(1e-10);
  });

  it('per-element SNR matches the contract within 0.2 dB (radar path loss)', () => {
    const ap = sc.aps[0]!;
    const t = targets[0]!;
    const snr = { db: 3, referenceRangeM: 250, pathLoss: 'radar' as const };
    const clean = synthesizeEcho(sys, ap, [t], snr, new Rng(['s']), { noise: false }).tensor.data;
    const noisy = synthesizeEcho(sys, ap, [t], snr, new Rng(['s'])).tensor.data;
    let ps = 0;
    let pn = 0;
    for (let k = 0; k < clean.length; k++) {
      ps += clean[k]! * clean[k]!;
      const z = noisy[k]! - clean[k]!;
      pn += z * z;
    }
    const measuredDb = 10 * Math.log10(ps / pn);
    const r = pairGeometry(ap.position, t, sys).range;
    const contractDb = 10 * Math.log10(echoSnr(snr, r));
    expect(contractDb).toBeCloseTo(3 + 40 * Math.log10(250 / r), 12);
    // noise power estimate over 131072 samples: relative sd 1/sqrt(131072) ≈ 0.28 % ≈ 0.012 dB
    expect(Math.abs(measuredDb - contractDb)).toBeLessThan(0.2);
    expect(Math.abs(measuredDb - contractDb)).toBeLessThan(0.06);
  });

  it('the FFT peak of a single-target echo sits at the true range, Doppler and angle bins', () => {
    for (const t of targets) {
      for (const ap of sc.aps) {
        const { tensor } = synthesizeEcho(
          sys,
          ap,
          [t],
          { db: 10, referenceRangeM: 250, pathLoss: 'none' },
          new Rng(['f', ap.position[0], ap.position[1]]),
        );
        const [d] = coarseDetections(tensor, sys, 1, 64);
        const g = pairGeometry(ap.position, t, sys);
        const rangeBin = (g.range * 2 * sys.subcarrierSpacingHz * sys.subcarriers) / SPEED_OF_LIGHT;
        const dopBin = g.doppler * sys.symbols * sys.symbolDurationS;
        const angBin = Math.sin(g.aoa) * 64 * sys.antennaSpacingWavelengths;
        const wrap = (x: number, n: number) => (((x % n) + n + n / 2) % n) - n / 2;
        expect(Math.abs(wrap(d!.bins[1] - rangeBin, sys.subcarriers))).toBeLessThanOrEqual(0.5);
        expect(Math.abs(wrap(d!.bins[2] - dopBin, sys.symbols))).toBeLessThanOrEqual(0.5);
        expect(Math.abs(wrap(d!.bins[0] - angBin, 64))).toBeLessThanOrEqual(0.5);
      }
    }
  });

  it('the same seed gives identical tensors; another seed does not', () => {
    const a = synthesizeEcho(sys, sc.aps[1]!, targets, sc.snr, new Rng([1, 'x'])).tensor.data;
    const b = synthesizeEcho(sys, sc.aps[1]!, targets, sc.snr, new Rng([1, 'x'])).tensor.data;
    const c = synthesizeEcho(sys, sc.aps[1]!, targets, sc.snr, new Rng([2, 'x'])).tensor.data;
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    expect(Buffer.from(a.buffer).equals(Buffer.from(c.buffer))).toBe(false);
  });

  it('the WebAssembly signal sum gives the JavaScript path’s tensors bit for bit (1-5 targets, with noise)', () => {
    const more: Target[] = [
      ...targets,
      { position: [120, 260], velocity: { speed: 50, heading: 2 } },
      { position: [300, 90], velocity: { speed: 0, heading: 0 } },
    ];
    for (let U = 1; U <= 5; U++)
      for (const ap of sc.aps) {
        const ts = more.slice(0, U);
        const simd = synthesizeEcho(sys, ap, ts, sc.snr, new Rng(['wasm-echo', U])).tensor.data;
        useWasmKernels(false);
        try {
          const js = synthesizeEcho(sys, ap, ts, sc.snr, new Rng(['wasm-echo', U])).tensor.data;
          expect(simd.length).toBe(js.length);
          expect(simd.every((v, i) => Object.is(v, js[i]))).toBe(true);
        } finally {
          useWasmKernels(true);
        }
      }
  });

  it('both paths agree without targets, without noise and with an odd number of symbols', () => {
    const odd = { ...sys, symbols: 9, subcarriers: 5 };
    const ap = sc.aps[2]!;
    for (const [s, ts, noise] of [
      [sys, [], true],
      [sys, targets.slice(0, 3), false],
      [odd, targets.slice(0, 3), true],
      [odd, targets.slice(0, 2), true],
    ] as const) {
      const simd = synthesizeEcho(s, ap, ts, sc.snr, new Rng(['wasm-echo-edge']), { noise }).tensor.data;
      useWasmKernels(false);
      try {
        const js = synthesizeEcho(s, ap, ts, sc.snr, new Rng(['wasm-echo-edge']), { noise }).tensor.data;
        expect(simd.every((v, i) => Object.is(v, js[i]))).toBe(true);
      } finally {
        useWasmKernels(true);
      }
    }
  });
});
