import { describe, expect, it } from 'vitest';
import { IsacflowError } from '../../../src/core/errors.js';
import type { Frame, StageContext } from '../../../src/core/frame.js';
import { PluginRegistry } from '../../../src/core/plugin-registry.js';
import type { TargetObservation } from '../../../src/isac/association/types.js';
import type { CpDecomposition } from '../../../src/isac/cp/types.js';
import { defaultScenario } from '../../../src/isac/default-scenario.js';
import { echoSnr, synthesizeEcho, type EchoTensor } from '../../../src/isac/echo-model.js';
import { pairGeometry } from '../../../src/isac/geometry.js';
import type { Scenario, Target } from '../../../src/isac/scenario-types.js';
import { Rng } from '../../../src/math/rng.js';
import {
  CpDecomposerStage,
  cpDecomposer,
  cpDecomposerParams,
} from '../../../stages/cp-decomposer/cp-decomposer.js';
import {
  MusicAssociatorStage,
  musicAssociator,
  musicAssociatorParams,
  resolveAoa,
  type AssociationRecord,
} from '../../../stages/music-associator/music-associator.js';
import { createStageContext } from '../../../src/core/stage-context.js';

const registry = new PluginRegistry();
registry.registerAll([cpDecomposer, musicAssociator]);

function frameOf(scenario: Scenario, echoes?: EchoTensor[]): Frame {
  return {
    trial: 0,
    frame: 0,
    point: {},
    pointKey: 'p',
    scenario,
    aps: scenario.aps,
    truth: scenario.targets as Target[],
    branch: '',
    data: echoes ? { echoes } : {},
    record: { point: {}, trial: 0, frame: 0, seed: 1, truth: scenario.targets as Target[], timings: {} },
  };
}

function ctxOf(stageId: string, frame: Frame): StageContext {
  return createStageContext(frame, { stageId, rng: new Rng(['stage-test', stageId]), registry });
}

function echoesOf(scenario: Scenario, seed: string): EchoTensor[] {
  return scenario.aps.map(
    (ap, l) =>
      synthesizeEcho(
        scenario.system,
        ap,
        scenario.targets as Target[],
        scenario.snr,
        new Rng(['stage-echo', seed, l]),
      ).tensor,
  );
}

