import { describe, expect, it } from 'vitest';
import type { Frame, StageContext } from '../../../src/core/frame.js';
import { createStageContext } from '../../../src/core/stage-context.js';
import { defaultScenario } from '../../../src/isac/default-scenario.js';
import { PlacementObjective, type DesignTarget } from '../../../src/isac/placement/index.js';
import type { Target } from '../../../src/isac/scenario-types.js';
import { Rng } from '../../../src/math/rng.js';
import { PlacementOptimizerStage } from '../../../stages/placement-optimizer/placement-optimizer.js';
import type { PlacementRecord } from '../../../stages/placement-optimizer/placement-record.js';
import { registry } from './helpers.js';

/** Two design targets 2 m apart with similar velocities (one resolution cell at every AP) and a third far off. */
const TARGETS: Target[] = [
  { position: [170, 180], velocity: { speed: 100, heading: 1.0 } },
  { position: [171.6, 181.2], velocity: { speed: 102, heading: 1.05 } },
  { position: [205, 140], velocity: { speed: 95, heading: 2.2 } },
];

function frameOf(): Frame {
  const scenario = defaultScenario();
  return {
    trial: 0,
    frame: 0,
    point: {},
    pointKey: '',
    scenario,
    aps: scenario.aps.map((a) => ({ position: [...a.position] as [number, number], antennas: a.antennas })),
    truth: TARGETS,
    branch: '',
    data: {},
    record: { point: {}, trial: 0, frame: 0, seed: 1, truth: TARGETS, timings: {} },
  };
}

const ctx = (frame: Frame): StageContext =>
  createStageContext(frame, { stageId: 'placement', rng: new Rng(['placement-joint-stage-test']), registry });

function place(params: Record<string, unknown>): PlacementRecord {
  const frame = frameOf();
  new PlacementOptimizerStage({ maxAntennas: 32, minAntennas: 4, ...params }, registry).process(
    frame,
    ctx(frame),
  );
  return (frame.record.placement as Record<string, PlacementRecord>).placement!; // record.placement[resultKey]
}

const layout = (r: PlacementRecord): Float64Array =>
  Float64Array.from([...r.positions.flat(), ...r.antennas]);

describe('placement-optimizer, crbMode joint (Phase 1 on the multi-target bound)', () => {
  const admm = place({ strategy: 'admm', crbMode: 'joint' });
  const direct = place({ strategy: 'direct', crbMode: 'joint' });
  const exact = place({ strategy: 'admm', crbMode: 'exact' });

  it('admm and direct both run, lower the joint objective and reach the same integer layout', () => {
    for (const r of [admm, direct]) {
      expect(r.crbMode).toBe('joint');
      expect(r.objective!).toBeLessThan(r.objectiveInitial!);
      expect(r.antennas.reduce((a, b) => a + b, 0)).toBe(32);
      for (const n of r.antennas) expect(n).toBeGreaterThanOrEqual(4);
    }
    expect(admm.stopReason).toBe('converged');
    expect(Math.abs(admm.objective! / direct.objective! - 1)).toBeLessThan(1e-4);
    expect(admm.antennas).toEqual(direct.antennas);
  });

  it('records the joint traces, from which the objective is recomputed; joint ≥ exact for the close pair', () => {
    const hs = admm.crbFinal.joint.map((e) => 0.5 * admm.psiP * e.trP! + 0.5 * admm.psiA * e.trA!);
    expect(Math.max(...hs)).toBeCloseTo(admm.objective!, 10);
    expect(admm.trCrbP).toEqual(admm.crbFinal.joint.map((e) => e.trP));
    for (const u of [0, 1])
      expect(admm.crbFinal.joint[u]!.trP!).toBeGreaterThan(admm.crbFinal.exact[u]!.trP!);
  });

  it('the joint-optimised layout is no worse on the joint objective than the exact-optimised one', () => {
    const sc = defaultScenario();
    const design: DesignTarget[] = TARGETS.map((t) => ({
      x: t.position[0],
      y: t.position[1],
      speed: t.velocity.speed,
      heading: t.velocity.heading,
    }));
    const obj = new PlacementObjective(sc.system, sc.snr, 'joint', design, 4, 0.5);
    obj.psiP = admm.psiP;
    obj.psiA = admm.psiA;
    expect(obj.worst(layout(admm))).toBeLessThanOrEqual(obj.worst(layout(exact)) * (1 + 1e-9));
  });
});
