/**
 * Standard normal draws by the ziggurat method (Marsaglia & Tsang, J. Stat. Softw. 5(8), 2000;
 * 128 layers), driven by the xoroshiro128+ state of an {@link Rng} stream read and written back in
 * place, so bulk draws continue the same seeded stream as the scalar ones (same seed -> same
 * numbers, whatever the workers). As Doornik (2005) recommends, the layer index does not come
 * from the bits that set the magnitude: one extra 32-bit draw gives the layers of four normals.
 * About 97 % of draws take the fast path (one multiply and one compare, no log or exp): the layers
 * give Σ kn/2^31/128 = 0.972; the top layer (kn = 0) always goes to the wedge test.
 */

/** The four 32-bit halves of pure-rand's xoroshiro128+ state (its public fields). */
export interface XoroshiroState {
  s01: number;
  s00: number;
  s11: number;
  s10: number;
}

import type { WasmKernels } from './wasm/kernels.js';

const LAYERS = 128;
const R = 3.442619855899;
const kn = new Uint32Array(LAYERS);
const wn = new Float64Array(LAYERS);
const fn = new Float64Array(LAYERS);
{
  const m1 = 2147483648;
  const vn = 9.91256303526217e-3;
  let dn = R;
  let tn = dn;
  const q = vn / Math.exp(-0.5 * dn * dn);
  kn[0] = (dn / q) * m1;
  kn[1] = 0;
  wn[0] = q / m1;
  wn[LAYERS - 1] = dn / m1;
  fn[0] = 1;
  fn[LAYERS - 1] = Math.exp(-0.5 * dn * dn);
  for (let i = LAYERS - 2; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(vn / dn + Math.exp(-0.5 * dn * dn)));
    kn[i + 1] = (dn / tn) * m1;
    tn = dn;
    fn[i] = Math.exp(-0.5 * dn * dn);
    wn[i] = dn / m1;
  }
}

/**
 * Per layer iz >= 1, two lines in |x| that bound f(x) = exp(−x²/2) over the wedge's range of |x|
 * ([kn·wn, 2^31·wn]): (l0, l1, u0, u1) with l0 + l1|x| <= f(|x|) <= u0 + u1|x|, each moved out by 1e-12
 * (far more than the rounding of these lines, of −0.5·x·x and of Math.exp). So lhs below the lower line
 * is below Math.exp(−0.5·x·x) and lhs above the upper one is not: the wedge test decided without exp
 * (the WebAssembly slow path; the JavaScript one calls Math.exp). Where f is concave on the range
 * (|x| <= 1) the chord is the lower line and the tangent at the middle the upper one; where it is convex
 * (|x| >= 1) the other way round; the layer that holds the inflection point, and the base strip, get
 * lines that decide nothing (−∞, +∞).
 */
const WEDGE_MARGIN = 1e-12;
const wedge = new Float64Array(4 * LAYERS);
{
  const f = (x: number) => Math.exp(-0.5 * x * x);
  wedge.fill(0);
  wedge[0] = -Infinity;
  wedge[2] = Infinity;
  for (let iz = 1; iz < LAYERS; iz++) {
    const lo = (kn[iz] as number) * (wn[iz] as number);
    const hi = 2147483648 * (wn[iz] as number);
    const chordSlope = (f(hi) - f(lo)) / (hi - lo);
    const chord0 = f(lo) - chordSlope * lo;
    const m = 0.5 * (lo + hi);
    const tangentSlope = -m * f(m);
    const tangent0 = f(m) - tangentSlope * m;
    const o = 4 * iz;
    if (hi <= 1 || lo >= 1) {
      const concave = hi <= 1;
      wedge[o] = (concave ? chord0 : tangent0) - WEDGE_MARGIN;
      wedge[o + 1] = concave ? chordSlope : tangentSlope;
      wedge[o + 2] = (concave ? tangent0 : chord0) + WEDGE_MARGIN;
      wedge[o + 3] = concave ? tangentSlope : chordSlope;
    } else {
      wedge[o] = -Infinity;
      wedge[o + 2] = Infinity;
    }
  }
}

