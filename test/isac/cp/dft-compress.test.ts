import { describe, expect, it } from 'vitest';
import { fromCore, toCore, windowBins } from '../../../src/isac/cp/dft-compress.js';
import { cpDecompose } from '../../../src/isac/cp/cp-decompose.js';
import type { EchoTensor } from '../../../src/isac/echo-model.js';

describe('DFT-window compression', () => {
  it('windowBins: the distinct bins around each frequency, cyclic', () => {
    expect(Array.from(windowBins([0.001], 16, 1))).toEqual([0, 1, 15]);
    expect(Array.from(windowBins([0.5, 0.52], 16, 1))).toEqual([7, 8, 9]);
  });

  it('toCore is the unitary DFT restricted to the bins; fromCore inverts it on the whole spectrum', () => {
    const n = 16;
    const R = 2;
    const x = Float64Array.from({ length: 2 * n * R }, (_, i) => Math.sin(0.7 * i) + 0.1 * i);
    const all = Int32Array.from({ length: n }, (_, k) => k);
    const xc = toCore(x, n, R, all);
    // Parseval: unitary
    const e = (v: Float64Array) => v.reduce((s, q) => s + q * q, 0);
    expect(e(xc)).toBeCloseTo(e(x), 10);
    const back = fromCore(xc, n, R, all);
    for (let k = 0; k < x.length; k++) expect(back[k]).toBeCloseTo(x[k]!, 12);
    // one bin: X[k] = Σ x[t] e^{−j2πkt/N}/√N for column 1
    const one = toCore(x, n, R, Int32Array.of(3));
    let sr = 0;
    let si = 0;
    for (let t = 0; t < n; t++) {
      const a = (-2 * Math.PI * 3 * t) / n;
      sr += x[2 * (t * R + 1)]! * Math.cos(a) - x[2 * (t * R + 1) + 1]! * Math.sin(a);
      si += x[2 * (t * R + 1)]! * Math.sin(a) + x[2 * (t * R + 1) + 1]! * Math.cos(a);
    }
    expect(one[2]).toBeCloseTo(sr / 4, 12);
    expect(one[3]).toBeCloseTo(si / 4, 12);
  });

  it('compressed and uncompressed CP reach the same noise-free fit (~1e-15) on off-grid echoes', () => {
    const na = 4;
    const nc = 32;
    const m = 32;
    const data = new Float64Array(2 * na * nc * m);
    const comps = [
      { u: 0.11, d: 0.2037, f: 0.6113, a: [1, 0.3] },
      { u: -0.23, d: 0.4411, f: 0.1234, a: [0.5, -0.8] },
    ];
    for (const c of comps)
      for (let p = 0; p < na; p++)
        for (let n = 0; n < nc; n++)
          for (let j = 0; j < m; j++) {
            const ph = 2 * Math.PI * (c.u * p + c.d * n + c.f * j);
            const k = 2 * ((p * nc + n) * m + j);
            data[k] = data[k]! + c.a[0]! * Math.cos(ph) - c.a[1]! * Math.sin(ph);
            data[k + 1] = data[k + 1]! + c.a[0]! * Math.sin(ph) + c.a[1]! * Math.cos(ph);
          }
    const t: EchoTensor = { na, nc, m, data, noiseVariance: 1 };
    const a = cpDecompose(t, { rank: 2, compress: 'dft-window', windowHalfWidth: 2 });
    const b = cpDecompose(t, { rank: 2, compress: 'none' });
    expect(a.relativeFitError).toBeLessThan(1e-12);
    expect(b.relativeFitError).toBeLessThan(1e-12);
  });
});

describe('residualGradient', () => {
  it('the R = 3 kernel equals the general one (R = 4 with a zero fourth component)', async () => {
    const { residualGradient } = await import('../../../src/isac/cp/residual.js');
    const { Rng } = await import('../../../src/math/rng.js');
    const rng = new Rng(['residual-gradient-3']);
    const [na, nc, m] = [3, 5, 7];
    const y = new Float64Array(2 * na * nc * m);
    rng.addComplexNormal(y, na * nc * m, 1);
    const f3 = [na, nc, m].map((k) => {
      const x = new Float64Array(2 * k * 3);
      rng.addComplexNormal(x, k * 3, 1);
      return x;
    });
    const pad = (x: Float64Array, rows: number) => {
      const o = new Float64Array(2 * rows * 4);
      for (let i = 0; i < rows; i++)
        for (let r = 0; r < 3; r++)
          for (let q = 0; q < 2; q++) o[2 * (i * 4 + r) + q] = x[2 * (i * 3 + r) + q]!;
      return o;
    };
    const f4 = f3.map((x, i) => pad(x, [na, nc, m][i]!));
    const g3 = [na, nc, m].map((k) => new Float64Array(2 * k * 3));
    const g4 = [na, nc, m].map((k) => new Float64Array(2 * k * 4));
    const p3 = residualGradient(
      y,
      na,
      nc,
      m,
      f3[0]!,
      f3[1]!,
      f3[2]!,
      3,
      g3[0]!,
      g3[1]!,
      g3[2]!,
      new Float64Array(12 + 2 * m),
    );
    const p4 = residualGradient(
      y,
      na,
      nc,
      m,
      f4[0]!,
      f4[1]!,
      f4[2]!,
      4,
      g4[0]!,
      g4[1]!,
      g4[2]!,
      new Float64Array(16 + 2 * m),
    );
    expect(p3).toBeCloseTo(p4, 10);
    g3.forEach((g, mode) => {
      const rows = [na, nc, m][mode]!;
      for (let i = 0; i < rows; i++)
        for (let r = 0; r < 3; r++)
          for (let q = 0; q < 2; q++)
            expect(g[2 * (i * 3 + r) + q]).toBeCloseTo(g4[mode]![2 * (i * 4 + r) + q]!, 10);
    });
  });
});

