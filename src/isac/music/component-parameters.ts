import { nextPow2 } from '../../math/fft.js';
import { SPEED_OF_LIGHT } from '../constants.js';
import type { CpDecomposition } from '../cp/types.js';
import type { SystemParams } from '../scenario-types.js';
import { ToneEstimator } from './tone-frequency.js';

/** Per-AP parameters of one CP component (one echo). */
export interface ComponentParameters {
  /** τ̂ in s, in [0, 1/Δf) (eq. 33) */
  delay: number;
  /** r̂ = c τ̂ / 2 in m (eqs. 37-39) */
  range: number;
  /** sin θ̂ = ν_angle / κ clamped to [−1, 1] (eq. 2); 0 when N_A = 1 */
  sinAoa: number;
  /** false when the AP has one antenna (no angle information) */
  angleKnown: boolean;
  /** f̂_D in Hz, in [−1/(2T), 1/(2T)) (eq. 34 with T) */
  doppler: number;
  /**
   * α̂ = a_r(θ̂)ᴴ u / (N_A √(N_c M)) · e^{+j2πΔfτ̂} · e^{−j2πT f̂_D}: the echo amplitude of eq. (1)
   * (the first-element phases removed by the CP scaling convention are put back). [re, im]
   */
  amplitude: [number, number];
  /** normalised correlations |a(ν̂)ᴴx|²/(N||x||²) of the delay, angle and Doppler factors (1 = pure tone) */
  correlation: { delay: number; angle: number; doppler: number };
}

/** DFT sizes of the coarse search (eq. 37); 'auto' = 8 N rounded up to a power of two. */
export interface MusicOptions {
  nIfft: number | 'auto';
}

/**
 * Range, AoA and Doppler of every CP component of one AP by the rank-one MUSIC of eqs. (37)-(39)
 * applied to each factor (tone-frequency.ts): delay factor → ν = −Δf τ, angle factor → ν = κ sin θ,
 * Doppler factor → ν = T f_D. With κ > 1/2 the angle is ambiguous (grating lobes): the principal
 * value is returned. The ULA measures sin θ only (θ and π − θ look alike).
 */
export class ComponentParameterEstimator {
  private readonly delayEst: ToneEstimator;
  private readonly dopplerEst: ToneEstimator;
  private readonly angleEst: ToneEstimator;

  constructor(
    private readonly sys: SystemParams,
    maxAntennas: number,
    opts: MusicOptions = { nIfft: 'auto' },
  ) {
    const size = (n: number) =>
      opts.nIfft === 'auto' ? nextPow2(8 * n) : Math.max(nextPow2(opts.nIfft), nextPow2(n));
    this.delayEst = new ToneEstimator(size(sys.subcarriers));
    this.dopplerEst = new ToneEstimator(size(sys.symbols));
    this.angleEst = new ToneEstimator(Math.max(64, size(maxAntennas)));
  }

  /** Parameters of component r of `d` (decomposed with this estimator's system parameters). */
  estimate(d: CpDecomposition, r: number): ComponentParameters {
    const { subcarrierSpacingHz: df, symbolDurationS: T, antennaSpacingWavelengths: kappa } = this.sys;
    const del = this.delayEst.estimate(d.delay, d.nc, r * d.nc);
    const dop = this.dopplerEst.estimate(d.doppler, d.m, r * d.m);
    const ang = this.angleEst.estimate(d.angle, d.na, r * d.na);
    const nuDelay = -del.nu - Math.floor(-del.nu);
    const delay = nuDelay / df;
    const doppler = dop.nu / T;
    const angleKnown = d.na >= 2;
    const sinAoa = angleKnown ? Math.max(-1, Math.min(1, ang.nu / kappa)) : 0;
    // α̂ = a_r(ν_a)ᴴ u / (N_A √(N_c M)) · e^{j(2πΔfτ̂ − 2πT f̂_D)}
    const [pr, pi] = angleKnown
      ? ang.projection
      : [d.angle[2 * r * d.na] as number, d.angle[2 * r * d.na + 1] as number];
    const s = 1 / (d.na * Math.sqrt(d.nc * d.m));
    const ph = 2 * Math.PI * (df * delay - T * doppler);
    const c = Math.cos(ph);
    const sn = Math.sin(ph);
    return {
      delay,
      range: (SPEED_OF_LIGHT * delay) / 2,
      sinAoa,
      angleKnown,
      doppler,
      amplitude: [s * (pr * c - pi * sn), s * (pr * sn + pi * c)],
      correlation: {
        delay: del.correlation,
        angle: angleKnown ? ang.correlation : 1,
        doppler: dop.correlation,
      },
    };
  }
}
