import type { Ap, SnrSpec, SystemParams, Target } from '../scenario-types.js';
import { echoSnr } from '../echo-model.js';
import type { CrbTargetResult, Mat2 } from './crb-types.js';
import { summariseBound } from './crb-summary.js';
import { paperBlockMatrix, paperBlocks } from './paper-blocks.js';
import { newPairTerms, pairTerms } from './pair-terms.js';
import { isFiniteBlock, printedDegeneracy, printedP, printedT, type Block2x3 } from './printed-jacobians.js';
import { SpdStatus, spdInverse, spdLast } from './spd-inverse.js';

/** FIM_p, FIM_a (2×2) and the CRBs of `paper-printed`. */
export interface PrintedCrb {
  fimP: Mat2;
  fimA: Mat2;
  result: CrbTargetResult;
}

/** Adds B K Bᵀ (B 2×3, K 3×3 row-major) to the 2×2 accumulator `acc` = [a00, a01, a11]. */
function addCongruence(b: Block2x3, k: Float64Array, acc: Float64Array): void {
  const flat = [...b[0], ...b[1]];
  for (let i = 0; i < 2; i++) {
    for (let j = i; j < 2; j++) {
      let s = 0;
      for (let a = 0; a < 3; a++) {
        for (let c = 0; c < 3; c++)
          s += (flat[3 * i + a] as number) * (k[3 * a + c] as number) * (flat[3 * j + c] as number);
      }
      acc[i + j] = (acc[i + j] as number) + s;
    }
  }
}

/**
 * `paper-printed`: Theorems 1-2 with P (13) and T (15) exactly as printed, blocks (7)-(12):
 * CRB_p = [Σ_l P_l J_l P_lᵀ]⁻¹, CRB_a = [Σ_l T_l J_l T_lᵀ]⁻¹. Only to reproduce the published
 * figures: its velocity bound is 29-337× too small (model notes). Reported singular where the
 * printed Jacobians are not defined (Θ_l = 0, Ξ_l = 0, χ_l = 0 or v = 0; see printedDegeneracy).
 */
export function paperPrintedCrb(
  aps: readonly Ap[],
  target: Target,
  sys: SystemParams,
  snr: SnrSpec,
): PrintedCrb {
  const accP = new Float64Array(3);
  const accA = new Float64Array(3);
  const t = newPairTerms();
  const { speed, heading } = target.velocity;
  const toMat = (acc: Float64Array): Mat2 => [
    [acc[0] as number, acc[1] as number],
    [acc[1] as number, acc[2] as number],
  ];
  const singular = (reason: string): PrintedCrb => ({
    fimP: toMat(accP),
    fimA: toMat(accA),
    result: { singular: true, reason },
  });
  for (let l = 0; l < aps.length; l++) {
    const ap = aps[l] as Ap;
    pairTerms(
      ap.position[0],
      ap.position[1],
      target.position[0],
      target.position[1],
      speed,
      Math.cos(heading),
      Math.sin(heading),
      sys.carrierHz,
      t,
    );
    if (!(t.r > 0)) return singular(`paper-printed: the target coincides with AP ${l} (r = 0)`);
    const k = paperBlockMatrix(paperBlocks(echoSnr(snr, t.r), ap.antennas, sys));
    const why = printedDegeneracy(t, speed);
    if (why !== '') return singular(`paper-printed: not defined at AP ${l}: ${why}`);
    const p = printedP(t);
    const tt = printedT(t, speed, sys.carrierHz);
    if (!isFiniteBlock(p) || !isFiniteBlock(tt))
      return singular(`paper-printed: the printed Jacobians are not finite at AP ${l}`);
    addCongruence(p, k, accP);
    addCongruence(tt, k, accA);
  }
  const fimP = toMat(accP);
  const fimA = toMat(accA);
  const inv = new Float64Array(4);
  const invert = (m: Mat2, what: string): Mat2 | string => {
    const s = spdInverse(Float64Array.from([m[0][0], m[0][1], m[1][0], m[1][1]]), 2, inv);
    if (s !== SpdStatus.Ok)
      return `paper-printed: FIM of ${what} is singular (reciprocal condition ${spdLast.rcond.toExponential(2)})`;
    return [
      [inv[0] as number, inv[1] as number],
      [inv[2] as number, inv[3] as number],
    ];
  };
  const crbP = invert(fimP, '(x, y)');
  if (typeof crbP === 'string') return { fimP, fimA, result: { singular: true, reason: crbP } };
  const crbA = invert(fimA, '(v, θ_u)');
  if (typeof crbA === 'string') return { fimP, fimA, result: { singular: true, reason: crbA } };
  return { fimP, fimA, result: summariseBound(crbP, crbA, speed, heading) };
}