describe('cp-decomposer and music-associator stages on the default scenario (0 dB, radar path loss)', () => {
  const sc = defaultScenario();
  const frame = frameOf(sc, echoesOf(sc, 'default'));
  new CpDecomposerStage(cpDecomposerParams.parse({})).process(frame, ctxOf('cp', frame));
  new MusicAssociatorStage(musicAssociatorParams.parse({})).process(frame, ctxOf('assoc', frame));
  const decs = frame.data.decompositions as CpDecomposition[];
  const obs = frame.data.observations as TargetObservation[];
  const targets = sc.targets as Target[];

  it("decomposes every AP with rank 'known' = 3 and records the diagnostics", () => {
    expect(decs).toHaveLength(4);
    decs.forEach((d) => expect(d.rank).toBe(3));
    const rec = (
      frame.record.decompositions as Record<
        string,
        Array<{
          ap: number;
          iterations: number;
          finishIterations: number;
          relativeFitError: number;
          noiseVariance: number;
        }>
      >
    ).cp!;
    expect(rec.map((r) => r.ap)).toEqual([0, 1, 2, 3]);
    rec.forEach((r) => {
      // ALS sweeps (unstructured) or passes of the structured refinement (default)
      expect(r.iterations + r.finishIterations).toBeGreaterThan(0);
      expect(r.relativeFitError).toBeGreaterThan(0);
      // σ² = 1: σ̂² within 5/√dof (dof ≈ 130 000)
      expect(Math.abs(r.noiseVariance - 1)).toBeLessThan(0.014);
    });
  });

  it('associates each target across the four APs, with per-AP range/AoA/Doppler near the truth', () => {
    expect(obs).toHaveLength(3);
    const used = new Set<number>();
    for (const o of obs) {
      expect(o.perAp.map((p) => p.ap)).toEqual([0, 1, 2, 3]);
      // the target whose AP-0 range is nearest
      const u = targets
        .map(
          (t, i) =>
            [Math.abs(pairGeometry(sc.aps[0]!.position, t, sc.system).range - o.perAp[0]!.range), i] as const,
        )
        .sort((a, b) => a[0] - b[0])[0]![1];
      used.add(u);
      o.perAp.forEach((p, l) => {
        const g = pairGeometry(sc.aps[l]!.position, targets[u]!, sc.system);
        // 0 dB: single-echo CRB std is a few cm; echoes less than a cell apart at one AP cost more, so 1 m
        expect(Math.abs(p.range - g.range)).toBeLessThan(1);
        expect(Math.abs(p.aoa - g.aoa)).toBeLessThan(0.02);
        expect(Math.abs(p.doppler - g.doppler)).toBeLessThan(5);
        expect(p.delayFactor.length).toBe(2 * 128);
        expect(p.angleFactor.length).toBe(2 * 8);
        expect(p.dopplerFactor.length).toBe(2 * 128);
        expect(p.delayFactor.buffer).toBe(decs[l]!.delay.buffer); // a view, not a copy
      });
      expect(
        Math.hypot(o.fit.position[0] - targets[u]!.position[0], o.fit.position[1] - targets[u]!.position[1]),
      ).toBeLessThan(1);
    }
    expect(used.size).toBe(3);
  });

  it('weights of eq. (42): printed form ≈ 1/L with equal receiver noise; SNR form ∝ |α|²/σ² of the truth', () => {
    for (const o of obs) {
      const sum = (w: number[]) => w.reduce((a, b) => a + b, 0);
      expect(sum(o.weightsPaper)).toBeCloseTo(1, 12);
      expect(sum(o.weightsSnr)).toBeCloseTo(1, 12);
      expect(o.weights).toEqual(o.weightsPaper);
      expect(o.weightScheme).toBe('paper');
      // σ̂_l² = σ² (1 ± 0.014): the printed weights are 1/4 within 3 %
      o.perAp.forEach((_, l) => expect(Math.abs(o.weightsPaper[l]! - 0.25)).toBeLessThan(0.25 * 0.03));
      // SNR weights follow the path loss (r_l⁻⁴) of the associated target, within 5 %
      const u = targets
        .map(
          (t, i) =>
            [Math.abs(pairGeometry(sc.aps[0]!.position, t, sc.system).range - o.perAp[0]!.range), i] as const,
        )
        .sort((a, b) => a[0] - b[0])[0]![1];
      const snr = sc.aps.map((ap) =>
        echoSnr(sc.snr, pairGeometry(ap.position, targets[u]!, sc.system).range),
      );
      const total = sum(snr);
      o.weightsSnr.forEach((w, l) => expect(Math.abs(w / (snr[l]! / total) - 1)).toBeLessThan(0.05));
    }
  });

  it('records associations: one entry per target with L ranges, angles and Dopplers', () => {
    const rec = (frame.record.associations as Record<string, AssociationRecord[]>).assoc!;
    expect(rec).toHaveLength(3);
    rec.forEach((r, u) => {
      expect(r.ranges).toEqual(obs[u]!.perAp.map((p) => p.range));
      expect(r.angles).toHaveLength(4);
      expect(r.dopplers).toHaveLength(4);
    });
    expect((frame.record.association as Record<string, { method: string }>).assoc!.method).toBe('exhaustive');
  });
});

