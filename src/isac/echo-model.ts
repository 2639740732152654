import { czeros, type ComplexArray } from '../math/complex.js';
import type { Rng } from '../math/rng.js';
import { pairGeometry } from './geometry.js';
import type { Ap, SnrSpec, SystemParams, Target } from './scenario-types.js';
import { angleSteering, delaySteering, dopplerSteering } from './steering.js';
import { splitComplex, wasmKernels, type WasmKernels } from '../math/wasm/kernels.js';

/** The kernel memory regions of addTargetEchoes (src/math/wasm/kernels.ts). */
const ECHO_OUT = 'echo/signal'; // the targets' echoes: N_A x N_c x M, complex
const ECHO_E = 'echo/row-coefficients'; // per row and target, split form
const ECHO_F = 'echo/doppler'; // M x U, complex

/**
 * Echo tensor of one AP after pilot removal, N_A x N_c x M, complex interleaved, row-major:
 * element (p, n, m) (0-based) at complex index (p * N_c + n) * M + m.
 */
export interface EchoTensor {
  na: number;
  nc: number;
  m: number;
  data: ComplexArray;
  /** receiver noise variance σ² (E|z|² per sample) */
  noiseVariance: number;
}

/**
 * SNR_l of one echo = |α|²/σ²  (model notes): 10^(db/10)·(r0/r)^4 with radar path loss, else 10^(db/10).
 */
export function echoSnr(snr: SnrSpec, range: number): number {
  const base = Math.pow(10, snr.db / 10);
  return snr.pathLoss === 'radar' ? base * Math.pow(snr.referenceRangeM / range, 4) : base;
}

/**
 * Adds α a_r(θ) ∘ a_d(τ) ∘ a_f(f_D) of one target to the tensor  (eq. 1 / eq. 31).
 * `scratch` must hold at least na + nc + m complex values.
 */
export function addTargetEcho(
  t: EchoTensor,
  sys: SystemParams,
  ap: Ap,
  target: Target,
  alphaRe: number,
  alphaIm: number,
  scratch: Float64Array,
): void {
  const g = pairGeometry(ap.position, target, sys);
  const { na, nc, m } = t;
  angleSteering(Math.sin(g.aoa), sys.antennaSpacingWavelengths, na, scratch, 0);
  delaySteering(g.delay, sys.subcarrierSpacingHz, nc, scratch, na);
  dopplerSteering(g.doppler, sys.symbolDurationS, m, scratch, na + nc);
  const y = t.data;
  const fOff = 2 * (na + nc);
  for (let p = 0; p < na; p++) {
    // α a_p
    const apr = scratch[2 * p] as number;
    const api = scratch[2 * p + 1] as number;
    const cr = alphaRe * apr - alphaIm * api;
    const ci = alphaRe * api + alphaIm * apr;
    for (let n = 0; n < nc; n++) {
      const dr = scratch[2 * (na + n)] as number;
      const di = scratch[2 * (na + n) + 1] as number;
      const er = cr * dr - ci * di;
      const ei = cr * di + ci * dr;
      let k = 2 * (p * nc + n) * m;
      for (let j = 0; j < 2 * m; j += 2, k += 2) {
        const fr = scratch[fOff + j] as number;
        const fi = scratch[fOff + j + 1] as number;
        y[k] = (y[k] as number) + er * fr - ei * fi;
        y[k + 1] = (y[k + 1] as number) + er * fi + ei * fr;
      }
    }
  }
}

/** The targets' steering vectors (per target a_r, a_d, a_f; `span` numbers apart) and f packed [m][u]. */
function echoFactors(
  na: number,
  nc: number,
  m: number,
  sys: SystemParams,
  ap: Ap,
  targets: readonly Target[],
): { steer: Float64Array; span: number; f: Float64Array } {
  const U = targets.length;
  const steer = new Float64Array(2 * U * (na + nc + m));
  const span = 2 * (na + nc + m);
  targets.forEach((target, u) => {
    const g = pairGeometry(ap.position, target, sys);
    const o = u * (na + nc + m);
    angleSteering(Math.sin(g.aoa), sys.antennaSpacingWavelengths, na, steer, o);
    delaySteering(g.delay, sys.subcarrierSpacingHz, nc, steer, o + na);
    dopplerSteering(g.doppler, sys.symbolDurationS, m, steer, o + na + nc);
  });
  // f packed [m][u] (contiguous per symbol)
  const f = new Float64Array(2 * m * U);
  for (let u = 0; u < U; u++)
    for (let j = 0; j < m; j++) {
      f[2 * (j * U + u)] = steer[u * span + 2 * (na + nc + j)] as number;
      f[2 * (j * U + u) + 1] = steer[u * span + 2 * (na + nc + j) + 1] as number;
    }
  return { steer, span, f };
}

