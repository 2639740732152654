import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { Radix2Fft } from '../../src/math/fft-radix2.js';
import {
  CP_ALS_C,
  CP_ALS_E,
  CP_ALS_T,
  CP_ALS_XC,
  CP_LM_C,
  CP_LM_E,
  CP_LM_GC,
  CP_LM_T,
  CP_TENSOR,
  type TensorKernels,
} from '../../src/isac/cp/cp-kernels.js';
import { contractSymbols, mttkrpDoppler } from '../../src/isac/cp/mttkrp.js';
import { residualGradient } from '../../src/isac/cp/residual.js';
import { Rng } from '../../src/math/rng.js';
import { zigguratInKernels, zigguratLayers } from '../../src/math/ziggurat.js';
import { splitTones, useWasmKernels, wasmKernels, WasmKernels } from '../../src/math/wasm/kernels.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Deterministic test data with a wide spread of magnitudes and signs. */
function data(length: number, seed: number): Float64Array {
  return Float64Array.from(
    { length },
    (_, i) => Math.sin(1.37 * i + seed) * Math.exp(Math.cos(0.71 * i * seed)),
  );
}

function kernels(): WasmKernels {
  const k = wasmKernels();
  if (!k) throw new Error('WebAssembly SIMD is not available in this Node.js');
  return k;
}

/** Number of positions where a and b differ (Object.is: a NaN equals a NaN, −0 differs from +0). */
function differing(a: Float64Array, b: Float64Array): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) d++;
  return d;
}

afterEach(() => useWasmKernels(true));