/** Copies of the layer tables kn, wn, fn (for tests of the kernels' slow path). */
export function zigguratLayers(): { kn: Uint32Array; wn: Float64Array; fn: Float64Array } {
  return { kn: kn.slice(), wn: wn.slice(), fn: fn.slice() };
}

/**
 * Adds CN(0, variance) to n interleaved complex values of out (variance/2 per real dimension),
 * drawing from the generator state g (advanced in place).
 */
export function addComplexNormalZiggurat(
  g: XoroshiroState,
  out: Float64Array,
  n: number,
  variance: number,
): void {
  const sd = Math.sqrt(variance / 2);
  let s00 = g.s00;
  let s01 = g.s01;
  let s10 = g.s10;
  let s11 = g.s11;
  const total = 2 * n;
  let k = 0;
  while (k < total) {
    // xoroshiro128+ steps inlined (pure-rand's next()): one for four layer indices, one per normal
    let layers = (s00 + s10) | 0;
    {
      const a0 = s10 ^ s00;
      const a1 = s11 ^ s01;
      const t00 = s00;
      s00 = (t00 << 24) ^ (s01 >>> 8) ^ a0 ^ (a0 << 16);
      s01 = (s01 << 24) ^ (t00 >>> 8) ^ a1 ^ ((a1 << 16) | (a0 >>> 16));
      s10 = (a1 << 5) ^ (a0 >>> 27);
      s11 = (a0 << 5) ^ (a1 >>> 27);
    }
    for (let q = 0; q < 4 && k < total; q++, k++) {
      const iz = (layers >>> 1) & 127; // the top 7 bits of each byte (not the weak lowest bit)
      layers >>>= 8;
      const hz = (s00 + s10) | 0;
      const a0 = s10 ^ s00;
      const a1 = s11 ^ s01;
      const t00 = s00;
      s00 = (t00 << 24) ^ (s01 >>> 8) ^ a0 ^ (a0 << 16);
      s01 = (s01 << 24) ^ (t00 >>> 8) ^ a1 ^ ((a1 << 16) | (a0 >>> 16));
      s10 = (a1 << 5) ^ (a0 >>> 27);
      s11 = (a0 << 5) ^ (a1 >>> 27);
      let x: number;
      if (Math.abs(hz) < (kn[iz] as number)) x = hz * (wn[iz] as number);
      else {
        g.s00 = s00;
        g.s01 = s01;
        g.s10 = s10;
        g.s11 = s11;
        x = slowNormal(g, hz, iz);
        s00 = g.s00;
        s01 = g.s01;
        s10 = g.s10;
        s11 = g.s11;
      }
      out[k] = (out[k] as number) + sd * x;
    }
  }
  g.s00 = s00;
  g.s01 = s01;
  g.s10 = s10;
  g.s11 = s11;
}

const ZIGGURAT_STATE = 'ziggurat/state';
const ZIGGURAT_KN = 'ziggurat/kn';
const ZIGGURAT_WN = 'ziggurat/wn';
const ZIGGURAT_FN = 'ziggurat/fn';
const ZIGGURAT_TABLE = 'ziggurat/table';
/** The fast path's table: per layer (kn as f64, wn), the layout of addNormals' `zt`. */
const table = new Float64Array(2 * LAYERS);
for (let i = 0; i < LAYERS; i++) {
  table[2 * i] = kn[i] as number;
  table[2 * i + 1] = wn[i] as number;
}

/** What a WebAssembly kernel that draws ziggurat normals needs: the scale and its regions. */
export interface ZigguratRegions {
  /** the standard deviation per real dimension, √(variance/2) (as addComplexNormalZiggurat) */
  sd: number;
  /** the xoroshiro128+ state: four i32 (s00, s01, s10, s11) */
  state: string;
  /** the fast path's table: per layer kn (as f64) and wn */
  table: string;
  /** the slow path's tables: kn (Uint32), wn, fn (f64), 128 layers; after fn the wedge lines (4 f64 a layer) */
  kn: string;
  wn: string;
  fn: string;
}

/**
 * Runs `draw`, a WebAssembly kernel call that draws ziggurat normals of CN(0, variance) (addNormals,
 * echoRows3), on the generator state g: the tables and the state go into the kernels' memory first
 * and the advanced state comes back to g after, so the kernel continues g's stream exactly as
 * addComplexNormalZiggurat would.
 */
