import { describe, expect, it } from 'vitest';
import { SPEED_OF_LIGHT } from '../../../src/isac/constants.js';
import { echoSnr } from '../../../src/isac/echo-model.js';
import type { Target } from '../../../src/isac/scenario-types.js';
import {
  correctedP,
  correctedT,
  CrbKernel,
  crbTargets,
  crbVariantTargets,
  dopplerXi,
  EXACT_VARIANT,
  isSingular,
  localFimKnown,
  localFimUnknown,
  localJacobian,
  newPairTerms,
  pairTerms,
  PAPER_VARIANT,
  paperBlockMatrix,
  paperBlocks,
  paperPrintedCrb,
  printedP,
  printedT,
  type CrbBound,
  type CrbDetail,
  type CrbSingular,
  type CrbVariant,
} from '../../../src/isac/crb/index.js';
import { loadCrbVectors, type M, type Summary } from './vectors.js';

/**
 * Every case and target of shared/testdata/crb-vectors.json (independent reference: closed forms
 * checked against brute-force Slepian-Bangs on the explicit signal). The file stores 10
 * significant digits, so the reachable agreement is ~5e-10; we require relative error ≤ 1e-8 on
 * every entry, and exact zeros where the reference has exact zeros.
 */
const REL = 1e-8;
const vectors = loadCrbVectors();

class Checker {
  readonly failures: string[] = [];
  count = 0;
  close(actual: number, expected: number, label: string): void {
    this.count++;
    const ok = expected === 0 ? actual === 0 : Math.abs(actual - expected) <= REL * Math.abs(expected);
    if (!ok || !Number.isFinite(actual)) this.failures.push(`${label}: got ${actual}, want ${expected}`);
  }
  matrix(actual: ArrayLike<number> | number[][], expected: M, label: string): void {
    const flat =
      Array.isArray(actual) && Array.isArray(actual[0])
        ? (actual as number[][]).flat()
        : Array.from(actual as ArrayLike<number>);
    const cols = (expected[0] as number[]).length;
    expect(flat.length, label).toBe(expected.length * cols);
    expected.forEach((row, i) =>
      row.forEach((v, j) => this.close(flat[i * cols + j] as number, v, `${label}[${i}][${j}]`)),
    );
  }
  block(m: Float64Array, b0: number, expected: M, label: string): void {
    this.matrix(
      [m[5 * b0] as number, m[5 * b0 + 1] as number, m[5 * b0 + 4] as number, m[5 * b0 + 5] as number],
      expected,
      label,
    );
  }
  summary(b: CrbBound, s: Summary, label: string): void {
    this.close(b.sqrtTrP, s.sqrt_tr_p, `${label}.sqrtTrP`);
    this.close(b.sqrtTrA, s.sqrt_tr_a, `${label}.sqrtTrA`);
    this.close(b.stdX, s.std_x, `${label}.stdX`);
    this.close(b.stdY, s.std_y, `${label}.stdY`);
    this.close(b.stdSpeed, s.std_v, `${label}.stdSpeed`);
    this.close(b.stdHeading, s.std_theta_u, `${label}.stdHeading`);
    this.close(b.sqrtTrVelXY, s.sqrt_tr_vel_xy, `${label}.sqrtTrVelXY`);
  }
}

function regular(r: CrbDetail | CrbSingular | undefined, label: string): CrbDetail {
  if (r === undefined || 'singular' in r)
    throw new Error(`${label}: unexpected singular result ${JSON.stringify(r)}`);
  return r;
}

const VARIANTS: Record<string, CrbVariant> = {
  exact_unknown_joint: EXACT_VARIANT,
  exact_unknown_decoupled: { amplitude: 'unknown', indexBase: 1, coupling: 'decoupled', scale: 2 },
  exact_known_joint: { amplitude: 'known', indexBase: 1, coupling: 'joint', scale: 2 },
  exact_known_decoupled: { amplitude: 'known', indexBase: 1, coupling: 'decoupled', scale: 2 },
  exact_known_joint_idx0: { amplitude: 'known', indexBase: 0, coupling: 'joint', scale: 2 },
};

