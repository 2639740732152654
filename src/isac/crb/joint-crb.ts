import type { Ap, SnrSpec, SystemParams, Target } from '../scenario-types.js';
import { summariseBound } from './crb-summary.js';
import type { CrbSingular, CrbTargetResult, Mat2 } from './crb-types.js';
import { JointFim } from './joint-fim.js';
import { jointInverse } from './joint-inverse.js';

const PARAMS = ['x', 'y', 'v', 'θ_u'] as const;
/** A target takes part in a null direction when one of its (equilibrated) components reaches this. */
const NULL_SHARE = 0.05;

/** Joint bound of one frame: per target the result, plus the 4U×4U matrices (targets on an AP left out). */
export interface JointCrbDetail {
  results: CrbTargetResult[];
  /** indices (into the input) of the targets in the matrices, in order */
  included: number[];
  fim: Float64Array;
  crb: Float64Array;
  rcond: number;
}

/**
 * `crb-evaluator` mode `joint`: the exact multi-target bound (model notes, "The joint (multi-target)
 * CRB"): Fisher information of every target's (x, y, v, θ_u) with one unknown complex amplitude per
 * (AP, target), Slepian-Bangs on the full model of eq. (1); target u's bound is the 4×4 block u of
 * the inverse. `phases[l][u]` = arg α_{l,u} (rad): the frame's true RCS phases when known, else all
 * zero (the convention of the model notes). With one target, or targets far apart, it equals `exact`.
 * Coincident targets (or any unidentifiable combination) are reported `{ singular: true, reason }`.
 */
export function jointCrbDetail(
  aps: readonly Ap[],
  targets: readonly Target[],
  sys: SystemParams,
  snr: SnrSpec,
  phases?: ArrayLike<ArrayLike<number>>,
): JointCrbDetail {
  const results: CrbTargetResult[] = new Array(targets.length);
  const apXY = new Float64Array(2 * aps.length);
  const antennas = new Float64Array(aps.length);
  aps.forEach((a, l) => {
    apXY[2 * l] = a.position[0];
    apXY[2 * l + 1] = a.position[1];
    antennas[l] = a.antennas;
  });
  const included: number[] = [];
  targets.forEach((t, u) => {
    const on = aps.findIndex((a) => a.position[0] === t.position[0] && a.position[1] === t.position[1]);
    if (on >= 0)
      results[u] = {
        singular: true,
        reason: `the target coincides with AP ${on} (range 0: delay and angle are undefined)`,
      };
    else included.push(u);
  });
  const bad = aps.findIndex(
    (a) =>
      !(a.antennas >= 1) ||
      !Number.isInteger(a.antennas) ||
      !Number.isFinite(a.position[0]) ||
      !Number.isFinite(a.position[1]),
  );
  if (bad >= 0) {
    const r: CrbSingular = {
      singular: true,
      reason: `AP ${bad} has a non-finite position or an antenna count that is not an integer ≥ 1 (N_A = ${aps[bad]?.antennas})`,
    };
    return {
      results: targets.map(() => r),
      included: [],
      fim: new Float64Array(0),
      crb: new Float64Array(0),
      rcond: 0,
    };
  }
  const nU = included.length;
  const psi = new Float64Array(4 * nU);
  included.forEach((u, k) => {
    const t = targets[u] as Target;
    psi.set([t.position[0], t.position[1], t.velocity.speed, t.velocity.heading], 4 * k);
  });
  const jf = new JointFim(sys, snr);
  jf.evaluate(apXY, antennas, psi, (l, k) =>
    phases ? ((phases[l]?.[included[k] as number] as number | undefined) ?? 0) : 0,
  );
  const n4 = 4 * nU;
  const inv = jointInverse(jf.fim, n4);
  const involved = nullInvolvement(inv.nullVectors, inv.zeroDiagonal, nU);
  included.forEach((u, k) => {
    const t = targets[u] as Target;
    const others = involved[k] as Set<number>;
    if (others.size > 0 || inv.zeroDiagonal.some((i) => i >> 2 === k)) {
      results[u] = {
        singular: true,
        reason: singularText(k, others, included, targets, inv.zeroDiagonal, inv.nullVectors, inv.rcond),
      };
      return;
    }
    const c = inv.inverse;
    const o = 4 * k;
    const at = (i: number, j: number): number => c[n4 * (o + i) + o + j] as number;
    const p: Mat2 = [
      [at(0, 0), at(0, 1)],
      [at(1, 0), at(1, 1)],
    ];
    const a: Mat2 = [
      [at(2, 2), at(2, 3)],
      [at(3, 2), at(3, 3)],
    ];
    results[u] = summariseBound(p, a, t.velocity.speed, t.velocity.heading);
  });
  return { results, included, fim: Float64Array.from(jf.fim), crb: inv.inverse, rcond: inv.rcond };
}