export function zigguratInKernels(
  g: XoroshiroState,
  kernels: WasmKernels,
  variance: number,
  draw: (z: ZigguratRegions) => void,
): void {
  kernels.reserve({
    [ZIGGURAT_STATE]: 16,
    [ZIGGURAT_KN]: 4 * LAYERS,
    [ZIGGURAT_WN]: 8 * LAYERS,
    [ZIGGURAT_FN]: 8 * LAYERS + 32 * LAYERS,
    [ZIGGURAT_TABLE]: 16 * LAYERS,
  });
  kernels.view(ZIGGURAT_TABLE, 2 * LAYERS).set(table);
  kernels.int32View(ZIGGURAT_KN, LAYERS).set(kn);
  kernels.view(ZIGGURAT_WN, LAYERS).set(wn);
  const fnView = kernels.view(ZIGGURAT_FN, 5 * LAYERS);
  fnView.set(fn);
  fnView.set(wedge, LAYERS);
  const state = kernels.int32View(ZIGGURAT_STATE, 4);
  state[0] = g.s00;
  state[1] = g.s01;
  state[2] = g.s10;
  state[3] = g.s11;
  draw({
    sd: Math.sqrt(variance / 2),
    state: ZIGGURAT_STATE,
    table: ZIGGURAT_TABLE,
    kn: ZIGGURAT_KN,
    wn: ZIGGURAT_WN,
    fn: ZIGGURAT_FN,
  });
  const after = kernels.int32View(ZIGGURAT_STATE, 4);
  g.s00 = after[0] as number;
  g.s01 = after[1] as number;
  g.s10 = after[2] as number;
  g.s11 = after[3] as number;
}

/**
 * addComplexNormalZiggurat on the first 2n numbers of the kernels' region `region` (WebAssembly, the
 * same numbers: the same steps, the same tables, the same decisions; Math.log and Math.exp themselves
 * where a value of theirs is needed).
 */
export function addComplexNormalZigguratKernel(
  g: XoroshiroState,
  kernels: WasmKernels,
  region: string,
  n: number,
  variance: number,
): void {
  zigguratInKernels(g, kernels, variance, (z) => kernels.addNormals(region, 2 * n, z));
}

/** pure-rand's xoroshiro128+ next() on the state g: a signed 32-bit integer. */
function next32(g: XoroshiroState): number {
  const o = (g.s00 + g.s10) | 0;
  const a0 = g.s10 ^ g.s00;
  const a1 = g.s11 ^ g.s01;
  const s00 = g.s00;
  const s01 = g.s01;
  g.s00 = (s00 << 24) ^ (s01 >>> 8) ^ a0 ^ (a0 << 16);
  g.s01 = (s01 << 24) ^ (s00 >>> 8) ^ a1 ^ ((a1 << 16) | (a0 >>> 16));
  g.s10 = (a1 << 5) ^ (a0 >>> 27);
  g.s11 = (a0 << 5) ^ (a1 >>> 27);
  return o;
}

/** Uniform in (0, 1) from one 32-bit draw. */
function uni(g: XoroshiroState): number {
  return ((next32(g) >>> 0) + 0.5) * 2.3283064365386963e-10;
}

/** The slow path of RNOR for the draw hz in layer iz: the base strip's tail (iz = 0) and the wedges. */
function slowNormal(g: XoroshiroState, hz: number, iz: number): number {
  for (;;) {
    const x = hz * (wn[iz] as number);
    if (iz === 0) {
      let t: number;
      let y: number;
      do {
        t = -Math.log(uni(g)) / R;
        y = -Math.log(uni(g));
      } while (y + y < t * t);
      return hz > 0 ? R + t : -R - t;
    }
    if ((fn[iz] as number) + uni(g) * ((fn[iz - 1] as number) - (fn[iz] as number)) < Math.exp(-0.5 * x * x))
      return x;
    hz = next32(g);
    iz = (next32(g) >>> 1) & 127;
    if (Math.abs(hz) < (kn[iz] as number)) return hz * (wn[iz] as number);
  }
}
