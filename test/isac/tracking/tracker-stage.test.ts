import { describe, expect, it } from 'vitest';
import { IsacflowError } from '../../../src/core/errors.js';
import type { Frame, FrameRecord, StageContext } from '../../../src/core/frame.js';
import { defaultScenario } from '../../../src/isac/default-scenario.js';
import type { StateEstimate, TrackReport } from '../../../src/isac/tracking/index.js';
import { Rng } from '../../../src/math/rng.js';
import { tracker as trackerManifest, TrackerStage } from '../../../stages/tracker/tracker.js';
import { summarizeTracking } from '../../../stages/tracker/tracker-summary.js';
import { trackerRegistry } from './simulate.js';
import { createStageContext } from '../../../src/core/stage-context.js';
import { keyOf } from '../../../src/core/port.js';

const registry = trackerRegistry();
const scenario = defaultScenario();
const MT = scenario.system.symbols * scenario.system.symbolDurationS;

function frameOf(
  trial: number,
  f: number,
  estimates: StateEstimate[] | undefined,
  branch = '',
  truth = scenario.targets as FrameRecord['truth'],
): Frame {
  const record: FrameRecord = {
    point: {},
    trial,
    frame: f,
    seed: 0,
    truth,
    timings: {},
    estimates: branch ? { [branch]: estimates ?? [] } : { fusion: estimates ?? [] },
  };
  return {
    trial,
    frame: f,
    point: {},
    pointKey: '{}',
    scenario,
    aps: scenario.aps,
    truth,
    branch,
    data: estimates ? { estimates } : {},
    record,
  };
}

function ctxOf(frame: Frame, stageId = 'tracker'): StageContext {
  return createStageContext(frame, { stageId, rng: new Rng(['test']), registry });
}

function run(stage: TrackerStage, frame: Frame, stageId = 'tracker'): TrackReport[] {
  stage.process(frame, ctxOf(frame, stageId));
  return frame.data.tracks as TrackReport[];
}

function constructionError(params: Record<string, unknown>): IsacflowError {
  try {
    new TrackerStage(params, registry);
  } catch (e) {
    if (e instanceof IsacflowError) return e;
    throw e;
  }
  throw new Error(`no error for ${JSON.stringify(params)}`);
}

const est = (x: number, y: number, speed: number, heading: number): StateEstimate => ({
  position: [x, y],
  velocity: { speed, heading },
});