/**
 * The kernels' inputs for t's targets' echoes (WebAssembly sumRows / echoRows3): region ECHO_E gets per
 * tensor row the coefficients e_u = α_u a_p,u d_n,u (split form), region ECHO_F the Doppler vectors
 * packed [m][u]; region ECHO_OUT is reserved for the tensor.
 */
function echoRowsInto(
  kernels: WasmKernels,
  t: EchoTensor,
  sys: SystemParams,
  ap: Ap,
  targets: readonly Target[],
  amplitudes: Float64Array,
): void {
  const { na, nc, m } = t;
  const U = targets.length;
  kernels.reserve({ [ECHO_OUT]: 16 * na * nc * m, [ECHO_E]: 32 * na * nc * U, [ECHO_F]: 16 * m * U });
  if (U === 0) return;
  const { steer, span, f } = echoFactors(na, nc, m, sys, ap, targets);
  const cu = new Float64Array(2 * U);
  const e = new Float64Array(2 * U);
  const es = kernels.view(ECHO_E, 4 * na * nc * U);
  kernels.view(ECHO_F, 2 * m * U).set(f);
  for (let p = 0; p < na; p++) {
    rowCoefficients(steer, span, amplitudes, U, p, cu);
    for (let n = 0; n < nc; n++) {
      rowProducts(steer, span, na, U, n, cu, e);
      splitComplex(e, 0, U, es, 4 * (p * nc + n) * U);
    }
  }
}

/**
 * synthesizeEcho's tensor in the kernels' region ECHO_OUT: the targets' echoes (addTargetEchoes on a
 * zero tensor) plus, unless `noise` is false, rng.addComplexNormal's draws; for three targets and an
 * even M both in one pass (echoRows3). The same numbers as the JavaScript path.
 */
function echoInKernels(
  kernels: WasmKernels,
  t: EchoTensor,
  sys: SystemParams,
  ap: Ap,
  targets: readonly Target[],
  amplitudes: Float64Array,
  rng: Rng,
  noise: boolean,
): void {
  const { na, nc, m } = t;
  const U = targets.length;
  echoRowsInto(kernels, t, sys, ap, targets, amplitudes);
  if (noise && U === 3 && m % 2 === 0) {
    rng.complexNormalInKernels(kernels, t.noiseVariance, (z) =>
      kernels.echoRows3(ECHO_OUT, na * nc, m, ECHO_E, ECHO_F, z),
    );
    return;
  }
  if (U === 0) kernels.view(ECHO_OUT, 2 * na * nc * m).fill(0);
  else kernels.sumRows(ECHO_OUT, na * nc, m, U, ECHO_E, ECHO_F);
  if (noise) rng.addComplexNormalIn(kernels, ECHO_OUT, na * nc * m, t.noiseVariance);
}

/**
 * Adds Σ_u α_u a_r(θ_u) ∘ a_d(τ_u) ∘ a_f(f_D,u) of all targets to the tensor in one pass over it
 * (eq. 1): per tensor row (p, n) the sum of the targets' scaled Doppler steering vectors, c_u[p] =
 * α_u a_p, e_u = c_u[p] d_u[n]. `amplitudes` holds α_u interleaved.
 */
export function addTargetEchoes(
  t: EchoTensor,
  sys: SystemParams,
  ap: Ap,
  targets: readonly Target[],
  amplitudes: Float64Array,
): void {
  const { na, nc, m } = t;
  const U = targets.length;
  if (U === 0) return;
  const { steer, span, f } = echoFactors(na, nc, m, sys, ap, targets);
  const cu = new Float64Array(2 * U);
  const e = new Float64Array(2 * U);
  const y = t.data;
  for (let p = 0; p < na; p++) {
    rowCoefficients(steer, span, amplitudes, U, p, cu);
    for (let n = 0; n < nc; n++) {
      rowProducts(steer, span, na, U, n, cu, e);
      addRow(y, 2 * (p * nc + n) * m, m, U, e, f);
    }
  }
}

/** cu_u = α_u a_r,u[p] for antenna p (steer: per target a_r, a_d, a_f, `span` numbers apart). */
function rowCoefficients(
  steer: Float64Array,
  span: number,
  amplitudes: Float64Array,
  U: number,
  p: number,
  cu: Float64Array,
): void {
  for (let u = 0; u < U; u++) {
    const apr = steer[u * span + 2 * p] as number;
    const api = steer[u * span + 2 * p + 1] as number;
    const ar = amplitudes[2 * u] as number;
    const ai = amplitudes[2 * u + 1] as number;
    cu[2 * u] = ar * apr - ai * api;
    cu[2 * u + 1] = ar * api + ai * apr;
  }
}