/** Per included target: the set of included targets (itself too) that share a null direction with it. */
function nullInvolvement(nullVectors: Float64Array[], zeroDiagonal: number[], nU: number): Set<number>[] {
  const out = Array.from({ length: nU }, () => new Set<number>());
  for (const v of nullVectors) {
    const members: number[] = [];
    for (let k = 0; k < nU; k++) {
      let m = 0;
      for (let i = 0; i < 4; i++) m = Math.max(m, Math.abs(v[4 * k + i] as number));
      if (m >= NULL_SHARE) members.push(k);
    }
    for (const k of members) for (const j of members) out[k]?.add(j);
  }
  for (const i of zeroDiagonal) out[i >> 2]?.add(i >> 2);
  return out;
}

function singularText(
  k: number,
  members: Set<number>,
  included: number[],
  targets: readonly Target[],
  zeroDiagonal: number[],
  nullVectors: Float64Array[],
  rcond: number,
): string {
  const u = included[k] as number;
  const zero = zeroDiagonal.filter((i) => i >> 2 === k).map((i) => PARAMS[i & 3]);
  if (zero.length > 0)
    return `joint FIM: no information on ${zero.join(', ')} of target ${u} (zero Fisher information) [joint]`;
  const t = targets[u] as Target;
  const partners = [...members].filter((j) => j !== k).map((j) => included[j] as number);
  const ratio = rcond < 1e-16 ? '≈ 0' : rcond.toExponential(1);
  if (partners.length > 0) {
    const dist = partners.map((j) => {
      const o = targets[j] as Target;
      return `target ${j} at ${Math.hypot(o.position[0] - t.position[0], o.position[1] - t.position[1]).toPrecision(3)} m`;
    });
    return (
      `joint FIM is singular (eigenvalue ratio ${ratio} after equilibration): target ${u} cannot be separated from ${dist.join(', ')} ` +
      `(the echoes coincide in delay, angle and Doppler at every AP) [joint]`
    );
  }
  const v = nullVectors.find(
    (n) => Math.max(...[0, 1, 2, 3].map((i) => Math.abs(n[4 * k + i] as number))) >= NULL_SHARE,
  );
  const terms = v
    ? [0, 1, 2, 3]
        .map((i) => ({ c: v[4 * k + i] as number, name: PARAMS[i] as string }))
        .filter((x) => Math.abs(x.c) >= NULL_SHARE)
        .map((x) => `${x.c >= 0 ? '+' : '−'}${Math.abs(x.c).toFixed(2)}·${x.name}`)
        .join(' ')
    : '';
  return `joint FIM of target ${u} is singular (eigenvalue ratio ${ratio} after equilibration); unidentifiable combination ≈ ${terms} (equilibrated units) [joint]`;
}

/** Per-target joint bounds; see {@link jointCrbDetail}. */
export function jointCrbTargets(
  aps: readonly Ap[],
  targets: readonly Target[],
  sys: SystemParams,
  snr: SnrSpec,
  phases?: ArrayLike<ArrayLike<number>>,
): CrbTargetResult[] {
  return jointCrbDetail(aps, targets, sys, snr, phases).results;
}