describe('WebAssembly kernels', () => {
  it('the committed binary is the assembly of kernels.wat (npm run build:wasm)', () => {
    const out = execFileSync(process.execPath, [join(root, 'scripts', 'build-wasm.mjs'), '--check'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(out).toContain('matches');
  });

  it('are available on this Node.js, and switched off by useWasmKernels(false)', () => {
    expect(wasmKernels()).toBeInstanceOf(WasmKernels);
    useWasmKernels(false);
    expect(wasmKernels()).toBeNull();
    useWasmKernels(true);
    expect(wasmKernels()).toBeInstanceOf(WasmKernels);
  });

  for (const n of [1, 2, 4, 8, 16, 32, 64, 128, 256, 512]) {
    it(`fftSequences equals Radix2Fft.transform bit for bit (n = ${n}, 3 sequences)`, () => {
      const k = kernels();
      const x = data(2 * 3 * n, n);
      const want = Float64Array.from(x);
      const plan = new Radix2Fft(n);
      for (let s = 0; s < 3; s++) plan.transform(want, s * n);
      k.prepareFft(n);
      const v = k.view('test/fft', 2 * 3 * n);
      v.set(x);
      k.fftSequences('test/fft', 0, 3, n);
      expect(differing(v, want)).toBe(0);
    });
  }

  for (const [n, w] of [
    [2, 3],
    [4, 1],
    [8, 5],
    [16, 16],
    [64, 7],
    [128, 128],
    [256, 9],
  ] as const) {
    it(`transformRowsReversed equals Radix2Fft's bit for bit, power map included (n = ${n}, w = ${w})`, () => {
      const k = kernels();
      const x = data(2 * n * w, n + w);
      const plan = new Radix2Fft(n);
      const want = Float64Array.from(x);
      const wantP = data(n * w, 3).map(Math.abs);
      const P0 = Float64Array.from(wantP);
      plan.transformRowsReversed(want, 0, w, wantP);
      const wantNoPower = Float64Array.from(x);
      plan.transformRowsReversed(wantNoPower, 0, w);
      k.prepareFft(n);
      k.reserve({ 'test/rows': 16 * n * w, 'test/power': 8 * n * w, 'test/rows2': 16 * n * w });
      const v = k.view('test/rows', 2 * n * w);
      const p = k.view('test/power', n * w);
      const v2 = k.view('test/rows2', 2 * n * w);
      v.set(x);
      p.set(P0);
      v2.set(x);
      k.transformRowsReversed('test/rows', 0, n, w, 'test/power');
      k.transformRowsReversed('test/rows2', 0, n, w);
      expect(differing(v, want)).toBe(0);
      expect(differing(p, wantP)).toBe(0);
      expect(differing(v2, wantNoPower)).toBe(0);
    });
  }

  it('a row transform of rows in bit-reversed order is the DFT over the rows (theory)', () => {
    const k = kernels();
    const n = 32;
    const w = 3;
    const x = data(2 * n * w, 5);
    const plan = new Radix2Fft(n);
    k.prepareFft(n);
    const v = k.view('test/rows', 2 * n * w);
    for (let i = 0; i < n; i++)
      v.set(x.subarray(2 * w * plan.reversed(i), 2 * w * (plan.reversed(i) + 1)), 2 * w * i);
    k.transformRowsReversed('test/rows', 0, n, w);
    for (let kk = 0; kk < n; kk++)
      for (let c = 0; c < w; c++) {
        let sr = 0;
        let si = 0;
        for (let i = 0; i < n; i++) {
          const a = (-2 * Math.PI * kk * i) / n;
          const xr = x[2 * (i * w + c)]!;
          const xi = x[2 * (i * w + c) + 1]!;
          sr += xr * Math.cos(a) - xi * Math.sin(a);
          si += xr * Math.sin(a) + xi * Math.cos(a);
        }
        expect(Math.hypot(v[2 * (kk * w + c)]! - sr, v[2 * (kk * w + c) + 1]! - si)).toBeLessThan(1e-12 * n);
      }
  });

  it('toneRows3 gives Σ y z and Σ k y z per row and tone: the scalar loop bit for bit, and a tone closed form', () => {
    const k = kernels();
    const m = 40;
    const rows = 5;
    const y = data(2 * rows * m, 11);
    // tone 2 is the conjugate of row 0's own tone: Σ_k |.|² = m, Σ_k k = m(m−1)/2
    const nu = 0.1234;
    for (let kk = 0; kk < m; kk++) {
      y[2 * kk] = Math.cos(2 * Math.PI * nu * kk);
      y[2 * kk + 1] = Math.sin(2 * Math.PI * nu * kk);
    }
    const z = new Float64Array(2 * 3 * m);
    z.set(data(4 * m, 12));
    for (let kk = 0; kk < m; kk++) {
      z[2 * (2 * m + kk)] = Math.cos(2 * Math.PI * nu * kk);
      z[2 * (2 * m + kk) + 1] = -Math.sin(2 * Math.PI * nu * kk);
    }
    k.reserve({ 'test/y': 16 * rows * m, 'test/t': 96 * m, 'test/out': 96 * rows });
    k.view('test/y', 2 * rows * m).set(y);
    splitTones(z, 0, 3, m, k.view('test/t', 12 * m));
    k.toneRows3('test/y', rows, m, 'test/t', 'test/out');
    const out = k.view('test/out', 12 * rows);
    const want = new Float64Array(12 * rows);
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < 3; c++) {
        let s0r = 0;
        let s0i = 0;
        let s1r = 0;
        let s1i = 0;
        for (let kk = 0; kk < m; kk++) {
          const yr = y[2 * (r * m + kk)]!;
          const yi = y[2 * (r * m + kk) + 1]!;
          const zr = z[2 * (c * m + kk)]!;
          const zi = z[2 * (c * m + kk) + 1]!;
          const wr = yr * zr - yi * zi;
          const wi = yr * zi + yi * zr;
          s0r += wr;
          s0i += wi;
          s1r += kk * wr;
          s1i += kk * wi;
        }
        want.set([s0r, s0i, s1r, s1i], 12 * r + 4 * c);
      }
    expect(differing(out, want)).toBe(0);
    expect(out[8]).toBeCloseTo(m, 12);
    expect(Math.abs(out[9]!)).toBeLessThan(1e-12);
    expect(out[10]).toBeCloseTo((m * (m - 1)) / 2, 10);
    // an absent tone (count < 3) is zero and adds nothing
    splitTones(z, 0, 1, m, k.view('test/t', 12 * m));
    k.toneRows3('test/y', rows, m, 'test/t', 'test/out');
    for (let r = 0; r < rows; r++)
      expect([...out.subarray(12 * r + 4, 12 * r + 12)].every((v) => v === 0)).toBe(true);
  });

  it('a region larger than the memory grows it; views taken afterwards see the data written before', () => {
    const k = kernels();
    const small = k.view('test/keep', 4);
    small.set([1, 2, 3, 4]);
    const big = k.view('test/big', 4_000_000); // 32 MB: more than any earlier test reserved
    big[big.length - 1] = 7;
    expect(small.length).toBe(0); // detached by the growth, as documented
    expect([...k.view('test/keep', 4)]).toEqual([1, 2, 3, 4]);
    expect(k.view('test/big', 4_000_000)[3_999_999]).toBe(7);
  });
});

describe('WebAssembly kernels of the FFT start (row copy, √P, bounded CLEAN)', () => {
  it('copyRows puts row q at row map[q]', () => {
    const k = kernels();
    const rows = 6;
    const m = 5;
    const w = 8;
    const src = data(2 * rows * m, 21);
    const map = [7, 0, 3, 5, 1, 6];
    k.reserve({ 'test/src': 16 * rows * m, 'test/dst': 16 * 8 * w, 'test/map': 4 * rows });
    k.view('test/src', 2 * rows * m).set(src);
    k.int32View('test/map', rows).set(map);
    const dst = k.view('test/dst', 2 * 8 * w).fill(-1);
    k.copyRows('test/src', m, 'test/dst', w, rows, 'test/map');
    for (let q = 0; q < rows; q++) {
      expect([...dst.subarray(2 * map[q]! * w, 2 * map[q]! * w + 2 * m)]).toEqual([
        ...src.subarray(2 * q * m, 2 * (q + 1) * m),
      ]);
      expect(dst[2 * map[q]! * w + 2 * m]).toBe(-1); // the rest of the row untouched
    }
    expect(dst[2 * 2 * w]).toBe(-1); // rows 2 and 4 are no row's target
  });

  for (const n of [0, 1, 2, 7, 16])
    it(`sqrtInto equals Math.sqrt (n = ${n}, with 0, −0, subnormals, ∞, NaN and negatives)`, () => {
      const k = kernels();
      const special = [0, -0, 5e-324, 1e-310, Infinity, NaN, -1, 2, 1e300];
      const src = Float64Array.from({ length: n }, (_, i) => special[i % special.length]! * (1 + i));
      k.reserve({ 'test/a': 8 * Math.max(1, n), 'test/b': 8 * Math.max(1, n) });
      k.view('test/a', n).set(src);
      k.sqrtInto('test/a', 'test/b', n);
      const out = k.view('test/b', n);
      for (let i = 0; i < n; i++) expect(Object.is(out[i], Math.sqrt(src[i]!))).toBe(true);
    });

  it('cleanBounds and cleanCandidates equal the scalar bounds of largestCell (J = 0..4, ties, zeros)', () => {
    const k = kernels();
    for (const [J, nr, nd] of [
      [0, 4, 4],
      [1, 8, 16],
      [2, 16, 8],
      [3, 32, 32],
      [4, 2, 2],
    ] as const) {
      const cells = nr * nd;
      const rootP = data(cells, J + 1).map((v) => (Math.abs(v) > 2 ? 0 : Math.abs(v)));
      rootP[3] = rootP[2]!; // a tie
      const absB = data(J * nr, 40 + J).map((v) => Math.abs(v) / 4);
      const absC = data(J * nd, 50 + J).map((v) => Math.abs(v) / 4);
      // the JavaScript loops of RangeDopplerMap.largestCell
      const ub = new Float64Array(cells);
      let floor = 0;
      for (let kr = 0; kr < nr; kr++)
        for (let kd = 0; kd < nd; kd++) {
          let sj = 0;
          for (let j = 0; j < J; j++) sj += absB[j * nr + kr]! * absC[j * nd + kd]!;
          const r = rootP[kr * nd + kd]!;
          const lo = r - sj;
          if (lo > 0 && lo * lo > floor) floor = lo * lo;
          ub[kr * nd + kd] = (r + sj) * (r + sj);
        }
      const reach = floor * (1 - 1e-9);
      const want: number[] = [];
      for (let c = 0; c < cells; c++) if (ub[c]! * (1 + 1e-9) >= reach) want.push(c);
      k.reserve({
        'test/rp': 8 * cells,
        'test/ab': 8 * Math.max(1, J * nr),
        'test/ac': 8 * Math.max(1, J * nd),
      });
      k.reserve({ 'test/ub': 8 * cells, 'test/cand': 4 * cells });
      k.view('test/rp', cells).set(rootP);
      k.view('test/ab', J * nr).set(absB);
      k.view('test/ac', J * nd).set(absC);
      const got = k.cleanBounds('test/rp', 'test/ab', 'test/ac', J, nr, nd, 'test/ub');
      expect(Object.is(got, floor)).toBe(true);
      expect(differing(k.view('test/ub', cells), ub)).toBe(0);
      const count = k.cleanCandidates('test/ub', cells, 1 + 1e-9, reach, 'test/cand');
      expect([...k.int32View('test/cand', count)]).toEqual(want);
      expect(count).toBeGreaterThan(0);
    }
  });
});

describe('WebAssembly ziggurat (the echo noise)', () => {
  it('addComplexNormalIn gives addComplexNormal’s draws bit for bit and leaves the stream where it does', () => {
    const k = kernels();
    let slow = 0;
    for (const [n, variance, seed] of [
      [1, 1, 'a'],
      [2, 0.5, 'b'],
      [7, 3, 'c'],
      [4096, 1, 'd'],
      [131072, 2.5, 'e'],
    ] as const) {
      const base = data(2 * n, n);
      const js = Float64Array.from(base);
      const a = new Rng(['ziggurat-kernel', seed]);
      a.addComplexNormal(js, n, variance);
      const b = new Rng(['ziggurat-kernel', seed]);
      k.reserve({ 'test/noise': 16 * n });
      k.view('test/noise', 2 * n).set(base);
      b.addComplexNormalIn(k, 'test/noise', n, variance);
      expect(differing(k.view('test/noise', 2 * n), js)).toBe(0);
      // the same state afterwards: the next draws agree
      expect(b.uniform()).toBe(a.uniform());
      const ja = new Float64Array(64);
      const jb = new Float64Array(64);
      a.addComplexNormal(ja, 32, 1);
      b.addComplexNormal(jb, 32, 1);
      expect(differing(ja, jb)).toBe(0);
      // the ziggurat's slow path (|x| beyond a layer's rectangle; the tail beyond R = 3.44) is exercised
      for (let i = 0; i < 2 * n; i++)
        if (Math.abs((js[i]! - base[i]!) / Math.sqrt(variance / 2)) > 3.3) slow++;
    }
    expect(slow).toBeGreaterThan(100);
  });
});

describe('WebAssembly wedge test of the ziggurat (lhs < Math.exp(y) without calling Math.exp)', () => {
  it('decides as Math.exp does: at random, at exp(y) itself and one ulp either side, and outside [−20, 0]', () => {
    const k = kernels();
    const rng = new Rng(['below-exp']);
    const next = (x: number, dir: 1 | -1): number => {
      const b = new Float64Array([x]);
      const u = new BigInt64Array(b.buffer);
      u[0] = u[0]! + BigInt(dir); // positive x: one ulp up or down
      return b[0]!;
    };
    let disagree = 0;
    let cases = 0;
    const check = (lhs: number, y: number): void => {
      cases++;
      if (k.belowExp(lhs, y) !== lhs < Math.exp(y)) disagree++;
    };
    for (let i = 0; i < 200_000; i++) {
      const y = -6 * rng.uniform(); // the wedges' range: −x²/2 with |x| < R = 3.44
      const e = Math.exp(y);
      check(e * (1 + 1e-3 * (rng.uniform() - 0.5)), y); // near the boundary
      check(e * (1 + 2e-7 * (rng.uniform() - 0.5)), y); // inside the band: Math.exp decides
      check(e, y);
      check(next(e, 1), y);
      check(next(e, -1), y);
    }
    for (const y of [0, -0, -1e-300, -20, -20.5, -700, -746, 1e-9, 3, Number.NaN])
      for (const lhs of [0, 1e-320, 0.5, 1, 2, Math.exp(y), Number.NaN]) check(lhs, y);
    expect(cases).toBeGreaterThan(1_000_000);
    expect(disagree).toBe(0);
  });
});

describe("WebAssembly wedge test with the layers' bounding lines (exp only near the curve)", () => {
  it('decides every layer as lhs < Math.exp(−0.5·x·x) does: at random, at the curve and one ulp either side', () => {
    const k = kernels();
    const { kn, wn, fn } = zigguratLayers();
    const rng = new Rng(['wedge-lines']);
    const next = (v: number, dir: 1 | -1): number => {
      const b = new Float64Array([v]);
      const u = new BigInt64Array(b.buffer);
      u[0] = u[0]! + BigInt(dir);
      return b[0]!;
    };
    let cases = 0;
    let disagree = 0;
    zigguratInKernels({ s00: 1, s01: 2, s10: 3, s11: 4 }, k, 1, (z) => {
      const check = (lhs: number, x: number, iz: number): void => {
        cases++;
        if (k.wedgeBelow(lhs, x, iz, z.fn) !== lhs < Math.exp(-0.5 * x * x)) disagree++;
      };
      for (let iz = 1; iz < 128; iz++) {
        const lo = kn[iz]!;
        for (let i = 0; i < 4000; i++) {
          // |hz| in [kn, 2^31], either sign: the slow path's draws of this layer
          const h = lo + Math.floor(rng.uniform() * (2147483648 - lo));
          const x = (rng.uniform() < 0.5 ? -h : Math.min(h, 2147483647)) * wn[iz]!;
          const lhs = fn[iz]! + rng.uniform() * (fn[iz - 1]! - fn[iz]!);
          check(lhs, x, iz);
          const e = Math.exp(-0.5 * x * x);
          if (i % 8 === 0) {
            check(e, x, iz);
            check(next(e, 1), x, iz);
            check(next(e, -1), x, iz);
            check(e * (1 + 1e-11 * (rng.uniform() - 0.5)), x, iz); // within the lines' margin
          }
        }
        // the ends of the layer's range
        for (const h of [lo, 2147483648]) {
          const x = h * wn[iz]!;
          for (const lhs of [fn[iz]!, fn[iz - 1]!, Math.exp(-0.5 * x * x)]) check(lhs, x, iz);
        }
      }
    });
    expect(cases).toBeGreaterThan(600_000);
    expect(disagree).toBe(0);
  });
});

describe('WebAssembly echo rows (signal sum and noise in one pass)', () => {
  it('echoRows3 gives sumRows then addNormals bit for bit and leaves the stream where they do', () => {
    const k = kernels();
    for (const [rows, m, variance, seed] of [
      [1, 2, 1, 'a'],
      [37, 6, 0.3, 'b'],
      [512, 128, 2, 'c'],
    ] as const) {
      k.reserve({ 'test/er-out': 16 * rows * m, 'test/er-e': 96 * rows, 'test/er-f': 48 * m });
      // e in split form (er, er, −ei, ei) per row and target, f interleaved m x 3
      const e = data(6 * rows, rows);
      for (let i = 0; i < 3 * rows; i++) {
        const v = k.view('test/er-e', 12 * rows);
        v.set([e[2 * i]!, e[2 * i]!, -e[2 * i + 1]!, e[2 * i + 1]!], 4 * i);
      }
      k.view('test/er-f', 6 * m).set(data(6 * m, m + 1));
      const a = new Rng(['echo-rows', seed]);
      k.sumRows('test/er-out', rows, m, 3, 'test/er-e', 'test/er-f');
      a.addComplexNormalIn(k, 'test/er-out', rows * m, variance);
      const twoPasses = k.view('test/er-out', 2 * rows * m).slice();
      const b = new Rng(['echo-rows', seed]);
      k.view('test/er-out', 2 * rows * m).fill(Number.NaN); // written, not added to
      b.complexNormalInKernels(k, variance, (z) =>
        k.echoRows3('test/er-out', rows, m, 'test/er-e', 'test/er-f', z),
      );
      expect(differing(k.view('test/er-out', 2 * rows * m), twoPasses)).toBe(0);
      expect(b.uniform()).toBe(a.uniform());
    }
    expect(() =>
      new Rng(['odd']).complexNormalInKernels(k, 1, (z) =>
        k.echoRows3('test/er-out', 1, 3, 'test/er-e', 'test/er-f', z),
      ),
    ).toThrow(/must be even/);
  });
});

describe('WebAssembly residual pass of the LM finish', () => {
  it('residualGradient (R = 3) gives the scalar loop’s φ and gradients bit for bit, and φ = ||Y − [[A, B, C]]||²', () => {
    const [na, nc, m] = [3, 5, 7];
    const y = data(2 * na * nc * m, 61);
    const a = data(6 * na, 62);
    const b = data(6 * nc, 63);
    const c = data(6 * m, 64);
    const run = (simd: TensorKernels | null) => {
      const ga = new Float64Array(6 * na).fill(9); // residualGradient clears them
      const gb = new Float64Array(6 * nc).fill(9);
      const gc = new Float64Array(6 * m).fill(9);
      const phi = residualGradient(y, na, nc, m, a, b, c, 3, ga, gb, gc, new Float64Array(12 + 2 * m), simd);
      return { phi, ga, gb, gc };
    };
    const js = run(null);
    const k = kernels();
    k.reserve({
      [CP_TENSOR]: 16 * na * nc * m,
      [CP_LM_E]: 96 * na * nc,
      [CP_LM_C]: 48 * m,
      [CP_LM_T]: 48 * na * nc,
      [CP_LM_GC]: 48 * m,
    });
    const simd = run({ kernels: k, y: null });
    expect(Object.is(simd.phi, js.phi)).toBe(true);
    expect(differing(simd.ga, js.ga)).toBe(0);
    expect(differing(simd.gb, js.gb)).toBe(0);
    expect(differing(simd.gc, js.gc)).toBe(0);
    // φ against the model built directly
    let phi = 0;
    for (let p = 0; p < na; p++)
      for (let n = 0; n < nc; n++)
        for (let q = 0; q < m; q++) {
          let mr = 0;
          let mi = 0;
          for (let r = 0; r < 3; r++) {
            const [ar, ai] = [a[2 * (p * 3 + r)]!, a[2 * (p * 3 + r) + 1]!];
            const [br, bi] = [b[2 * (n * 3 + r)]!, b[2 * (n * 3 + r) + 1]!];
            const [cr, ci] = [c[2 * (q * 3 + r)]!, c[2 * (q * 3 + r) + 1]!];
            const abr = ar * br - ai * bi;
            const abi = ar * bi + ai * br;
            mr += abr * cr - abi * ci;
            mi += abr * ci + abi * cr;
          }
          const o = 2 * ((p * nc + n) * m + q);
          phi += (y[o]! - mr) ** 2 + (y[o + 1]! - mi) ** 2;
        }
    expect(Math.abs(simd.phi - phi)).toBeLessThan(1e-12 * phi);
  });
});

describe('WebAssembly passes of the CP-ALS sweep', () => {
  it('contractSymbols and mttkrpDoppler (R = 3) give the scalar loops’ numbers bit for bit, and the sums by definition', () => {
    const [na, nc, m] = [2, 6, 9];
    const y = data(2 * na * nc * m, 71);
    const a = data(6 * na, 72);
    const b = data(6 * nc, 73);
    const c = data(6 * m, 74);
    const k = kernels();
    k.reserve({
      [CP_TENSOR]: 16 * na * nc * m,
      [CP_ALS_C]: 96 * m,
      [CP_ALS_T]: 48 * na * nc,
      [CP_ALS_E]: 96 * na * nc,
      [CP_ALS_XC]: 48 * m,
    });
    const simd: TensorKernels = { kernels: k, y: null };
    const tJs = new Float64Array(6 * na * nc);
    const tWasm = new Float64Array(6 * na * nc);
    contractSymbols(y, na * nc, m, c, 3, tJs);
    contractSymbols(y, na * nc, m, c, 3, tWasm, simd);
    expect(differing(tWasm, tJs)).toBe(0);
    const xJs = new Float64Array(6 * m);
    const xWasm = new Float64Array(6 * m);
    mttkrpDoppler(y, na, nc, m, a, b, 3, xJs, new Float64Array(6));
    mttkrpDoppler(y, na, nc, m, a, b, 3, xWasm, new Float64Array(6), simd);
    expect(differing(xWasm, xJs)).toBe(0);
    // by definition: T[q, r] = Σ_k conj(C[k, r]) Y[q, k]; X_C[k, r] = Σ_{p,n} conj(A[p, r] B[n, r]) Y[p, n, k]
    const q = 7;
    const r = 2;
    let sr = 0;
    let si = 0;
    for (let kk = 0; kk < m; kk++) {
      const [cr, ci] = [c[2 * (kk * 3 + r)]!, c[2 * (kk * 3 + r) + 1]!];
      const [yr, yi] = [y[2 * (q * m + kk)]!, y[2 * (q * m + kk) + 1]!];
      sr += cr * yr + ci * yi;
      si += cr * yi - ci * yr;
    }
    expect(Math.hypot(tWasm[2 * (q * 3 + r)]! - sr, tWasm[2 * (q * 3 + r) + 1]! - si)).toBeLessThan(1e-13);
    let xr = 0;
    let xi = 0;
    const kk = 4;
    for (let p = 0; p < na; p++)
      for (let n = 0; n < nc; n++) {
        const [ar, ai] = [a[2 * (p * 3 + 1)]!, a[2 * (p * 3 + 1) + 1]!];
        const [br, bi] = [b[2 * (n * 3 + 1)]!, b[2 * (n * 3 + 1) + 1]!];
        const er = ar * br - ai * bi;
        const ei = -(ar * bi + ai * br);
        const [yr, yi] = [y[2 * ((p * nc + n) * m + kk)]!, y[2 * ((p * nc + n) * m + kk) + 1]!];
        xr += er * yr - ei * yi;
        xi += er * yi + ei * yr;
      }
    expect(Math.hypot(xWasm[2 * (kk * 3 + 1)]! - xr, xWasm[2 * (kk * 3 + 1) + 1]! - xi)).toBeLessThan(1e-13);
  });
});
