import { z } from 'zod';
import { apSchema, targetSchema } from '../isac/scenario-schema.js';
import type { EchoTensor } from '../isac/echo-model.js';
import type { Ap, Scenario } from '../isac/scenario-types.js';
import { decodeComplex } from './npy-file.js';
import type { SourcedFrame } from './source-frame.js';

/**
 * The live framing (docs/frame-format.md): per frame one JSON header line (UTF-8, ending in '\n')
 * followed by exactly `bytes` bytes of raw little-endian payload, C order over (L, N_A, N_c, M).
 * A line {"end": true} (or the peer closing after a whole frame) ends the stream.
 */
export const liveHeaderSchema = z
  .object({
    trial: z.number().int().min(0).default(0),
    frame: z.number().int().min(0).optional().describe('default: the running frame count'),
    dtype: z.enum(['complex64', 'complex128'], {
      error: "must be 'complex64' or 'complex128' (little-endian)",
    }),
    shape: z.array(z.number().int().min(1)).length(4, { error: 'must be [L, N_A, N_c, M]' }),
    bytes: z.number().int().min(0),
    truth: z.array(targetSchema).optional(),
    aps: z.array(apSchema).min(1).optional(),
    time: z.number().optional().describe("sender's timestamp (any unit; passed through to the record)"),
  })
  .strict();

export type LiveHeader = z.infer<typeof liveHeaderSchema>;

/** A framing or content error at a byte offset of the stream. */
export class LiveFrameError extends Error {
  constructor(
    readonly source: string,
    readonly frame: number,
    readonly offset: number,
    message: string,
  ) {
    super(`${source}: frame ${frame}, stream byte ${offset}: ${message}`);
    this.name = 'LiveFrameError';
  }
}

const MAX_HEADER = 1 << 20;

/**
 * Incremental parser of the live framing: push() chunks as they arrive, end() when the peer
 * closes. Frames are checked against the scenario's system and APs (shape, byte count) and decoded
 * to echo tensors; non-finite values are refused with their byte offset.
 */
export class LiveFrameParser {
  /** bytes consumed so far (the stream offset of the next byte) */
  offset = 0;
  /** frames completed */
  count = 0;
  ended = false;
  private headerParts: Buffer[] = [];
  private headerBytes = 0;
  private header: (LiveHeader & { start: number; headerStart: number }) | undefined;
  private payload: Buffer | undefined;
  private filled = 0;

  constructor(
    readonly source: string,
    private readonly scenario: () => Scenario,
    private readonly onFrame: (f: SourcedFrame) => void,
  ) {}

  private fail(message: string, offset = this.offset): never {
    throw new LiveFrameError(this.source, this.count, offset, message);
  }

