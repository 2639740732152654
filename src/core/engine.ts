import { performance } from 'node:perf_hooks';
import { concatMap, defer, from, Observable, tap, type OperatorFunction } from 'rxjs';
import { advance } from '../isac/geometry.js';
import { isRandomTargets, type Scenario, type Target } from '../isac/scenario-types.js';
import { Rng, seedNumber } from '../math/rng.js';
import { IsacflowError } from './errors.js';
import { FrameBufferPool, stagesReleaseFrameData } from './frame-buffers.js';
import { nonFiniteOutput } from './non-finite.js';
import type { Frame, FrameRecord } from './frame.js';
import type { PluginRegistry } from './plugin-registry.js';
import type { SweepPoint } from './pipeline-loader.js';
import { pluginFrame } from './plugin-frame.js';
import { createStageContext } from './stage-context.js';
import { keyOf } from './port.js';
import { buildStages, type BuiltStage } from './stage-factory.js';
import { sourceTrial$ } from '../sources/source-trial.js';

export interface TrialRef {
  point: SweepPoint;
  trial: number;
}

/**
 * Targets of a trial at frame 0. Random targets come from the stream (root seed, 'targets', trial),
 * independent of the sweep point, so every point of a sweep sees the same geometry (common
 * random numbers; model notes).
 */
export function trialTargets(scenario: Scenario, rootSeed: number, trial: number): Target[] {
  if (!isRandomTargets(scenario.targets)) return scenario.targets.map((t) => structuredClone(t));
  const r = scenario.targets.random;
  const rng = new Rng([rootSeed, 'targets', trial]);
  const out: Target[] = [];
  for (let u = 0; u < r.count; u++) {
    const x = rng.uniformIn(r.area[0][0], r.area[1][0]);
    const y = rng.uniformIn(r.area[0][1], r.area[1][1]);
    const speed = rng.uniformIn(r.speed[0], r.speed[1]);
    const heading = rng.uniformIn(r.heading[0], r.heading[1]);
    out.push({ position: [x, y], velocity: { speed, heading } });
  }
  return out;
}

/** Creates the frames of one trial: targets move v·M·T between frames. */
export function trialFrames(point: SweepPoint, rootSeed: number, trial: number, frames: number): Frame[] {
  const sc = point.scenario;
  const t0 = trialTargets(sc, rootSeed, trial);
  const dt = sc.system.symbols * sc.system.symbolDurationS;
  const out: Frame[] = [];
  for (let f = 0; f < frames; f++) {
    const truth = t0.map((t) => advance(t, f * dt));
    const record: FrameRecord = {
      point: { ...point.values },
      trial,
      frame: f,
      seed: seedNumber([rootSeed, point.key, trial, f]),
      truth: truth.map((t) => structuredClone(t)),
      timings: {},
    };
    out.push({
      trial,
      frame: f,
      point: point.values,
      pointKey: point.key,
      scenario: sc,
      aps: sc.aps.map((a) => ({ position: [a.position[0], a.position[1]], antennas: a.antennas })),
      truth,
      branch: '',
      data: {},
      record,
    });
  }
  return out;
}

/** Number of branches a frame splits into (product of the variant counts). */
export function branchCount(stages: readonly BuiltStage[]): number {
  return stages.reduce((n, s) => n * Math.max(1, s.variants.length), 1);
}

function fork(frame: Frame, name: string): Frame {
  if (name === '') return frame;
  return {
    ...frame,
    aps: frame.aps.map((a) => ({ position: [a.position[0], a.position[1]], antennas: a.antennas })),
    data: { ...frame.data },
    branch: frame.branch ? `${frame.branch}/${name}` : name,
  };
}

/**
 * A stage's failure with its context (stage, variant, trial, frame, sweep point). An isacflow error
 * keeps its kind (a 'singular-fim' stays 'singular-fim') and its problems' own paths.
 */
function stageFailure(stage: BuiltStage, variantName: string, f: Frame, e: unknown): IsacflowError {
  const pointText = Object.keys(f.point).length ? ` at ${JSON.stringify(f.point)}` : '';
  const who = `stage '${stage.id}' (${stage.uses})${variantName ? ` variant '${variantName}'` : ''}`;
  const context = `failed on trial ${f.trial}, frame ${f.frame}${pointText}`;
  if (IsacflowError.is(e)) {
    const problems = e.problems.map((p) => ({
      where: p.where || stage.where,
      path: p.path || who,
      message: `${who} ${context}: ${p.message}`,
    }));
    return new IsacflowError(e.kind, problems, { cause: e });
  }
  const at = pluginFrame(e); // a plugin's own file:line:col (source-mapped for TypeScript)
  const reason = (e instanceof Error ? e.message : String(e)) + (at ? ` (at ${at})` : '');
  return new IsacflowError(
    'stage-failed',
    [{ where: stage.where, path: who, message: `${context}: ${reason}` }],
    { cause: e },
  );
}