/** e_u = cu_u a_d,u[n]: the coefficient of target u's Doppler vector in tensor row (p, n). */
function rowProducts(
  steer: Float64Array,
  span: number,
  na: number,
  U: number,
  n: number,
  cu: Float64Array,
  e: Float64Array,
): void {
  for (let u = 0; u < U; u++) {
    const dr = steer[u * span + 2 * (na + n)] as number;
    const di = steer[u * span + 2 * (na + n) + 1] as number;
    const cr = cu[2 * u] as number;
    const ci = cu[2 * u + 1] as number;
    e[2 * u] = cr * dr - ci * di;
    e[2 * u + 1] = cr * di + ci * dr;
  }
}

/** y[base + m] += Σ_u e_u f[m, u] for one tensor row (three targets unrolled). */
function addRow(y: Float64Array, base: number, m: number, U: number, e: Float64Array, f: Float64Array): void {
  if (U === 3) {
    const e0r = e[0] as number;
    const e0i = e[1] as number;
    const e1r = e[2] as number;
    const e1i = e[3] as number;
    const e2r = e[4] as number;
    const e2i = e[5] as number;
    for (let j = 0, k = base, q = 0; j < m; j++, k += 2, q += 6) {
      const f0r = f[q] as number;
      const f0i = f[q + 1] as number;
      const f1r = f[q + 2] as number;
      const f1i = f[q + 3] as number;
      const f2r = f[q + 4] as number;
      const f2i = f[q + 5] as number;
      y[k] = (y[k] as number) + (e0r * f0r - e0i * f0i) + (e1r * f1r - e1i * f1i) + (e2r * f2r - e2i * f2i);
      y[k + 1] =
        (y[k + 1] as number) + (e0r * f0i + e0i * f0r) + (e1r * f1i + e1i * f1r) + (e2r * f2i + e2i * f2r);
    }
    return;
  }
  for (let j = 0, k = base; j < m; j++, k += 2) {
    let sr = y[k] as number;
    let si = y[k + 1] as number;
    for (let u = 0, q = 2 * j * U; u < U; u++, q += 2) {
      const fr = f[q] as number;
      const fi = f[q + 1] as number;
      const er = e[2 * u] as number;
      const ei = e[2 * u + 1] as number;
      sr += er * fr - ei * fi;
      si += er * fi + ei * fr;
    }
    y[k] = sr;
    y[k + 1] = si;
  }
}

/** The tensor's storage: `data` (any contents, length 2n: e.g. a recycled ctx.buffer) zeroed, else fresh. */
function echoData(data: Float64Array | undefined, n: number): Float64Array {
  if (!data) return czeros(n);
  if (data.length !== 2 * n)
    throw new RangeError(`synthesizeEcho: data holds ${data.length} numbers, the tensor needs ${2 * n}`);
  // the kernels overwrite every element; the JavaScript path adds to it
  if (!wasmKernels()) data.fill(0);
  return data;
}

/**
 * Echo of one AP for all targets: α_l^u with |α|² = SNR_l^u σ² and a uniform random phase drawn
 * from `rng` per echo, plus CN(0, σ²) noise from `rng` (σ² = noiseVariance). Pass noise = false for
 * the noise-free echo. `data` (2·N_A·N_c·M numbers, any contents) receives the tensor instead of a
 * fresh array. Returns the tensor and the amplitudes used (interleaved, one per target).
 */
export function synthesizeEcho(
  sys: SystemParams,
  ap: Ap,
  targets: readonly Target[],
  snr: SnrSpec,
  rng: Rng,
  options: { noise?: boolean; noiseVariance?: number; data?: Float64Array } = {},
): { tensor: EchoTensor; amplitudes: Float64Array } {
  const noiseVariance = options.noiseVariance ?? 1;
  const na = ap.antennas;
  const nc = sys.subcarriers;
  const m = sys.symbols;
  const tensor: EchoTensor = { na, nc, m, data: echoData(options.data, na * nc * m), noiseVariance };
  const amplitudes = new Float64Array(2 * targets.length);
  targets.forEach((target, u) => {
    const g = pairGeometry(ap.position, target, sys);
    const mag = Math.sqrt(echoSnr(snr, g.range) * noiseVariance);
    const phase = 2 * Math.PI * rng.uniform(); // uniform random RCS phase per echo
    amplitudes[2 * u] = mag * Math.cos(phase);
    amplitudes[2 * u + 1] = mag * Math.sin(phase);
  });
  const kernels = wasmKernels();
  if (kernels) {
    // signal and noise in the kernels' memory, then one copy (the same numbers as below)
    echoInKernels(kernels, tensor, sys, ap, targets, amplitudes, rng, options.noise !== false);
    tensor.data.set(kernels.view(ECHO_OUT, 2 * na * nc * m));
    return { tensor, amplitudes };
  }
  addTargetEchoes(tensor, sys, ap, targets, amplitudes);
  if (options.noise !== false) rng.addComplexNormal(tensor.data, na * nc * m, noiseVariance);
  return { tensor, amplitudes };
}
