// A stage plugin (kind `stage`): the fraction of true targets with a fused estimate within
// `radiusM`, written to the frame record as `hitRate` (one value per fusion variant). Stages are
// classes built by inversify: `inject(TOKEN)` for every constructor parameter.
import type { Frame, PluginApi, StageContext, StateEstimate } from 'isacflow/plugin';

export default ({ z, defineStage, inject, injectable, TOKENS }: PluginApi) => {
  const params = z
    .object({ radiusM: z.number().positive().default(1).describe('hit radius').meta({ unit: 'm' }) })
    .strict();

  class HitRate {
    constructor(private readonly p: { radiusM: number }) {}
    process(frame: Frame, ctx: StageContext): void {
      const estimates = (frame.data.estimates ?? []) as StateEstimate[];
      const hits = frame.truth.filter((t) =>
        estimates.some(
          (e) => Math.hypot(e.position[0] - t.position[0], e.position[1] - t.position[1]) <= this.p.radiusM,
        ),
      ).length;
      const rates = (frame.record.hitRate ??= {}) as Record<string, number>;
      rates[ctx.resultKey] = frame.truth.length ? hits / frame.truth.length : 1;
    }
  }
  injectable()(HitRate);
  inject(TOKENS.StageParams)(HitRate, undefined, 0);

  return defineStage({
    name: 'hit-rate',
    summary: 'Fraction of true targets with an estimate within radiusM',
    params,
    reads: ['estimates'],
    adds: [],
    records: ['hitRate'],
    stage: HitRate,
  });
};