describe('crb-vectors.json', () => {
  it('uses the same speed of light', () => {
    expect(vectors.speedOfLight).toBe(SPEED_OF_LIGHT);
    expect(vectors.cases.length).toBeGreaterThanOrEqual(5);
  });

  for (const c of vectors.cases) {
    const { system: sys, aps, snr } = c.scenario;
    describe(c.name, () => {
      for (const vt of c.targets) {
        const target = c.scenario.targets[vt.index] as Target;
        const { speed, heading } = target.velocity;
        const tag = `${c.name}#${vt.index}`;

        it(`target ${vt.index}: per-AP geometry, Ξ, Jacobians (corrected and printed), local FIMs, blocks A..F`, () => {
          const ck = new Checker();
          expect(vt.per_ap.length).toBe(aps.length);
          const terms = newPairTerms();
          const g = new Float64Array(12);
          const k = new Float64Array(9);
          aps.forEach((ap, l) => {
            const ref = vt.per_ap[l]!;
            const lb = `${tag} ap${l}`;
            pairTerms(
              ap.position[0],
              ap.position[1],
              target.position[0],
              target.position[1],
              speed,
              Math.cos(heading),
              Math.sin(heading),
              sys.carrierHz,
              terms,
            );
            ck.close(terms.r, ref.r, `${lb} r`);
            ck.close(Math.atan2(terms.sinAoa, terms.cosAoa), ref.theta, `${lb} theta`);
            ck.close(terms.tau, ref.tau, `${lb} tau`);
            ck.close(terms.sinAoa, ref.sin_theta, `${lb} sin theta`);
            ck.close(terms.fd, ref.f_D, `${lb} f_D`);
            const snrLin = echoSnr(snr, terms.r);
            ck.close(snrLin, ref.snr_lin, `${lb} snr`);
            // Ξ regular form = the (θ_u, f_D) entry of T, and = f_D tan(θ_l − θ_u) of (13)
            ck.close(dopplerXi(sys.carrierHz, speed, terms.chi), ref.T_printed_cols[1]![2]!, `${lb} Xi`);
            const printedXi = terms.fd * Math.tan(Math.atan2(terms.sinAoa, terms.cosAoa) - heading);
            expect(Math.abs(terms.xi - printedXi)).toBeLessThanOrEqual(
              1e-12 * (Math.abs(terms.fd) + Math.abs(printedXi)),
            );
            localJacobian(terms, speed, sys.carrierHz, g);
            ck.matrix(g, ref.jacobian_local, `${lb} jacobian_local`);
            const J = ref.jacobian_local;
            const col = (j: number): number[] => [J[0]![j]!, J[1]![j]!, J[2]![j]!];
            ck.matrix(correctedP(terms, speed, sys.carrierHz), [col(0), col(1)], `${lb} P corrected`);
            ck.matrix(correctedT(terms, speed, sys.carrierHz), [col(2), col(3)], `${lb} T corrected`);
            ck.matrix(printedP(terms), ref.P_printed_cols, `${lb} P printed (13)`);
            ck.matrix(printedT(terms, speed, sys.carrierHz), ref.T_printed_cols, `${lb} T printed (15)`);
            localFimKnown(snrLin, ap.antennas, sys, 1, 2, k);
            ck.matrix(k, ref.fim_local_known, `${lb} fim_local_known`);
            localFimUnknown(snrLin, ap.antennas, sys, 2, k);
            ck.matrix(k, ref.fim_local_unknown, `${lb} fim_local_unknown`);
            const pb = paperBlocks(snrLin, ap.antennas, sys);
            for (const key of ['A', 'B', 'C', 'D', 'E', 'F'] as const)
              ck.close(pb[key], vt.paper_blocks[key][l]!, `${lb} block ${key}`);
            // the printed blocks are half the known-amplitude Slepian-Bangs FIM (model notes)
            ck.matrix(
              paperBlockMatrix(pb).map((v) => 2 * v),
              ref.fim_local_known,
              `${lb} 2·[A..F]`,
            );
          });
          expect(ck.failures).toEqual([]);
          expect(ck.count).toBeGreaterThan(60 * aps.length);
        });

        it(`target ${vt.index}: 4×4 FIMs, every CRB variant and mode, summaries, fast path`, () => {
          const ck = new Checker();
          const fims = {
            unknown: regular(
              crbVariantTargets(aps, [target], sys, snr, VARIANTS.exact_unknown_joint!)[0],
              tag,
            ),
            known: regular(crbVariantTargets(aps, [target], sys, snr, VARIANTS.exact_known_joint!)[0], tag),
            known_idx0: regular(
              crbVariantTargets(aps, [target], sys, snr, VARIANTS.exact_known_joint_idx0!)[0],
              tag,
            ),
          };
          for (const key of ['unknown', 'known', 'known_idx0'] as const)
            ck.matrix(fims[key].fim, vt.exact_fim_4x4[key], `${tag} fim4 ${key}`);
          for (const [key, variant] of Object.entries(VARIANTS)) {
            const r = regular(crbVariantTargets(aps, [target], sys, snr, variant)[0], `${tag} ${key}`);
            ck.matrix(r.crb, vt.crb[key as keyof typeof vt.crb] as M, `${tag} crb ${key}`);
            ck.summary(r.bound, vt.summary[key]!, `${tag} summary ${key}`);
          }
          // paper: decoupled, blocks (7)-(12), corrected P and T
          const paper = regular(crbVariantTargets(aps, [target], sys, snr, PAPER_VARIANT)[0], `${tag} paper`);
          ck.block(paper.fim, 0, vt.crb.paper.FIM_p, `${tag} paper FIM_p`);
          ck.block(paper.fim, 2, vt.crb.paper.FIM_a, `${tag} paper FIM_a`);
          ck.block(paper.crb, 0, vt.crb.paper.CRB_p, `${tag} paper CRB_p`);
          ck.block(paper.crb, 2, vt.crb.paper.CRB_a, `${tag} paper CRB_a`);
          // paper-printed
          const printed = paperPrintedCrb(aps, target, sys, snr);
          ck.matrix(printed.fimP, vt.crb.paper_printed.FIM_p, `${tag} printed FIM_p`);
          ck.matrix(printed.fimA, vt.crb.paper_printed.FIM_a, `${tag} printed FIM_a`);
          // public modes
          const modes = [
            ['exact', 'exact_unknown_joint'],
            ['paper', 'paper'],
            ['paper-printed', 'paper_printed'],
          ] as const;
          for (const [mode, key] of modes) {
            const r = crbTargets(aps, [target], sys, snr, mode)[0]!;
            if (isSingular(r)) throw new Error(`${tag} ${mode}: ${r.reason}`);
            ck.summary(r, vt.summary[key]!, `${tag} mode ${mode}`);
            if (mode !== 'exact') {
              ck.matrix(r.crbP, vt.crb[key as 'paper' | 'paper_printed'].CRB_p, `${tag} mode ${mode} crbP`);
              ck.matrix(r.crbA, vt.crb[key as 'paper' | 'paper_printed'].CRB_a, `${tag} mode ${mode} crbA`);
            } else {
              const e = vt.crb.exact_unknown_joint;
              ck.matrix(r.crbP, [e[0]!.slice(0, 2), e[1]!.slice(0, 2)], `${tag} mode exact crbP`);
              ck.matrix(r.crbA, [e[2]!.slice(2, 4), e[3]!.slice(2, 4)], `${tag} mode exact crbA`);
            }
          }
          // fast path: traces = squared √tr summaries
          const xy = Float64Array.from(aps.flatMap((a) => a.position));
          const na = Float64Array.from(aps.map((a) => a.antennas));
          const out = new Float64Array(2);
          for (const [mode, key] of [
            ['exact', 'exact_unknown_joint'],
            ['paper', 'paper'],
          ] as const) {
            const kernel = new CrbKernel(sys, snr, mode);
            expect(kernel.evaluate(xy, na, target.position[0], target.position[1], speed, heading, out)).toBe(
              true,
            );
            ck.close(out[0]!, vt.summary[key]!.sqrt_tr_p ** 2, `${tag} kernel ${mode} trP`);
            ck.close(out[1]!, vt.summary[key]!.sqrt_tr_a ** 2, `${tag} kernel ${mode} trA`);
          }
          expect(ck.failures).toEqual([]);
        });
      }
    });
  }
});
