import { inject, injectable } from 'inversify';
import { z } from 'zod';
import {
  Decompositions,
  defineStage,
  type Frame,
  IsacflowError,
  Observations,
  optionError,
  Records,
  type Stage,
  type StageContext,
  TOKENS,
} from '../../src/plugin.js';
import { associate } from '../../src/isac/association/associate.js';
import type { ApMeasurement, ApSite } from '../../src/isac/association/target-fit.js';
import type {
  ApObservation,
  AssociationResult,
  TargetObservation,
} from '../../src/isac/association/types.js';
import { paperWeights, snrWeights } from '../../src/isac/association/weights.js';
import { SPEED_OF_LIGHT } from '../../src/isac/constants.js';
import { componentFactors, type CpDecomposition } from '../../src/isac/cp/types.js';
import {
  ComponentParameterEstimator,
  type ComponentParameters,
} from '../../src/isac/music/component-parameters.js';
import type { Vec2 } from '../../src/isac/scenario-types.js';

export const musicAssociatorParams = z
  .object({
    nIfft: z
      .union([z.literal('auto'), z.number().int().min(2)])
      .default('auto')
      .describe(
        "DFT size of the coarse peak search of eq. (37) (zero padding; rounded up to a power of two >= N); 'auto' = 8 N (1024 for N_c = 128)",
      ),
    association: z
      .enum(['auto', 'exhaustive', 'hungarian'])
      .default('auto')
      .describe(
        "eq. (40): 'exhaustive' = every permutation set ((U!)^(L−1)), 'hungarian' = anchor AP + Hungarian assignments + refinement (polynomial), 'auto' = exhaustive up to exhaustiveLimit",
      ),
    exhaustiveLimit: z
      .number()
      .int()
      .min(1)
      .default(100_000)
      .describe("association 'auto': largest permutation-set count searched exhaustively"),
    useDoppler: z
      .boolean()
      .default(true)
      .describe(
        'use the Doppler estimates (with the velocity as unknown) in the association criterion besides range and angle',
      ),
    weights: z
      .enum(['paper', 'snr'])
      .default('paper')
      .describe(
        "which eq. (42) weights go into `weights`: 'paper' = 1/σ̂² normalised (as printed), 'snr' = |α̂|²/σ̂² normalised (maximal-ratio combining); both are stored",
      ),
  })
  .strict();

export type MusicAssociatorParams = z.infer<typeof musicAssociatorParams>;

/** `record.association[resultKey]`: the association of the frame as a whole. */
export interface AssociationSummaryRecord {
  method: AssociationResult['method'];
  /** total association criterion */
  cost: number;
  /** permutation sets (or assignments) evaluated */
  evaluated: number;
}

/** One entry of `record.associations[resultKey]` (per associated target, one value per AP). */
export interface AssociationRecord {
  ranges: number[];
  /** θ̂ in rad (branch toward the fitted position, see ApObservation.aoa) */
  angles: number[];
  dopplers: number[];
  /** CP component index at each AP */
  components: number[];
  /** the target's association criterion (squared residuals in resolution cells) */
  cost: number;
}

/**
 * Section IV.A step 2: per-AP range, angle and Doppler of every CP component by the rank-one MUSIC
 * of eqs. (37)-(39), association across APs (eq. 40; src/isac/association/), and the weights of
 * eq. (42). Reads frame.data.decompositions (CpDecomposition[] in AP order) and adds
 * frame.data.observations (TargetObservation[], src/isac/association/types.ts).
 */
@injectable()
export class MusicAssociatorStage implements Stage {
  constructor(@inject(TOKENS.StageParams) private readonly params: MusicAssociatorParams) {}