/** One stage as an RxJS operator: processes each frame in order, forking it into its variants. */
export function stageOperator(
  stage: BuiltStage,
  rootSeed: number,
  registry: PluginRegistry,
  buffers?: FrameBufferPool,
): OperatorFunction<Frame, Frame> {
  return concatMap((frame: Frame) =>
    from(stage.variants).pipe(
      concatMap((v) =>
        defer(async () => {
          const f = fork(frame, v.name);
          const ctx = createStageContext(f, {
            stageId: stage.id,
            rng: new Rng([rootSeed, f.pointKey, f.trial, f.frame, 'stage', stage.id]),
            registry,
            rootSeed,
            ...(buffers ? { buffers } : {}),
          });
          // Time the stage's own work: a synchronous stage is timed before yielding, so work of
          // later stages on earlier branches (run in the await) is not counted in.
          const recordBefore = new Map(Object.entries(f.record));
          const t0 = performance.now();
          let elapsed = 0;
          try {
            const pending = v.instance.process(f, ctx);
            elapsed = performance.now() - t0;
            if (pending instanceof Promise) {
              await pending;
              elapsed = performance.now() - t0;
            }
          } catch (e) {
            throw stageFailure(stage, v.name, f, e);
          }
          // Every number the stage produced must be finite: a NaN fails the frame where it arose.
          const bad = nonFiniteOutput(
            f.data,
            registry.has('stage', stage.uses)
              ? registry.manifest('stage', stage.uses).adds.map(keyOf)
              : Object.keys(f.data),
            f.record,
            recordBefore,
          );
          if (bad)
            throw stageFailure(
              stage,
              v.name,
              f,
              new IsacflowError('non-finite', `produced a non-finite number: ${bad}`),
            );
          const key = f.branch ? `${stage.id}.${f.branch}` : stage.id;
          f.record.timings[key] = Math.round(elapsed * 1000) / 1000;
          return f;
        }),
      ),
    ),
  );
}

/** Re-joins the branches of each frame: emits the frame's record once all its branches are done. */
export function joinBranches(total: number): OperatorFunction<Frame, FrameRecord> {
  return (source) =>
    new Observable<FrameRecord>((sub) => {
      const seen = new Map<FrameRecord, number>();
      return source.subscribe({
        next: (f) => {
          const n = (seen.get(f.record) ?? 0) + 1;
          if (n >= total) {
            seen.delete(f.record);
            sub.next(f.record);
          } else seen.set(f.record, n);
        },
        error: (e) => sub.error(e),
        complete: () => sub.complete(),
      });
    });
}

/**
 * The engine: runs the stages of a pipeline point over the frames of a trial as an RxJS stream.
 * Records are emitted as soon as each frame has passed every stage (all variants).
 */
export class Engine {
  private readonly built = new Map<number, BuiltStage[]>();
  /** ctx.buffer's arrays, reused across frames where every stage allows it (releasesFrameData) */
  private readonly buffers = new FrameBufferPool();

  constructor(
    readonly rootSeed: number,
    readonly frames: number,
    readonly registry: PluginRegistry,
  ) {}

  stagesFor(point: SweepPoint): BuiltStage[] {
    let s = this.built.get(point.index);
    if (!s) {
      s = buildStages(point, this.registry);
      this.built.set(point.index, s);
    }
    return s;
  }

  /**
   * Whether frames of this point may reuse earlier frames' ctx.buffer arrays: every stage declares
   * releasesFrameData, and ISACFLOW_RECYCLE is not 0 (to compare, or to rule it out when debugging).
   */
  recycles(point: SweepPoint): boolean {
    if (process.env.ISACFLOW_RECYCLE === '0') return false;
    return stagesReleaseFrameData(point.stages, this.registry);
  }

  /** The chain of a point applied to any stream of frames (e.g. a live source). */
  process(point: SweepPoint): OperatorFunction<Frame, FrameRecord> {
    const stages = this.stagesFor(point);
    const buffers = this.recycles(point) ? this.buffers : undefined;
    return (frames$) => {
      let s$: Observable<Frame> = frames$;
      for (const st of stages) s$ = s$.pipe(stageOperator(st, this.rootSeed, this.registry, buffers));
      const records$ = s$.pipe(joinBranches(branchCount(stages)));
      // a frame's record is out once all its branches are done: its buffers serve later frames
      return buffers ? records$.pipe(tap((r) => buffers.release(r))) : records$;
    };
  }

  /** Records of one trial, frame by frame. */
  trial$(point: SweepPoint, trial: number): Observable<FrameRecord> {
    // a recorded source (pipeline `source:`): frames pulled one at a time (src/sources)
    if (point.source)
      return sourceTrial$(
        point.source,
        { point, rootSeed: this.rootSeed, trial, frames: this.frames },
        this.process(point),
      );
    return from(trialFrames(point, this.rootSeed, trial, this.frames)).pipe(this.process(point));
  }

  /** Records of many trials, sequentially in the given order. */
  run$(refs: Iterable<TrialRef>): Observable<FrameRecord> {
    return from([...refs]).pipe(concatMap((r) => this.trial$(r.point, r.trial)));
  }
}