describe('stage parameters and degenerate frames', () => {
  it('validates parameters through the registry with invalid-option errors', () => {
    expect(registry.parseParams('stage', 'cp-decomposer', {})).toMatchObject({
      rank: 'known',
      init: 'auto',
      finish: 'lm',
    });
    expect(() => registry.parseParams('stage', 'cp-decomposer', { rank: -1 })).toThrow(IsacflowError);
    expect(() => registry.parseParams('stage', 'cp-decomposer', { ranks: 3 })).toThrow(IsacflowError);
    expect(() => registry.parseParams('stage', 'music-associator', { association: 'greedy' })).toThrow(
      IsacflowError,
    );
    expect(registry.parseParams('stage', 'music-associator', {})).toMatchObject({
      association: 'auto',
      weights: 'paper',
      nIfft: 'auto',
    });
  });

  it("weights 'snr' selects the maximal-ratio weights; zero echoes give empty observations, never NaN", () => {
    const sc = defaultScenario();
    sc.snr.db = 10;
    const frame = frameOf(sc, echoesOf(sc, 'snr'));
    new CpDecomposerStage(cpDecomposerParams.parse({})).process(frame, ctxOf('cp', frame));
    new MusicAssociatorStage(
      musicAssociatorParams.parse({ weights: 'snr', association: 'hungarian' }),
    ).process(frame, ctxOf('assoc', frame));
    const obs = frame.data.observations as TargetObservation[];
    obs.forEach((o) => expect(o.weights).toEqual(o.weightsSnr));
    expect((frame.record.association as Record<string, { method: string }>).assoc!.method).toBe('hungarian');

    const zero = frameOf(
      sc,
      echoesOf(sc, 'zero').map((t) => ({ ...t, data: new Float64Array(t.data.length) })),
    );
    new CpDecomposerStage(cpDecomposerParams.parse({ rank: 'auto' })).process(zero, ctxOf('cp', zero));
    new MusicAssociatorStage(musicAssociatorParams.parse({})).process(zero, ctxOf('assoc', zero));
    expect(zero.data.observations).toEqual([]);
    expect(zero.record.associations).toEqual({ assoc: [] });

    const zero3 = frameOf(
      sc,
      echoesOf(sc, 'zero3').map((t) => ({ ...t, data: new Float64Array(t.data.length) })),
    );
    new CpDecomposerStage(cpDecomposerParams.parse({})).process(zero3, ctxOf('cp', zero3));
    new MusicAssociatorStage(musicAssociatorParams.parse({})).process(zero3, ctxOf('assoc', zero3));
    const o3 = zero3.data.observations as TargetObservation[];
    expect(o3).toHaveLength(3);
    const nums = o3.flatMap((o) => [
      ...o.weights,
      ...o.weightsPaper,
      ...o.weightsSnr,
      o.fit.cost,
      ...o.fit.position,
      ...o.perAp.flatMap((p) => [p.range, p.aoa, p.doppler, p.noiseVariance, ...p.amplitude]),
    ]);
    expect(nums.every((v) => Number.isFinite(v))).toBe(true);
  });

  it('refuses a frame without echoes or decompositions with a stage-failed error', () => {
    const sc = defaultScenario();
    expect(() =>
      new CpDecomposerStage(cpDecomposerParams.parse({})).process(frameOf(sc), ctxOf('cp', frameOf(sc))),
    ).toThrow(IsacflowError);
    expect(() =>
      new MusicAssociatorStage(musicAssociatorParams.parse({})).process(
        frameOf(sc),
        ctxOf('assoc', frameOf(sc)),
      ),
    ).toThrow(IsacflowError);
  });

  it('resolveAoa picks θ or π − θ toward the fitted position', () => {
    expect(resolveAoa(Math.sin(0.3), 0.3)).toBeCloseTo(0.3, 12);
    expect(resolveAoa(Math.sin(0.3), Math.PI - 0.3)).toBeCloseTo(Math.PI - 0.3, 12);
    expect(resolveAoa(Math.sin(-2.5), -2.5)).toBeCloseTo(-2.5, 12);
    expect(resolveAoa(Math.sin(-0.5), -0.5)).toBeCloseTo(-0.5, 12);
  });
});
