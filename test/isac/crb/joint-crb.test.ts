import { createStageContext } from '../../../src/core/stage-context.js';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  crbTargets,
  isSingular,
  jointCrbDetail,
  jointCrbTargets,
  type CrbBound,
  type CrbTargetResult,
} from '../../../src/isac/crb/index.js';
import { defaultScenario } from '../../../src/isac/default-scenario.js';
import type { Ap, SnrSpec, SystemParams, Target } from '../../../src/isac/scenario-types.js';
import type { Frame, StageContext } from '../../../src/core/frame.js';
import { PluginRegistry } from '../../../src/core/plugin-registry.js';
import { Rng } from '../../../src/math/rng.js';
import {
  crbEvaluator,
  crbEvaluatorParams,
  CrbEvaluatorStage,
  type CrbRecordEntry,
} from '../../../stages/crb-evaluator/crb-evaluator.js';

/**
 * The joint (multi-target) CRB (model notes, "The joint (multi-target) CRB"):
 * shared/testdata/joint-crb-vectors.json was computed independently by brute force on the explicit
 * 8x128x128 signals (10 digits), so ≤ 1e-8 relative is the check; with one target it is the
 * `exact` mode; targets far apart → exact; targets sharing cells → larger; coincident → singular.
 */
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const SHARED = resolve(repoRoot, '../shared/testdata/joint-crb-vectors.json');
const COPY = resolve(repoRoot, 'test/fixtures/shared-testdata/joint-crb-vectors.json');

interface JointCase {
  name: string;
  scenario: { system: SystemParams; aps: Ap[]; snr: SnrSpec };
  targets: Target[];
  phases: number[][];
  expected: Array<Record<'sqrtTrP' | 'sqrtTrA' | 'stdSpeed' | 'stdHeading' | 'sqrtTrVelXY', number>>;
}
const cases = (JSON.parse(readFileSync(existsSync(SHARED) ? SHARED : COPY, 'utf8')) as { cases: JointCase[] })
  .cases;

function bound(r: CrbTargetResult | undefined): CrbBound {
  if (r === undefined || isSingular(r)) throw new Error(`unexpected singular: ${JSON.stringify(r)}`);
  return r;
}

const FIELDS = ['sqrtTrP', 'sqrtTrA', 'stdX', 'stdY', 'stdSpeed', 'stdHeading', 'sqrtTrVelXY'] as const;