describe('extendTones', () => {
  it('restores the out-of-window bins of an off-grid tone from its core bins alone (noise-free: exactly)', async () => {
    const { extendTones } = await import('../../../src/isac/cp/dft-compress.js');
    const n = 128;
    const R = 2;
    const nus = [0.3071, 0.81234];
    const amp = [
      [0.7, -0.2],
      [-1.3, 0.4],
    ];
    const x = new Float64Array(2 * n * R);
    for (let r = 0; r < R; r++)
      for (let t = 0; t < n; t++) {
        const ph = 2 * Math.PI * nus[r]! * t;
        x[2 * (t * R + r)] = (amp[r]![0]! * Math.cos(ph) - amp[r]![1]! * Math.sin(ph)) / Math.sqrt(n);
        x[2 * (t * R + r) + 1] = (amp[r]![0]! * Math.sin(ph) + amp[r]![1]! * Math.cos(ph)) / Math.sqrt(n);
      }
    const bins = windowBins(nus, n, 6);
    const core = toCore(x, n, R, bins);
    const back = fromCore(core, n, R, bins);
    let lost = 0;
    let total = 0;
    for (let k = 0; k < x.length; k++) {
      lost += (x[k]! - back[k]!) ** 2;
      total += x[k]! ** 2;
    }
    expect(lost / total).toBeGreaterThan(1e-4); // the window alone loses the sidelobes
    extendTones(back, core, n, R, bins);
    let err = 0;
    for (let k = 0; k < x.length; k++) err += (x[k]! - back[k]!) ** 2;
    // the frequency comes from maximising a smooth peak: accurate to ~√ε, not ε
    expect(Math.sqrt(err / total)).toBeLessThan(1e-7);
  });
});

describe("init 'auto': the ESPRIT gate", () => {
  it('closePeaks: a pair within 1.5 bins in both delay and Doppler (cyclic), not in one mode only', async () => {
    const { closePeaks, ESPRIT_GATE_BINS } = await import('../../../src/isac/cp/cp-decompose.js');
    const pk = (d: number, f: number) => ({
      nuDelay: d / 128,
      nuDoppler: f / 128,
      nuAngle: 0,
      amplitude: 1,
      gateRatio: 0,
      kr: Math.round(d) % 128,
      kd: Math.round(f) % 128,
    });
    expect(closePeaks([pk(10, 20), pk(11.2, 21.4)], 128, 128, ESPRIT_GATE_BINS)).toBe(true);
    expect(closePeaks([pk(10, 20), pk(11.2, 40)], 128, 128, ESPRIT_GATE_BINS)).toBe(false); // far in Doppler
    expect(closePeaks([pk(0.3, 127.6), pk(127.5, 0.5)], 128, 128, ESPRIT_GATE_BINS)).toBe(true); // across the wrap
    expect(closePeaks([pk(10, 20)], 128, 128, ESPRIT_GATE_BINS)).toBe(false);
  });

  it('two noise-free echoes 0.4 bin apart in delay and 0.3 in Doppler: the ESPRIT start runs, exact decomposition (unstructured and tones)', () => {
    const na = 4;
    const nc = 32;
    const m = 32;
    const data = new Float64Array(2 * na * nc * m);
    const comps = [
      { u: 0.11, d: 0.2037, f: 0.6113, a: [1, 0.3] },
      { u: -0.23, d: 0.2037 + 0.4 / nc, f: 0.6113 + 0.3 / m, a: [0.8, -0.5] },
    ];
    for (const c of comps)
      for (let p = 0; p < na; p++)
        for (let n = 0; n < nc; n++)
          for (let j = 0; j < m; j++) {
            const ph = 2 * Math.PI * (c.u * p + c.d * n + c.f * j);
            const k = 2 * ((p * nc + n) * m + j);
            data[k] = data[k]! + c.a[0]! * Math.cos(ph) - c.a[1]! * Math.sin(ph);
            data[k + 1] = data[k + 1]! + c.a[0]! * Math.sin(ph) + c.a[1]! * Math.cos(ph);
          }
    const d = cpDecompose(
      { na, nc, m, data, noiseVariance: 1 },
      { rank: 2, init: 'auto', structure: 'none' },
    );
    expect(d.relativeFitError).toBeLessThan(1e-10);
    // the FFT peaks are within the gate, so ESPRIT runs; noise-free it is exact and wins the probe
    expect(d.start).toBe('esprit');
    // the structured refinement reaches the exact decomposition from either start
    const s = cpDecompose({ na, nc, m, data, noiseVariance: 1 }, { rank: 2, init: 'auto' });
    expect(s.relativeFitError).toBeLessThan(1e-12);
    expect(s.iterations).toBe(0);
  });
});
