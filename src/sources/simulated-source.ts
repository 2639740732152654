import { z } from 'zod';
import { trialFrames } from '../core/engine.js';
import type { Frame } from '../core/frame.js';
import { defineSource, type FrameRequest, type FrameSource, type SourceInfo } from './source-types.js';

/**
 * The default source: frames created from the scenario (truth = the targets at that frame's time,
 * random targets drawn per trial); an echo-generator stage adds the echoes.
 */
export class SimulatedSource implements FrameSource {
  readonly name = 'simulated';

  info(): SourceInfo {
    return { truth: true, live: false, provides: [], origin: 'simulated from the scenario' };
  }

  trial(req: FrameRequest): Iterable<Frame> {
    return trialFrames(req.point, req.rootSeed, req.trial, req.frames);
  }
}

export const simulatedSource = defineSource({
  name: 'simulated',
  summary:
    "frames from the scenario (today's behaviour, the default): truth per frame; add an echo-generator stage for the echoes",
  params: z.object({}).strict(),
  create: () => new SimulatedSource(),
});
