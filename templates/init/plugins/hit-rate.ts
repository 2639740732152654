// A stage plugin (kind `stage`): the fraction of true targets with a fused estimate within
// `radiusM`, written to the frame record as `hitRate` (one value per fusion variant). Stages are
// classes built by inversify: `inject(TOKEN)` for every constructor parameter. What flows between
// stages is read and written through typed ports (`Estimates`), records through the context.
import type { Frame, PluginApi, StageContext } from 'isacflow/plugin';

export default ({ z, defineStage, inject, injectable, TOKENS, Estimates, recordKey }: PluginApi) => {
  const params = z
    .object({ radiusM: z.number().positive().default(1).describe('hit radius').meta({ unit: 'm' }) })
    .strict();
  // record.hitRate[<variant or stage id>]
  const HitRate = recordKey<number>('hitRate', { type: 'number', doc: 'fraction of true targets hit' });

  class HitRateStage {
    constructor(private readonly p: { radiusM: number }) {}
    process(frame: Frame, ctx: StageContext): void {
      const estimates = ctx.read(frame, Estimates); // StateEstimate[]; missing -> a clear error
      const hits = frame.truth.filter((t) =>
        estimates.some(
          (e) => Math.hypot(e.position[0] - t.position[0], e.position[1] - t.position[1]) <= this.p.radiusM,
        ),
      ).length;
      ctx.record(HitRate, frame.truth.length ? hits / frame.truth.length : 1);
    }
  }
  injectable()(HitRateStage);
  inject(TOKENS.StageParams)(HitRateStage, undefined, 0);

  return defineStage({
    name: 'hit-rate',
    summary: 'Fraction of true targets with an estimate within radiusM',
    params,
    reads: [Estimates],
    adds: [],
    records: [HitRate],
    // it keeps nothing of a frame after process(): the engine may reuse the frame's large arrays
    releasesFrameData: true,
    stage: HitRateStage,
  });
};
