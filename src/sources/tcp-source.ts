import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { IsacflowError } from '../core/errors.js';
import type { Frame } from '../core/frame.js';
import type { SweepPoint } from '../core/pipeline-loader.js';
import {
  feedFromStream,
  liveFeedHasNoTrials,
  liveSourceInfo,
  liveTimeouts,
  readLiveSidecar,
} from './live-source.js';
import { startTcpReceiver } from './tcp-receiver.js';
import { defineSource, type FrameSource, type SourceInfo, type StreamOptions } from './source-types.js';

export const tcpSourceParams = z
  .object({
    host: z.string().default('127.0.0.1').describe('address to listen on (0.0.0.0: every interface)'),
    port: z
      .number()
      .int()
      .min(0)
      .max(65535)
      .default(7400)
      .describe('TCP port to listen on (0: any free port, printed at start)'),
    sidecar: z
      .string()
      .optional()
      .describe(
        "system and AP geometry (a recording.json or scenario YAML); default: the pipeline's scenario",
      ),
    acceptTimeoutS: z
      .number()
      .positive()
      .default(60)
      .describe('no sender connecting within this time ends the stream with an error')
      .meta({ unit: 's' }),
    ...liveTimeouts,
  })
  .strict();

export type TcpSourceParams = z.infer<typeof tcpSourceParams>;

/**
 * A live feed over TCP: isacflow listens, one sender connects and sends frames in the live framing
 * (a JSON header line, then the raw little-endian payload; docs/frame-format.md). The stream ends
 * when the sender closes after a whole frame.
 */
export class TcpSource implements FrameSource {
  readonly name = 'tcp';
  /** the address actually listened on, once listening */
  address: AddressInfo | undefined;
  private readonly scenario: SourceInfo['scenario'];

  constructor(readonly params: TcpSourceParams) {
    this.scenario = readLiveSidecar(params.sidecar);
  }

  info(): SourceInfo {
    return liveSourceInfo(this.scenario, `tcp://${this.params.host}:${this.params.port}`);
  }

  trial(): Iterable<Frame> {
    return liveFeedHasNoTrials('tcp');
  }

  feed(point: SweepPoint, opts: StreamOptions): Promise<void> {
    const p = this.params;
    return new Promise<void>((resolve, reject) => {
      let acceptTimer: NodeJS.Timeout | undefined;
      let connected = false;
      let settled = false;
      const settle = (e?: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(acceptTimer);
        stop();
        opts.signal.removeEventListener('abort', onAbort);
        if (e === undefined) resolve();
        else reject(e);
      };
      const onAbort = () => settle();
      opts.signal.addEventListener('abort', onAbort);
      const stop = startTcpReceiver(p.host, p.port, {
        listening: (address, port) => {
          this.address = { address, port, family: address.includes(':') ? 'IPv6' : 'IPv4' };
          const where = `tcp://${address}:${port}`;
          opts.onStatus?.(`listening on ${where}`);
          acceptTimer = setTimeout(() => {
            if (!connected)
              settle(
                new IsacflowError('io', [
                  {
                    where: '',
                    path: '',
                    message: `${where}: no sender connected within ${p.acceptTimeoutS} s (source.params.acceptTimeoutS)`,
                  },
                ]),
              );
          }, p.acceptTimeoutS * 1000);
        },
        listenError: (message) =>
          settle(
            new IsacflowError('io', [
              {
                where: '',
                path: 'source.params.port',
                message: `tcp://${p.host}:${p.port}: cannot listen: ${message}`,
              },
            ]),
          ),
        connection: (remote, input) => {
          connected = true;
          clearTimeout(acceptTimer);
          opts.onStatus?.(`sender connected: ${remote}`);
          const where = `tcp://${this.address?.address}:${this.address?.port} (sender ${remote})`;
          feedFromStream(where, input, point, opts, p.idleTimeoutS).then(
            () => settle(),
            (e: unknown) => settle(e),
          );
        },
      });
    });
  }
}

export const tcpSource = defineSource({
  name: 'tcp',
  summary:
    'a live feed: listens on a TCP port; a sender streams frames as a JSON header line + raw little-endian payload (docs/frame-format.md)',
  params: tcpSourceParams,
  create: (p) => new TcpSource(p),
});