describe('joint CRB', () => {
  it.runIf(existsSync(SHARED))('the fixture copy equals shared/testdata/joint-crb-vectors.json', () => {
    expect(readFileSync(COPY).equals(readFileSync(SHARED))).toBe(true);
  });

  for (const c of cases) {
    it(`reference case ${c.name}: every target and field within 1e-8 relative`, () => {
      const res = jointCrbTargets(c.scenario.aps, c.targets, c.scenario.system, c.scenario.snr, c.phases);
      c.expected.forEach((e, u) => {
        const b = bound(res[u]);
        for (const [k, v] of Object.entries(e))
          expect(Math.abs((b[k as keyof typeof e] - v) / v), `${c.name} target ${u} ${k}`).toBeLessThan(1e-8);
      });
    });
  }

  it('one target: equals the exact mode (every field, 1e-12 relative), whatever the phase', () => {
    const sc = defaultScenario();
    for (const t of sc.targets as Target[]) {
      const j = bound(jointCrbTargets(sc.aps, [t], sc.system, sc.snr, [[0.3], [1.1], [2.0], [-0.7]])[0]);
      const e = bound(crbTargets(sc.aps, [t], sc.system, sc.snr, 'exact')[0]);
      for (const f of FIELDS) expect(Math.abs(j[f] / e[f] - 1), f).toBeLessThan(1e-12);
    }
  });

  it('well-separated targets: equals exact within 1e-6 relative on every field', () => {
    // Cross terms decay like the sidelobes of the three steering dimensions (∝ 1/(N Δω) each), and
    // the bound moves with their square: targets far apart in range, angle and Doppler at every AP,
    // with a CPI of 512 subcarriers x 512 symbols (the paper's 128 x 128 leaves ~1e-5, see below).
    const sc = defaultScenario();
    const sys = { ...sc.system, subcarriers: 512, symbols: 512 };
    const snr: SnrSpec = { db: 0, referenceRangeM: 250, pathLoss: 'none' };
    const pairs: Target[][] = [
      [
        { position: [60, 290], velocity: { speed: 100, heading: 0.3 } },
        { position: [290, 60], velocity: { speed: 30, heading: 2.0 } },
      ],
      [
        { position: [120, 80], velocity: { speed: 150, heading: 0.8 } },
        { position: [230, 270], velocity: { speed: 40, heading: 2.5 } },
      ],
    ];
    for (const targets of pairs) {
      const j = jointCrbTargets(sc.aps, targets, sys, snr, [
        [0.4, 2.2],
        [1.0, 5.0],
        [3.0, 0.1],
        [4.0, 1.5],
      ]);
      const e = crbTargets(sc.aps, targets, sys, snr, 'exact');
      targets.forEach((_, u) => {
        const bj = bound(j[u]);
        const be = bound(e[u]);
        for (const f of FIELDS) expect(Math.abs(bj[f] / be[f] - 1), `target ${u} ${f}`).toBeLessThan(1e-6);
      });
    }
  });

  it('targets sharing a resolution cell: the joint bound is larger than exact (never smaller)', () => {
    const sc = defaultScenario();
    const a: Target = { position: [170, 180], velocity: { speed: 100, heading: 1.0 } };
    for (const d of [0.5, 2, 8, 30]) {
      const b: Target = { position: [170 + d * 0.8, 180 + d * 0.6], velocity: { speed: 101, heading: 1.05 } };
      const j = jointCrbTargets(sc.aps, [a, b], sc.system, sc.snr);
      const e = crbTargets(sc.aps, [a, b], sc.system, sc.snr, 'exact');
      for (const u of [0, 1]) {
        const bj = bound(j[u]);
        const be = bound(e[u]);
        expect(bj.sqrtTrP).toBeGreaterThanOrEqual(be.sqrtTrP * (1 - 1e-12));
        expect(bj.sqrtTrA).toBeGreaterThanOrEqual(be.sqrtTrA * (1 - 1e-12));
        // 0.5 m apart: well inside one range cell (39 m), beam (14°) and Doppler cell at every AP
        if (d === 0.5) expect(bj.sqrtTrP / be.sqrtTrP).toBeGreaterThan(1.2);
      }
    }
  });

  it('coincident targets are reported singular with a reason naming the partner; a third target keeps its bound', () => {
    const sc = defaultScenario();
    const a: Target = { position: [170, 180], velocity: { speed: 100, heading: 1.0 } };
    const far: Target = { position: [140, 220], velocity: { speed: 95, heading: 2.4 } };
    const res = jointCrbTargets(sc.aps, [a, { ...a }, far], sc.system, sc.snr);
    for (const u of [0, 1]) {
      const r = res[u]!;
      expect(isSingular(r)).toBe(true);
      if (isSingular(r)) expect(r.reason).toMatch(new RegExp(`target ${1 - u} at 0\\.00 m`));
      expect(JSON.stringify(r)).not.toMatch(/NaN|Infinity|null/);
    }
    const third = bound(res[2]);
    const alone = bound(crbTargets(sc.aps, [far], sc.system, sc.snr, 'exact')[0]);
    expect(third.sqrtTrP / alone.sqrtTrP).toBeGreaterThan(0.999);
    expect(third.sqrtTrP / alone.sqrtTrP).toBeLessThan(1.1);
  });

  it('one AP or a target on an AP: singular, as in the exact mode', () => {
    const sc = defaultScenario();
    const t = (sc.targets as Target[])[0]!;
    const one = jointCrbTargets([sc.aps[0]!], [t], sc.system, sc.snr);
    expect(isSingular(one[0]!)).toBe(true);
    const on: Target = {
      position: [...sc.aps[1]!.position] as [number, number],
      velocity: { speed: 100, heading: 1 },
    };
    const res = jointCrbTargets(sc.aps, [t, on], sc.system, sc.snr);
    expect(isSingular(res[1]!)).toBe(true);
    expect(isSingular(res[0]!)).toBe(false);
  });

  it('the detail exposes the symmetric 4U×4U FIM and its inverse', () => {
    const c = cases.find((x) => x.name === 'three-in-area')!;
    const d = jointCrbDetail(c.scenario.aps, c.targets, c.scenario.system, c.scenario.snr, c.phases);
    const n = 12;
    expect(d.fim.length).toBe(n * n);
    let maxErr = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        expect(d.fim[n * i + j]).toBe(d.fim[n * j + i]);
        let s = 0;
        for (let k = 0; k < n; k++)
          s += d.fim[n * i + k]! * d.crb[n * k + j]! * Math.sqrt(d.fim[n * j + j]! / d.fim[n * i + i]!);
        maxErr = Math.max(maxErr, Math.abs(s - (i === j ? 1 : 0)));
      }
    }
    expect(maxErr).toBeLessThan(1e-8);
  });

  it("crb-evaluator mode joint: uses the frame's echo phases (data.echoAmplitudes) and writes record.crb.joint", () => {
    const c = cases.find((x) => x.name === 'two-close-phase-quarter')!;
    const scenario = {
      ...defaultScenario(),
      system: c.scenario.system,
      aps: c.scenario.aps,
      snr: c.scenario.snr,
      targets: c.targets,
    };
    const amplitudes = c.phases.map((ph) =>
      Float64Array.from(ph.flatMap((p) => [3 * Math.cos(p), 3 * Math.sin(p)])),
    );
    const frame: Frame = {
      trial: 0,
      frame: 0,
      point: {},
      pointKey: '',
      scenario,
      aps: c.scenario.aps,
      truth: c.targets,
      branch: '',
      data: { echoAmplitudes: amplitudes },
      record: { point: {}, trial: 0, frame: 0, seed: 1, truth: c.targets, timings: {} },
    };
    const registry = new PluginRegistry();
    registry.register(crbEvaluator);
    const ctx: StageContext = createStageContext(frame, { stageId: 'crb', rng: new Rng(['t']), registry });
    new CrbEvaluatorStage(crbEvaluatorParams.parse({ modes: ['exact', 'joint'] })).process(frame, ctx);
    const rec = (frame.record.crb as Record<string, Record<string, CrbRecordEntry[]>>).crb!; // record.crb[resultKey][mode]
    expect(Object.keys(rec).sort()).toEqual(['exact', 'joint']);
    rec.joint!.forEach((e, u) => {
      if ('singular' in e) throw new Error(e.reason);
      expect(Math.abs(e.sqrtTrP / c.expected[u]!.sqrtTrP - 1)).toBeLessThan(1e-8);
    });
    expect(() => crbEvaluatorParams.parse({ mode: 'jointt' })).toThrow();
  });
});
