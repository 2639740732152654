import { inject, injectable } from 'inversify';
import { z } from 'zod';
import type { Frame, StageContext } from '../../src/core/frame.js';
import { defineStage, type Stage } from '../../src/core/plugin.js';
import { TOKENS } from '../../src/core/tokens.js';

/** Test stage: draws one number from its stream and stores it (adds 'draw'). */
@injectable()
class DrawStage implements Stage {
  process(frame: Frame, ctx: StageContext): void {
    frame.data.draw = ctx.rng.uniform();
    frame.record.draw = frame.data.draw;
  }
}

/** Test stage: records what it saw under its result key (variant-aware), optionally throws. */
@injectable()
class SeeStage implements Stage {
  constructor(@inject(TOKENS.StageParams) private readonly p: { tag: string; failAt?: [number, number] }) {}
  async process(frame: Frame, ctx: StageContext): Promise<void> {
    if (this.p.failAt && frame.trial === this.p.failAt[0] && frame.frame === this.p.failAt[1])
      throw new Error('boom');
    await new Promise((r) => setTimeout(r, 0));
    const seen = (frame.record.seen ??= {}) as Record<string, unknown>;
    seen[ctx.resultKey] = { tag: this.p.tag, draw: frame.data.draw, x: frame.truth[0]?.position[0] };
    frame.data.seen = true;
  }
}

export const drawStage = defineStage({
  name: 'test-draw',
  summary: 'test',
  params: z.object({}).strict(),
  reads: [],
  adds: ['draw'],
  stage: DrawStage,
});
export const seeStage = defineStage({
  name: 'test-see',
  summary: 'test',
  params: z
    .object({ tag: z.string().default('a'), failAt: z.tuple([z.number(), z.number()]).optional() })
    .strict(),
  reads: ['draw'],
  adds: ['seen'],
  stage: SeeStage,
});
