import type { Readable } from 'node:stream';
import { z } from 'zod';
import type { Frame } from '../core/frame.js';
import type { SweepPoint } from '../core/pipeline-loader.js';
import {
  feedFromStream,
  liveFeedHasNoTrials,
  liveSourceInfo,
  liveTimeouts,
  readLiveSidecar,
} from './live-source.js';
import { defineSource, type FrameSource, type SourceInfo, type StreamOptions } from './source-types.js';

export const stdinSourceParams = z
  .object({
    sidecar: z
      .string()
      .optional()
      .describe(
        "system and AP geometry (a recording.json or scenario YAML); default: the pipeline's scenario",
      ),
    ...liveTimeouts,
  })
  .strict();

export type StdinSourceParams = z.infer<typeof stdinSourceParams>;

/** A live feed on standard input, in the same framing as the tcp source (e.g. `sender | isacflow stream ...`). */
export class StdinSource implements FrameSource {
  readonly name = 'stdin';
  private readonly scenario: SourceInfo['scenario'];

  constructor(
    readonly params: StdinSourceParams,
    private readonly input: () => Readable = () => process.stdin,
  ) {
    this.scenario = readLiveSidecar(params.sidecar);
  }

  info(): SourceInfo {
    return liveSourceInfo(this.scenario, 'standard input');
  }

  trial(): Iterable<Frame> {
    return liveFeedHasNoTrials('stdin');
  }

  feed(point: SweepPoint, opts: StreamOptions): Promise<void> {
    return feedFromStream('stdin', this.input(), point, opts, this.params.idleTimeoutS);
  }
}

export const stdinSource = defineSource({
  name: 'stdin',
  summary: 'a live feed on standard input, framed like tcp (JSON header line + raw little-endian payload)',
  params: stdinSourceParams,
  create: (p) => new StdinSource(p),
});
