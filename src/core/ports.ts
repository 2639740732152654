/**
 * The built-in ports (typed keys of `frame.data`) and record keys (typed keys of the frame record)
 * of isacflow's stages, in one module of the public API: a user's stage reads `Echoes` or
 * `Estimates` with types, and docs/records.md and `isacflow list --records` are generated from
 * these declarations and the stage manifests.
 */
import type { AssociationCheckRecord } from '../../stages/association-check/association-check.js';
import type { DecompositionRecord } from '../../stages/cp-decomposer/cp-decomposer.js';
import type { CrbMapRecord } from '../../stages/crb-map/crb-map.js';
import type { DetectionRecord } from '../../stages/fft-detector/fft-detector.js';
import type { ProfileRecord } from '../../stages/fusion-profile/fusion-profile.js';
import type {
  AssociationRecord,
  AssociationSummaryRecord,
} from '../../stages/music-associator/music-associator.js';
import type { PlacementData } from '../../stages/placement-optimizer/placement-optimizer.js';
import type { PlacementRecord } from '../../stages/placement-optimizer/placement-record.js';
import type { BenchRecord } from '../../stages/solver-benchmark/solver-benchmark.js';
import type { TargetObservation } from '../isac/association/types.js';
import type { CpDecomposition } from '../isac/cp/types.js';
import type { CrbMode, CrbTargetResult, Mat2 } from '../isac/crb/index.js';
import type { EchoTensor } from '../isac/echo-model.js';
import type { FusionDiagnostics } from '../isac/fusion/types.js';
import type { StateEstimate } from '../isac/state-estimate.js';
import type { TrackReport } from '../isac/tracking/types.js';
import { port, recordKey } from './port.js';

export type { StateEstimate } from '../isac/state-estimate.js';
export type { TrackReport } from '../isac/tracking/types.js';
export type { TargetObservation } from '../isac/association/types.js';

/** `frame.data.crb`: per mode, per target (in `frame.truth` order) the full bound or the singular report. */
export type CrbFrameData = Partial<Record<CrbMode | 'joint', CrbTargetResult[]>>;

/** One target's entry in `record.crb[resultKey][mode]`. */
export type CrbRecordEntry =
  | {
      sqrtTrP: number;
      sqrtTrA: number;
      stdSpeed: number;
      stdHeading: number;
      sqrtTrVelXY: number;
      crbP: Mat2;
      crbA: Mat2;
    }
  | { singular: true; reason: string };

// ---- frame.data ----------------------------------------------------------------------------

/** Echo tensors, one per AP in the order of `frame.aps` (echo-generator). */
export const Echoes = port<EchoTensor[]>('echoes', {
  type: 'EchoTensor[]',
  doc: 'echo tensor N_A x N_c x M per AP (eq. 1), in the order of frame.aps',
});
/** The complex echo amplitudes α per AP and target (echo-generator). */
export const EchoAmplitudes = port<Float64Array[]>('echoAmplitudes', {
  type: 'Float64Array[]',
  doc: 'per AP: the complex amplitudes α of the echoes (interleaved re, im), one per target',
});
/** CP decompositions, one per AP (cp-decomposer). */
export const Decompositions = port<CpDecomposition[]>('decompositions', {
  type: 'CpDecomposition[]',
  doc: 'CP decomposition Y ≈ [[U, V, W]] per AP (eqs. 31-36)',
});
/** Associated targets with their per-AP range, angle, Doppler and weights (music-associator). */
export const Observations = port<TargetObservation[]>('observations', {
  type: 'TargetObservation[]',
  doc: 'per associated target: per-AP range, AoA, Doppler, CP factors and eq. (42) weights',
});
/** Fused target states of the frame (fusion-solver); a tracker reads them. */
export const Estimates = port<StateEstimate[]>('estimates', {
  type: 'StateEstimate[]',
  doc: 'estimated target states { position, velocity } of the frame',
});
/** Live tracks after this frame (tracker). */
export const Tracks = port<TrackReport[]>('tracks', {
  type: 'TrackReport[]',
  doc: 'every live track: id, position, velocity, age, hits, misses, confirmed',
});
/** CRB per mode and target (crb-evaluator). */
export const Crb = port<CrbFrameData>('crb', {
  type: 'CrbFrameData',
  doc: 'CRB per mode and target (full matrices), or the singular report',
});
/** The placement stage's result: its record plus the continuous layout and trace (placement-optimizer). */
export const Placement = port<PlacementData>('placement', {
  type: 'PlacementData',
  doc: 'the optimised layout: record, continuous solution and the strategy trace',
});