describe('tracker stage', () => {
  it('defaults to kalman-cv; reads estimates, adds tracks; both trackers construct', () => {
    expect(new TrackerStage({}, registry).trackerName).toBe('kalman-cv');
    expect(new TrackerStage({ tracker: 'alpha-beta', alpha: 0.5 }, registry).trackerName).toBe('alpha-beta');
    expect(trackerManifest.reads.map(keyOf)).toEqual(['estimates']);
    expect(trackerManifest.adds.map(keyOf)).toEqual(['tracks']);
  });

  it('bad options: clear invalid-option errors naming the stage option', () => {
    const unknown = constructionError({ tracker: 'kalman-vc' });
    expect(unknown.kind).toBe('invalid-option');
    expect(unknown.problems[0]!.path).toBe('tracker.tracker');
    expect(unknown.message).toMatch(/unknown tracker 'kalman-vc'; did you mean 'kalman-cv'\?/);
    expect(unknown.message).toContain('alpha-beta');
    const notString = constructionError({ tracker: 5 });
    expect(notString.problems[0]!.path).toBe('tracker.tracker');
    expect(notString.message).toMatch(/must name a tracker/);
    const gate = constructionError({ gateM: -1 });
    expect(gate.problems[0]!.path).toBe('tracker.gateM');
    expect(gate.message).toMatch(/must be a number > 0/);
    const typo = constructionError({ tracker: 'kalman-cv', gatem: 2 });
    expect(typo.problems[0]!.path).toBe('tracker.gatem');
    expect(typo.message).toMatch(/did you mean 'gateM'\?/);
    expect(constructionError({ maxMisses: 1.5 }).message).toMatch(/must be an integer >= 0/);
    expect(constructionError({ positionStdM: 0 }).problems[0]!.path).toBe('tracker.positionStdM');
    expect(constructionError({ tracker: 'alpha-beta', alpha: 0 }).problems[0]!.path).toBe('tracker.alpha');
    const beta = constructionError({ tracker: 'alpha-beta', beta: 1.5 });
    expect(beta.problems[0]!.path).toBe('tracker.beta');
    expect(beta.message).toMatch(/must be in \(0, 1\] when measure is 'position-velocity'/);
    // the classical filter allows β up to 2
    expect(
      new TrackerStage({ tracker: 'alpha-beta', beta: 1.5, measure: 'position' }, registry).trackerName,
    ).toBe('alpha-beta');
    expect(constructionError({ measure: 'velocity' }).problems[0]!.path).toBe('tracker.measure');
  });

  it('without estimates in the frame: a stage-failed error saying what to put before it', () => {
    const stage = new TrackerStage({}, registry);
    const f = frameOf(0, 0, undefined);
    expect(() => stage.process(f, ctxOf(f))).toThrow(
      /stage 'tracker' reads 'estimates' \(StateEstimate\[\]\): frame.data.estimates is missing/,
    );
  });

  it("writes estimates and tracks under its stage id, or '<branch>/<stage id>' in a variant branch", () => {
    const stage = new TrackerStage({}, registry);
    const e = [est(150, 160, 100, 0.6)];
    const plain = frameOf(0, 0, e);
    run(stage, plain, 'smooth');
    expect(Object.keys(plain.record.estimates!)).toEqual(['fusion', 'smooth']);
    expect(plain.record.estimates!.smooth).toEqual([
      { position: [150, 160], velocity: { speed: 100, heading: 0.6 } },
    ]);
    expect((plain.record.tracks as Record<string, TrackReport[]>).smooth![0]).toMatchObject({
      id: 1,
      age: 0,
      hits: 1,
      misses: 0,
      confirmed: true,
    });
    const branched = frameOf(0, 0, e, 'sfo');
    run(stage, branched, 'smooth');
    expect(Object.keys(branched.record.estimates!)).toEqual(['sfo', 'sfo/smooth']);
    expect(Object.keys(branched.record.tracks as object)).toEqual(['sfo/smooth']);
  });

  it('steps by (frames since the previous one)·M·T: exact straight-line estimates stay exact, gaps included', () => {
    // position-only Kalman: the velocity comes from frame 0, so the prediction meets the next
    // estimate exactly only if dt is right (a wrong dt leaves a residual that the gain < 1 shares)
    const stage = new TrackerStage({ measure: 'position' }, registry);
    const v = 100;
    const th = 0.6;
    for (const f of [0, 1, 2, 5, 6]) {
      const x = 150 + v * Math.cos(th) * f * MT;
      const y = 160 + v * Math.sin(th) * f * MT;
      const t = run(stage, frameOf(0, f, [est(x, y, v, th)]))[0]!;
      expect(t.id).toBe(1);
      expect(t.position[0]).toBeCloseTo(x, 9);
      expect(t.position[1]).toBeCloseTo(y, 9);
      expect(t.age).toBe(f);
    }
  });

  it('one tracker per variant branch; a new trial (or frame 0) starts again from id 1', () => {
    const stage = new TrackerStage({ tracker: 'alpha-beta' }, registry);
    const a = [est(150, 160, 100, 0.6), est(200, 140, 110, 2.1)];
    const b = [est(170, 210, 95, 1.2)];
    expect(run(stage, frameOf(0, 0, a, 'x')).map((t) => t.id)).toEqual([1, 2]);
    expect(run(stage, frameOf(0, 0, b, 'y')).map((t) => t.id)).toEqual([1]);
    expect(run(stage, frameOf(0, 1, a, 'x')).map((t) => [t.id, t.hits])).toEqual([
      [1, 2],
      [2, 2],
    ]);
    expect(run(stage, frameOf(0, 1, b, 'y')).map((t) => [t.id, t.hits])).toEqual([[1, 2]]);
    // next trial: the two tracks of trial 0 are gone, the estimate of b starts track 1
    expect(run(stage, frameOf(1, 0, b, 'x')).map((t) => [t.id, t.hits, t.age])).toEqual([[1, 1, 0]]);
    // a repeated frame 0 in the same trial restarts too
    expect(run(stage, frameOf(1, 0, a, 'x')).map((t) => t.id)).toEqual([1, 2]);
  });

  it('summary: one row per frame with the position and velocity RMSE of every estimate set, printed once per run', () => {
    const stage = new TrackerStage({ positionStdM: 1, velocityStdMps: 1 }, registry);
    const rng = new Rng(['test', 'summary']);
    const truth0 = { position: [150, 160] as [number, number], velocity: { speed: 100, heading: 0.6 } };
    const records: FrameRecord[] = [];
    for (let f = 0; f < 4; f++) {
      const truth = [
        {
          position: [
            truth0.position[0] + 100 * Math.cos(0.6) * f * MT,
            truth0.position[1] + 100 * Math.sin(0.6) * f * MT,
          ] as [number, number],
          velocity: truth0.velocity,
        },
      ];
      const frame = frameOf(
        0,
        f,
        [est(truth[0]!.position[0] + rng.normal(), truth[0]!.position[1] + rng.normal(), 100, 0.6)],
        '',
        truth,
      );
      run(stage, frame);
      records.push(frame.record);
    }
    const text = summarizeTracking(records);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/Tracking: error per frame/);
    expect(lines[1]).toMatch(
      /frame\s+fusion pos \[m\]\s+fusion vel \[m\/s\]\s+tracker pos \[m\]\s+tracker vel \[m\/s\]/,
    );
    // frame 0: the tracker gives the estimate back, so both position errors are equal
    const row0 = lines[3]!.trim().split(/\s+/);
    expect(row0[0]).toBe('0');
    expect(row0[3]).toBe(row0[1]);
    expect(lines.filter((l) => /^\s*\d+\s/.test(l))).toHaveLength(4);
    // the CLI calls summarize for every tracker stage: the table comes once
    expect(trackerManifest.summarize!(records)).toBe(text);
    expect(trackerManifest.summarize!(records)).toBe('');
    // single-frame runs have nothing to show per frame
    expect(summarizeTracking(records.slice(0, 1))).toBe('');
  });
});
