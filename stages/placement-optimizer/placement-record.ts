import { CrbKernel } from '../../src/isac/crb/crb-kernel.js';
import { JointTraceKernel } from '../../src/isac/crb/joint-trace-kernel.js';
import {
  minAntennasOf,
  type DesignTarget,
  type PlacementCrbMode,
  type PlacementOutcome,
  type PlacementProblem,
} from '../../src/isac/placement/index.js';
import type { SnrSpec, SystemParams, Target } from '../../src/isac/scenario-types.js';

/** tr CRB of one design target; null where the Fisher matrix is singular. */
export interface TraceEntry {
  trP: number | null;
  trA: number | null;
}

/** `record.placement` (or `record.placement[resultKey]` inside a variant branch). */
export interface PlacementRecord {
  strategy: string;
  crbMode: PlacementCrbMode;
  radiusM: number;
  maxAntennas: number;
  /** b_min, the least antennas per AP the layout was constrained to (1: the paper's (16c)) */
  minAntennas: number;
  alpha: number;
  psiP: number;
  psiA: number;
  /** worst-case objective (P0) of the Initial layout (nominal positions, equal split) */
  objectiveInitial: number | null;
  /** of the strategy's continuous solution (antennas real) */
  objectiveContinuous: number | null;
  /** of the returned layout (integer antennas) */
  objective: number | null;
  /** 100 (1 − objective / objectiveInitial) */
  reductionPct: number | null;
  /** per design target, tr CRB_p (m²) and tr CRB_a of the returned layout in `crbMode` (Fig. 5's individual metrics) */
  trCrbP: Array<number | null>;
  trCrbA: Array<number | null>;
  positions: Array<[number, number]>;
  antennas: number[];
  continuousAntennas: number[];
  iterations: number;
  evaluations: number;
  stopReason: string;
  /** the targets the layout was designed for */
  designTargets: Target[];
  /** per design target, tr CRB_p (m²) and tr CRB_a ((m/s)² + rad²) in every mode (joint: all design targets together) */
  crbInitial: ModeTraces;
  crbFinal: ModeTraces;
}

export interface ModeTraces {
  exact: TraceEntry[];
  paper: TraceEntry[];
  joint: TraceEntry[];
}

export const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

function traces(
  sys: SystemParams,
  snr: SnrSpec,
  mode: 'exact' | 'paper',
  z: Float64Array,
  L: number,
  targets: readonly DesignTarget[],
): TraceEntry[] {
  const k = new CrbKernel(sys, snr, mode);
  const xy = z.subarray(0, 2 * L);
  const na = z.subarray(2 * L, 3 * L);
  const out = new Float64Array(2);
  return targets.map((t) => {
    k.evaluate(xy, na, t.x, t.y, t.speed, t.heading, out);
    return { trP: finiteOrNull(out[0] as number), trA: finiteOrNull(out[1] as number) };
  });
}

/** The joint bound's traces of every design target (all of them together) at layout z. */
function jointTraces(
  sys: SystemParams,
  snr: SnrSpec,
  z: Float64Array,
  L: number,
  targets: readonly DesignTarget[],
): TraceEntry[] {
  const U = targets.length;
  const trP = new Float64Array(U);
  const trA = new Float64Array(U);
  const psi = Float64Array.from(targets.flatMap((t) => [t.x, t.y, t.speed, t.heading]));
  new JointTraceKernel(sys, snr).evaluate(z.subarray(0, 2 * L), z.subarray(2 * L, 3 * L), psi, trP, trA);
  return targets.map((_, u) => ({
    trP: finiteOrNull(trP[u] as number),
    trA: finiteOrNull(trA[u] as number),
  }));
}

/** Every mode's traces of every design target at layout z. */
export function crbBothModes(
  sys: SystemParams,
  snr: SnrSpec,
  z: Float64Array,
  L: number,
  targets: readonly DesignTarget[],
): ModeTraces {
  return {
    exact: traces(sys, snr, 'exact', z, L, targets),
    paper: traces(sys, snr, 'paper', z, L, targets),
    joint: jointTraces(sys, snr, z, L, targets),
  };
}

export function buildRecord(args: {
  strategy: string;
  crbMode: PlacementCrbMode;
  problem: PlacementProblem;
  initial: Float64Array;
  outcome: PlacementOutcome;
  system: SystemParams;
  snr: SnrSpec;
}): PlacementRecord {
  const { problem, initial, outcome, system, snr } = args;
  const obj = problem.objective;
  const L = obj.L;
  const f0 = obj.worst(initial);
  const fc = obj.worst(outcome.continuous);
  const f = obj.worst(outcome.final);
  const z = outcome.final;
  const crbFinal = crbBothModes(system, snr, z, L, obj.targets);
  return {
    strategy: args.strategy,
    crbMode: args.crbMode,
    radiusM: problem.radius,
    maxAntennas: problem.maxAntennas,
    minAntennas: minAntennasOf(problem),
    alpha: obj.alpha,
    psiP: obj.psiP,
    psiA: obj.psiA,
    objectiveInitial: finiteOrNull(f0),
    objectiveContinuous: finiteOrNull(fc),
    objective: finiteOrNull(f),
    reductionPct: finiteOrNull(100 * (1 - f / f0)),
    trCrbP: crbFinal[args.crbMode].map((e) => e.trP),
    trCrbA: crbFinal[args.crbMode].map((e) => e.trA),
    positions: Array.from(
      { length: L },
      (_, l) => [z[2 * l] as number, z[2 * l + 1] as number] as [number, number],
    ),
    antennas: Array.from(z.subarray(2 * L, 3 * L)),
    continuousAntennas: Array.from(outcome.continuous.subarray(2 * L, 3 * L)),
    iterations: outcome.iterations,
    evaluations: outcome.evaluations,
    stopReason: outcome.stopReason,
    designTargets: obj.targets.map((t) => ({
      position: [t.x, t.y] as [number, number],
      velocity: { speed: t.speed, heading: t.heading },
    })),
    crbInitial: crbBothModes(system, snr, initial, L, obj.targets),
    crbFinal,
  };
}
