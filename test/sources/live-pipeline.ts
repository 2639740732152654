import type { AddressInfo } from 'node:net';
import type { ResolvedPipeline } from '../../src/core/pipeline-loader.js';
import { defaultScenario } from '../../src/isac/default-scenario.js';
import { synthesizeEcho } from '../../src/isac/echo-model.js';
import { Rng } from '../../src/math/rng.js';
import { encodeComplex } from '../../src/sources/npy-file.js';
import { streamSession, type StreamResult } from '../../src/sources/stream-session.js';
import type { TcpSource } from '../../src/sources/tcp-source.js';
import { connectTo, encode, write } from './sender.js';

/**
 * Runs a pipeline with a live tcp source (loaded with --set source.params.port=0) on `frames`
 * frames of the paper's default targets synthesised for its scenario's system and APs, sent from
 * 127.0.0.1 by a test sender.
 */
export async function streamLivePipeline(
  resolved: ResolvedPipeline,
  out: string,
  frames = 1,
): Promise<StreamResult> {
  const point = resolved.points[0]!;
  const sc = point.scenario;
  const source = point.source as TcpSource;
  const targets = defaultScenario().targets as import('../../src/isac/scenario-types.js').Target[];
  const na = Math.max(...sc.aps.map((a) => a.antennas));
  const sender = (async () => {
    while (!source.address) await new Promise((r) => setTimeout(r, 10));
    const s = await connectTo((source.address as AddressInfo).port);
    for (let f = 0; f < frames; f++) {
      const chunks: Uint8Array[] = sc.aps.map((ap, l) => {
        const { tensor } = synthesizeEcho(
          sc.system,
          ap,
          targets,
          { db: 10, referenceRangeM: 250, pathLoss: 'radar' },
          new Rng(['live-pipeline', f, l]),
        );
        const padded = new Float64Array(2 * na * sc.system.subcarriers * sc.system.symbols);
        padded.set(tensor.data);
        return encodeComplex(padded, 4); // complex64
      });
      const payload = Buffer.concat(chunks);
      await write(
        s,
        encode({
          header: {
            frame: f,
            dtype: 'complex64',
            shape: [sc.aps.length, na, sc.system.subcarriers, sc.system.symbols],
            bytes: payload.length,
          },
          payload,
        }),
      );
    }
    s.end();
  })();
  const result = await streamSession(resolved, { out, finish: true });
  await sender;
  return result;
}
