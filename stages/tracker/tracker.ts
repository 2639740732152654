import { inject, injectable } from 'inversify';
import { z } from 'zod';
import {
  defineStage,
  Estimates,
  type Frame,
  type FrameRecord,
  IsacflowError,
  optionError,
  type PluginLookup,
  type Problem,
  Records,
  type Stage,
  type StageContext,
  TOKENS,
  Tracks,
} from '../../src/plugin.js';
import type { Tracker, TrackReport } from '../../src/isac/tracking/index.js';
import { summarizeTracking } from './tracker-summary.js';

const OWNER = 'tracker';

export const trackerStageParams = z
  .object({
    tracker: z
      .string({ error: 'must name a tracker (kalman-cv, alpha-beta, or a user plugin)' })
      .min(1)
      .default('kalman-cv')
      .describe(
        "tracker (plugin kind tracker): kalman-cv, alpha-beta, or a user plugin; the tracker's own params go beside it (isacflow list tracker shows them)",
      ),
  })
  .catchall(z.unknown());

export type TrackerStageParams = z.infer<typeof trackerStageParams>;

/**
 * The record key the tracker writes under: its stage id when the frame has no variant branch
 * (estimates 'fusion' and 'tracker' side by side), else `<branch>/<stage id>` (e.g. 'sfo/tracker'
 * beside the fusion variant 'sfo'): ctx.resultKey alone would be the fusion variant's own key.
 */
export function trackerResultKey(frame: Frame, ctx: StageContext): string {
  return frame.branch ? `${frame.branch}/${ctx.stageId}` : ctx.stageId;
}

/** Rewrites the tracker's own problem paths (e.g. `kalman-cv.gatem`) to the stage option (`tracker.gatem`). */
function asStageProblems(e: IsacflowError, name: string): Problem[] {
  return e.problems.map((p) => {
    const rest =
      p.path === name ? '' : p.path.startsWith(`${name}.`) ? p.path.slice(name.length + 1) : p.path;
    return { ...p, where: '', path: rest ? `${OWNER}.${rest}` : OWNER };
  });
}

interface BranchState {
  trial: number;
  frame: number;
  tracker: Tracker;
}

/**
 * Multi-target tracking over the frames of a trial: reads the fused estimates of each frame
 * (frame.data.estimates, from fusion-solver), feeds them to a tracker plugin with dt = (frames
 * since the previous one)·M·T, and writes the tracked targets. Params: `tracker` plus that
 * tracker's own params, validated against its schema at construction.
 *
 * Writes `record.estimates[key]` (the confirmed tracks as { position, velocity }: the summary
 * compares them with the raw fusion estimates like any variant), `record.tracks[key]` (every live
 * track: id, position, velocity, age, hits, misses, confirmed) and adds `tracks` to frame.data;
 * key = trackerResultKey. One tracker per variant branch; it restarts (ids from 1) at frame 0, at
 * a new trial, or when a frame does not come after the previous one. The engine delivers the
 * frames of a trial in order and runs whole trials on one worker, so each trial is tracked from
 * its first frame; a single-frame trial gives the fused estimates back unchanged.
 */
@injectable()
export class TrackerStage implements Stage {
  readonly trackerName: string;
  private readonly trackerParams: Record<string, unknown>;
  private readonly branches = new Map<string, BranchState>();

  constructor(
    @inject(TOKENS.StageParams) params: unknown,
    @inject(TOKENS.PluginRegistry) private readonly registry: PluginLookup,
  ) {
    const parsed = trackerStageParams.safeParse(params ?? {});
    if (!parsed.success) {
      throw new IsacflowError(
        'invalid-option',
        parsed.error.issues.map((i) => ({
          where: '',
          path: [OWNER, ...i.path.map(String)].join('.'),
          message: i.message,
        })),
      );
    }
    const { tracker, ...rest } = parsed.data;
    if (!registry.names('tracker').includes(tracker)) {
      try {
        registry.manifest('tracker', tracker);
      } catch (e) {
        if (IsacflowError.is(e))
          throw optionError(OWNER, 'tracker', e.problems.map((p) => p.message).join('; '));
        throw e;
      }
    }
    this.trackerName = tracker;
    this.trackerParams = rest;
    this.create(); // validates the tracker's params before anything runs
  }

  private create(): Tracker {
    try {
      return this.registry.create<Tracker>('tracker', this.trackerName, this.trackerParams);
    } catch (e) {
      if (IsacflowError.is(e))
        throw new IsacflowError('invalid-option', asStageProblems(e, this.trackerName), { cause: e });
      throw e;
    }
  }

  /**
   * The tracker of this frame's branch and the frames since its previous step (0 when it
   * restarts: a new trial, frame 0, or a frame that does not come after the previous one).
   */
  private trackerFor(frame: Frame): { tracker: Tracker; gap: number } {
    const s = this.branches.get(frame.branch);
    if (s && s.trial === frame.trial && frame.frame > s.frame && frame.frame !== 0) {
      const gap = frame.frame - s.frame;
      s.frame = frame.frame;
      return { tracker: s.tracker, gap };
    }
    const tracker = s?.tracker ?? this.create();
    tracker.reset();
    this.branches.set(frame.branch, { trial: frame.trial, frame: frame.frame, tracker });
    return { tracker, gap: 0 };
  }

  process(frame: Frame, ctx: StageContext): void {
    const estimates = ctx.read(frame, Estimates);
    const { tracker, gap } = this.trackerFor(frame);
    const sys = frame.scenario.system;
    const dt = gap * sys.symbols * sys.symbolDurationS;
    const tracks: TrackReport[] = tracker.step({ frame: frame.frame, dt, estimates });
    const key = trackerResultKey(frame, ctx);
    ctx.write(frame, Tracks, tracks);
    const confirmed = tracks
      .filter((t) => t.confirmed)
      .map((t) => ({
        position: [t.position[0], t.position[1]] as [number, number],
        velocity: { speed: t.velocity.speed, heading: t.velocity.heading },
      }));
    ctx.record(Records.estimates, confirmed, { as: key });
    ctx.record(Records.tracks, tracks, { as: key });
  }
}

/**
 * The run's per-frame table, once: the CLI calls `summarize` for every stage of the chain, and a
 * pipeline may hold several tracker stages (the table already covers all of them).
 */
const summarized = new WeakSet<readonly FrameRecord[]>();
function summarizeOnce(records: readonly FrameRecord[]): string {
  if (summarized.has(records)) return '';
  summarized.add(records);
  return summarizeTracking(records);
}

/**
 * Raw fusion and tracked estimates side by side (`record.estimates.fusion`, `record.estimates.kalman`):
 * @example
 * ```yaml
 * isacflow: 1
 * name: tracking
 * run: { trials: 1, frames: 10 }
 * stages:
 *   - { id: echoes, uses: echo-generator }
 *   - { id: cp, uses: cp-decomposer }
 *   - { id: assoc, uses: music-associator }
 *   - { id: fusion, uses: fusion-solver, params: { scheme: mle } }
 *   - { id: kalman, uses: tracker, params: { tracker: kalman-cv } }
 * ```
 */
export const tracker = defineStage({
  name: 'tracker',
  summary:
    'Multi-target tracking across the frames of a trial (kalman-cv, alpha-beta): smoothed position and velocity per track, written beside the raw fusion estimates',
  params: trackerStageParams,
  reads: [Estimates],
  adds: [Tracks],
  records: [Records.estimates, Records.tracks],
  releasesFrameData: true,
  stage: TrackerStage,
  summarize: summarizeOnce,
});
