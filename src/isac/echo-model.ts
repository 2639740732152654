import { czeros, type ComplexArray } from '../math/complex.js';
import type { Rng } from '../math/rng.js';
import { pairGeometry } from './geometry.js';
import type { Ap, SnrSpec, SystemParams, Target } from './scenario-types.js';
import { angleSteering, delaySteering, dopplerSteering } from './steering.js';

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

/**
 * Echo of one AP for all targets: α_l^u with |α|² = SNR_l^u σ² and a uniform random phase drawn
 * from `rng` per echo, plus CN(0, σ²) noise from `rng` (σ² = noiseVariance). Pass noise = false for
 * the noise-free echo. Returns the tensor and the amplitudes used (interleaved, one per target).
 */
export function synthesizeEcho(
  sys: SystemParams,
  ap: Ap,
  targets: readonly Target[],
  snr: SnrSpec,
  rng: Rng,
  options: { noise?: boolean; noiseVariance?: number } = {},
): { tensor: EchoTensor; amplitudes: Float64Array } {
  const noiseVariance = options.noiseVariance ?? 1;
  const na = ap.antennas;
  const nc = sys.subcarriers;
  const m = sys.symbols;
  const tensor: EchoTensor = { na, nc, m, data: czeros(na * nc * m), noiseVariance };
  const scratch = czeros(na + nc + m);
  const amplitudes = new Float64Array(2 * targets.length);
  targets.forEach((target, u) => {
    const g = pairGeometry(ap.position, target, sys);
    const mag = Math.sqrt(echoSnr(snr, g.range) * noiseVariance);
    const phase = 2 * Math.PI * rng.uniform(); // uniform random RCS phase per echo
    const ar = mag * Math.cos(phase);
    const ai = mag * Math.sin(phase);
    amplitudes[2 * u] = ar;
    amplitudes[2 * u + 1] = ai;
    addTargetEcho(tensor, sys, ap, target, ar, ai, scratch);
  });
  if (options.noise !== false) rng.addComplexNormal(tensor.data, na * nc * m, noiseVariance);
  return { tensor, amplitudes };
}