/** Every built-in port, for docs and tooling. */
export const BUILTIN_PORTS = [
  Echoes,
  EchoAmplitudes,
  Decompositions,
  Observations,
  Estimates,
  Tracks,
  Crb,
  Placement,
] as const;

// ---- frame record (records.jsonl): record[key][resultKey] = one entry -----------------------

/**
 * The built-in record keys: `ctx.record(Records.placement, rec)` writes `record.placement[resultKey]`.
 * One entry per key; the layout is the same for every stage (docs/records.md).
 */
export const Records = {
  estimates: recordKey<StateEstimate[]>('estimates', {
    type: 'StateEstimate[]',
    doc: 'estimated targets { position [m], velocity { speed [m/s], heading [rad] } }; the summary matches them to the truth (one series per result key)',
  }),
  fusion: recordKey<FusionDiagnostics[]>('fusion', {
    type: 'FusionDiagnostics[]',
    doc: 'per target: objective value, evaluations, iterations, stop reason and search box of the location and velocity problems',
  }),
  tracks: recordKey<TrackReport[]>('tracks', {
    type: 'TrackReport[]',
    doc: 'every live track after the frame',
  }),
  crb: recordKey<Partial<Record<CrbMode | 'joint', CrbRecordEntry[]>>>('crb', {
    type: "Record<CrbMode | 'joint', CrbRecordEntry[]>",
    doc: 'per mode, per target (truth order): sqrtTrP [m], sqrtTrA, stdSpeed [m/s], stdHeading [rad], sqrtTrVelXY [m/s], crbP, crbA; or { singular, reason }',
  }),
  crbMap: recordKey<CrbMapRecord>('crbMap', {
    type: 'CrbMapRecord',
    doc: 'grid of √tr CRB_p [m] and √tr CRB(vx, vy) [m/s] (rows over ys), null where singular; the APs',
  }),
  decompositions: recordKey<DecompositionRecord[]>('decompositions', {
    type: 'DecompositionRecord[]',
    doc: 'per AP: rank, ALS and LM iterations, status, relative fit error, σ̂², degeneracy, warnings',
  }),
  associations: recordKey<AssociationRecord[]>('associations', {
    type: 'AssociationRecord[]',
    doc: 'per associated target: ranges [m], angles [rad], dopplers [Hz], CP components (one per AP), cost',
  }),
  association: recordKey<AssociationSummaryRecord>('association', {
    type: 'AssociationSummaryRecord',
    doc: 'the association as a whole: method, cost, evaluated permutation sets',
  }),
  associationCheck: recordKey<AssociationCheckRecord>('associationCheck', {
    type: 'AssociationCheckRecord',
    doc: 'correct (boolean), targets, truth, per-AP range/sin/Doppler errors, rangeRmse [m]',
  }),
  profile: recordKey<ProfileRecord>('profile', {
    type: 'ProfileRecord',
    doc: 'normalised (P3) location and (P4) velocity grids, peaks, detections and ghosts (Fig. 8)',
  }),
  placement: recordKey<PlacementRecord>('placement', {
    type: 'PlacementRecord',
    doc: 'objective Initial/continuous/integer, reductionPct, positions, antennas, tr CRB per design target in both modes',
  }),
  bench: recordKey<BenchRecord>('bench', {
    type: 'BenchRecord',
    doc: 'one solver run: gap f(x̂) − f(x*), distance, success, evaluations, stop reason',
  }),
  detections: recordKey<DetectionRecord[]>('detections', {
    type: 'DetectionRecord[]',
    doc: 'per AP and matched target: FFT range/Doppler/AoA, the truth, errors in resolution cells',
  }),
  detectionRate: recordKey<number>('detectionRate', {
    type: 'number',
    doc: 'fraction of (AP, target) pairs detected in the true range, Doppler and angle bin',
  }),
} as const;

/** Every built-in record key, for docs and tooling. */
export const BUILTIN_RECORD_KEYS = Object.values(Records);