  process(frame: Frame, ctx: StageContext): void {
    const decs = ctx.read(frame, Decompositions);
    if (decs.length !== frame.aps.length)
      throw new IsacflowError('stage-failed', [
        {
          where: '',
          path: ctx.stageId,
          message: `music-associator: frame.data.decompositions must hold one decomposition per AP (${frame.aps.length}); put a cp-decomposer stage before it`,
        },
      ]);
    const sys = frame.scenario.system;
    const est = new ComponentParameterEstimator(sys, Math.max(1, ...decs.map((d) => d.na)), {
      nIfft: this.params.nIfft,
    });
    const params: ComponentParameters[][] = decs.map((d) =>
      Array.from({ length: d.rank }, (_, r) => est.estimate(d, r)),
    );
    const meas: ApMeasurement[][] = params.map((ps) =>
      ps.map((p) => ({ range: p.range, sinAoa: p.sinAoa, angleKnown: p.angleKnown, doppler: p.doppler })),
    );
    const sites: ApSite[] = frame.aps.map((ap, l) => ({
      position: ap.position,
      rangeCell: SPEED_OF_LIGHT / (2 * (decs[l] as CpDecomposition).nc * sys.subcarrierSpacingHz),
      sinCell: 1 / (sys.antennaSpacingWavelengths * Math.max(1, (decs[l] as CpDecomposition).na)),
      dopplerCell: 1 / ((decs[l] as CpDecomposition).m * sys.symbolDurationS),
    }));
    let result: AssociationResult;
    try {
      result = associate(meas, sites, {
        method: this.params.association,
        exhaustiveLimit: this.params.exhaustiveLimit,
        useDoppler: this.params.useDoppler,
        carrierHz: sys.carrierHz,
      });
    } catch (e) {
      if (e instanceof RangeError) throw optionError('music-associator', 'association', e.message);
      throw e;
    }
    const observations = result.tuples.map((tuple, u) =>
      this.observation(
        tuple,
        result.fits[u] as AssociationResult['fits'][number],
        decs,
        params,
        frame.aps.map((a) => a.position),
      ),
    );
    ctx.write(frame, Observations, observations);
    const records: AssociationRecord[] = observations.map((o) => ({
      ranges: o.perAp.map((p) => p.range),
      angles: o.perAp.map((p) => p.aoa),
      dopplers: o.perAp.map((p) => p.doppler),
      components: o.perAp.map((p) => p.component),
      cost: o.fit.cost,
    }));
    ctx.record(Records.associations, records);
    ctx.record(Records.association, {
      method: result.method,
      cost: result.cost,
      evaluated: result.evaluated,
    });
  }

  private observation(
    tuple: number[],
    fit: AssociationResult['fits'][number],
    decs: CpDecomposition[],
    params: ComponentParameters[][],
    apPos: Vec2[],
  ): TargetObservation {
    const perAp: ApObservation[] = tuple.map((r, l) => {
      const d = decs[l] as CpDecomposition;
      const p = (params[l] as ComponentParameters[])[r] as ComponentParameters;
      const f = componentFactors(d, r);
      const c = apPos[l] as Vec2;
      return {
        ap: l,
        component: r,
        angleFactor: f.angle,
        delayFactor: f.delay,
        dopplerFactor: f.doppler,
        amplitude: p.amplitude,
        noiseVariance: d.noiseVariance,
        range: p.range,
        delay: p.delay,
        sinAoa: p.sinAoa,
        aoa: resolveAoa(p.sinAoa, Math.atan2(fit.position[1] - c[1], fit.position[0] - c[0])),
        doppler: p.doppler,
      };
    });
    const noise = perAp.map((o) => o.noiseVariance);
    const power = perAp.map((o) => o.amplitude[0] ** 2 + o.amplitude[1] ** 2);
    const weightsPaper = paperWeights(noise, power);
    const weightsSnr = snrWeights(noise, power);
    const scheme = this.params.weights;
    return {
      perAp,
      weightsPaper,
      weightsSnr,
      weights: [...(scheme === 'paper' ? weightsPaper : weightsSnr)],
      weightScheme: scheme,
      fit: { position: fit.position, velocity: fit.velocity, cost: fit.cost },
    };
  }
}

/** The branch θ ∈ {asin s, π − asin s} (wrapped to (−π, π]) nearest to the bearing `toward`. */
export function resolveAoa(sinAoa: number, toward: number): number {
  const a = Math.asin(Math.max(-1, Math.min(1, sinAoa)));
  const b = a >= 0 ? Math.PI - a : -Math.PI - a;
  const dist = (x: number) => Math.abs(Math.atan2(Math.sin(x - toward), Math.cos(x - toward)));
  return dist(a) <= dist(b) ? a : b;
}

/**
 * Per-AP range, angle and Doppler, associated across APs:
 * @example
 * ```yaml
 * isacflow: 1
 * name: association
 * stages:
 *   - { id: echoes, uses: echo-generator }
 *   - { id: cp, uses: cp-decomposer }
 *   - { id: assoc, uses: music-associator, params: { association: auto, weights: paper } }
 * ```
 */
export const musicAssociator = defineStage({
  name: 'music-associator',
  summary:
    'Per-AP range, AoA and Doppler of each CP component (rank-one MUSIC, eqs. 37-39), association across APs (eq. 40), weights of eq. (42)',
  params: musicAssociatorParams,
  reads: [Decompositions],
  adds: [Observations],
  records: [Records.associations, Records.association],
  releasesFrameData: true,
  stage: MusicAssociatorStage,
});
