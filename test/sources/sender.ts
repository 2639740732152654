import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';

/** One frame of a recording folder as the live framing sends it: the .npy data bytes are the payload as is. */
export interface WireFrame {
  header: Record<string, unknown>;
  payload: Buffer;
}

/** Reads the frames of a recording written by echo-recorder (complex128, C order) for sending. */
export function wireFrames(dir: string): WireFrame[] {
  const table = readFileSync(join(dir, 'frames.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { file: string; trial: number; frame: number; truth?: unknown });
  return table.map((e) => {
    const bytes = readFileSync(join(dir, e.file));
    const headerLength = bytes.readUInt16LE(8); // .npy version 1.0: data after 10 + header length bytes
    const dict = bytes.subarray(10, 10 + headerLength).toString('latin1');
    const shape = (/'shape': \(([^)]*)\)/.exec(dict)?.[1] ?? '')
      .split(',')
      .filter((s) => s.trim())
      .map(Number);
    const payload = bytes.subarray(10 + headerLength);
    return {
      header: {
        trial: e.trial,
        frame: e.frame,
        dtype: 'complex128',
        shape,
        bytes: payload.length,
        ...(e.truth ? { truth: e.truth } : {}),
      },
      payload,
    };
  });
}

export function encode(f: WireFrame): Buffer {
  return Buffer.concat([Buffer.from(JSON.stringify(f.header) + '\n'), f.payload]);
}

/** Connects to 127.0.0.1:port, retrying while the listener is not up yet. */
export async function connectTo(port: number, tries = 100): Promise<Socket> {
  for (let i = 0; ; i++) {
    try {
      return await new Promise<Socket>((res, rej) => {
        const s = connect(port, '127.0.0.1', () => res(s));
        s.once('error', rej);
      });
    } catch (e) {
      if (i >= tries) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

export function write(s: Socket, b: Buffer): Promise<void> {
  return new Promise((res, rej) => s.write(b, (e) => (e ? rej(e) : res())));
}