  push(chunk: Buffer): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.ended) this.fail(`${chunk.length - i} byte(s) after the end line`, this.offset);
      if (!this.header) {
        if (this.headerBytes === 0) {
          // a header starts with '{' (blank lines allowed): anything else is payload that overran its 'bytes'
          while (i < chunk.length && (chunk[i] === 0x0a || chunk[i] === 0x0d || chunk[i] === 0x20)) {
            i++;
            this.offset++;
          }
          if (i >= chunk.length) break;
          if (chunk[i] !== 0x7b) {
            this.fail(
              `the header is not a JSON line (starts with byte 0x${(chunk[i] as number).toString(16).padStart(2, '0')}, expected '{')${this.count > 0 ? `; was frame ${this.count - 1}'s payload longer than its header's 'bytes' said?` : ''}`,
            );
          }
        }
        const nl = chunk.indexOf(0x0a, i);
        const end = nl < 0 ? chunk.length : nl;
        this.headerParts.push(chunk.subarray(i, end));
        this.headerBytes += end - i;
        if (this.headerBytes > MAX_HEADER)
          this.fail(
            `no end of the header line within ${MAX_HEADER} bytes (the header is one JSON line ending in '\\n')`,
            this.offset - this.headerBytes + (end - i),
          );
        this.offset += end - i;
        i = end;
        if (nl < 0) break;
        i++;
        this.offset++;
        this.startFrame(Buffer.concat(this.headerParts).toString('utf8'), this.offset - this.headerBytes - 1);
        this.headerParts = [];
        this.headerBytes = 0;
        continue;
      }
      const p = this.payload as Buffer;
      const n = Math.min(p.length - this.filled, chunk.length - i);
      chunk.copy(p, this.filled, i, i + n);
      this.filled += n;
      this.offset += n;
      i += n;
      if (this.filled === p.length) this.finishFrame();
    }
  }

  private startFrame(line: string, at: number): void {
    if (line.trim() === '') return; // blank lines between frames are allowed
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      const looksBinary = [...line.slice(0, 64)].some(
        (c) => c === '\ufffd' || (c.charCodeAt(0) < 32 && c !== '\t' && c !== '\r'),
      );
      this.fail(
        `the header is not a JSON line (starts with ${JSON.stringify(line.slice(0, 24))}${looksBinary ? ', binary data' : ''})${this.count > 0 ? `; was frame ${this.count - 1}'s payload longer than its header's 'bytes' said?` : ''}`,
        at,
      );
    }
    if (json !== null && typeof json === 'object' && (json as { end?: unknown }).end === true) {
      this.ended = true;
      return;
    }
    const r = liveHeaderSchema.safeParse(json);
    if (!r.success)
      this.fail(
        `bad header: ${r.error.issues.map((x) => `${x.path.join('.') || '(header)'} ${x.message}`).join('; ')}`,
        at,
      );
    const h = r.data;
    const sc = this.scenario();
    const aps: Ap[] = h.aps ?? sc.aps;
    const want = [
      aps.length,
      Math.max(...aps.map((a) => a.antennas)),
      sc.system.subcarriers,
      sc.system.symbols,
    ];
    if (h.shape.some((d, k) => d !== want[k])) {
      this.fail(
        `header shape [${h.shape.join(', ')}] but the system and APs give [${want.join(', ')}] = [L APs, N_A max antennas, N_c subcarriers, M symbols]`,
        at,
      );
    }
    const item = h.dtype === 'complex128' ? 16 : 8;
    const need = h.shape.reduce((a, b) => a * b, 1) * item;
    if (h.bytes !== need)
      this.fail(
        `header says ${h.bytes} payload bytes but shape [${h.shape.join(', ')}] of ${h.dtype} is ${need} bytes`,
        at,
      );
    this.header = { ...h, start: this.offset, headerStart: at };
    this.payload = Buffer.allocUnsafe(need);
    this.filled = 0;
    if (need === 0) this.finishFrame();
  }

  private finishFrame(): void {
    const h = this.header as NonNullable<typeof this.header>;
    const p = this.payload as Buffer;
    const sc = this.scenario();
    const aps: Ap[] = h.aps ?? sc.aps;
    const [L, NA, NC, M] = h.shape as [number, number, number, number];
    const comp = h.dtype === 'complex128' ? 8 : 4;
    const echoes: EchoTensor[] = [];
    try {
      for (let l = 0; l < L; l++) {
        const na = (aps[l] as Ap).antennas;
        const start = l * NA * NC * M * 2 * comp;
        const bytes = new Uint8Array(p.buffer, p.byteOffset + start, na * NC * M * 2 * comp);
        const data = new Float64Array(2 * na * NC * M);
        decodeComplex(bytes, comp as 4 | 8, true, data, this.source, h.start + start);
        echoes.push({ na, nc: NC, m: M, data, noiseVariance: Number.NaN });
      }
    } catch (e) {
      const m = /byte (\d+): (.*)$/.exec((e as Error).message);
      this.fail(m ? (m[2] as string) : (e as Error).message, m ? Number(m[1]) : h.start);
    }
    const frame: SourcedFrame = {
      trial: h.trial,
      frame: h.frame ?? this.count,
      echoes,
      ...(h.truth ? { truth: h.truth } : {}),
      ...(h.aps ? { aps: h.aps } : {}),
      receivedAt: performance.now(),
      origin: `${this.source} byte ${h.headerStart}`,
    };
    this.header = undefined;
    this.payload = undefined;
    this.count++;
    this.onFrame(frame);
  }

  /** The peer closed: an error when it stopped inside a frame. */
  end(): void {
    if (this.header) {
      const h = this.header;
      this.fail(
        `the sender stopped after ${this.filled} of ${h.bytes} payload bytes (header at byte ${h.headerStart}); the frame is incomplete`,
      );
    }
    if (this.headerBytes > 0)
      this.fail(`the sender stopped inside a header line (${this.headerBytes} bytes without '\\n')`);
  }
}

/** Encodes one frame in the live framing (tests, the Node sender example). */
export function encodeLiveFrame(h: Omit<LiveHeader, 'bytes'>, payload: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(JSON.stringify({ ...h, bytes: payload.length }) + '\n'), payload]);
}
