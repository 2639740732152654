#!/usr/bin/env node
// Sends the frames of a recording folder to `isacflow stream` over TCP in the live framing
// (docs/frame-format.md): per frame one JSON header line, then the raw little-endian payload.
// Needs only Node (no isacflow):
//   node docs/examples/send-frames.mjs RECORDING_DIR [HOST:PORT] [--fps N] [--loop]
/* global Buffer, setTimeout */
import { readFileSync, existsSync, openSync, readSync, closeSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';

const args = process.argv.slice(2);
const dir = args.find((a) => !a.startsWith('--'));
const target = args.filter((a) => !a.startsWith('--'))[1] ?? '127.0.0.1:7400';
const fps = Number(args[args.indexOf('--fps') + 1] ?? 0) || 0;
const loop = args.includes('--loop');
if (!dir) {
  console.error('usage: node send-frames.mjs RECORDING_DIR [HOST:PORT] [--fps N] [--loop]');
  process.exit(2);
}

/** The .npy header: version, header length, then a Python dict literal. */
function npyHeader(file) {
  const fd = openSync(file, 'r');
  const pre = Buffer.alloc(12);
  readSync(fd, pre, 0, 12, 0);
  if (pre.toString('latin1', 1, 6) !== 'NUMPY') throw new Error(`${file}: not a .npy file`);
  const major = pre[6];
  const len = major === 1 ? pre.readUInt16LE(8) : pre.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const dict = Buffer.alloc(len);
  readSync(fd, dict, 0, len, start);
  closeSync(fd);
  const text = dict.toString('latin1');
  const descr = /'descr':\s*'([^']+)'/.exec(text)[1];
  const fortran = /'fortran_order':\s*True/.test(text);
  const shape = /'shape':\s*\(([^)]*)\)/
    .exec(text)[1]
    .split(',')
    .filter((s) => s.trim())
    .map(Number);
  if (fortran) throw new Error(`${file}: Fortran order; send C-order arrays`);
  const dtype = { '<c16': 'complex128', '<c8': 'complex64' }[descr];
  if (!dtype)
    throw new Error(`${file}: dtype ${descr}; the live framing takes little-endian complex64/complex128`);
  return { dtype, shape, dataOffset: start + len, item: dtype === 'complex128' ? 16 : 8 };
}

const sidecar = JSON.parse(readFileSync(join(dir, 'recording.json'), 'utf8'));
const table =
  sidecar.frames ??
  (existsSync(join(dir, 'frames.jsonl'))
    ? readFileSync(join(dir, 'frames.jsonl'), 'utf8')
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l))
    : null);

/** [header, payload] of every frame, read one at a time. */
function* frames() {
  if (sidecar.layout === 'array') {
    const file = join(dir, sidecar.array);
    const h = npyHeader(file);
    const per = h.shape.slice(1).reduce((a, b) => a * b, 1) * h.item;
    const n = table ? table.length : h.shape[0];
    const fd = openSync(file, 'r');
    for (let k = 0; k < n; k++) {
      const e = table?.[k] ?? {};
      const payload = Buffer.alloc(per);
      readSync(fd, payload, 0, per, h.dataOffset + (e.index ?? k) * per);
      yield [
        {
          trial: e.trial ?? 0,
          frame: e.frame ?? k,
          dtype: h.dtype,
          shape: h.shape.slice(1),
          bytes: per,
          ...(e.truth ? { truth: e.truth } : {}),
        },
        payload,
      ];
    }
    closeSync(fd);
    return;
  }
  for (const [k, e] of table.entries()) {
    const file = join(dir, e.file);
    const h = npyHeader(file);
    const payload = readFileSync(file).subarray(h.dataOffset);
    yield [
      {
        trial: e.trial ?? 0,
        frame: e.frame ?? k,
        dtype: h.dtype,
        shape: h.shape,
        bytes: payload.length,
        ...(e.truth ? { truth: e.truth } : {}),
        ...(e.aps ? { aps: e.aps } : {}),
      },
      payload,
    ];
  }
}

const [host, port] = target.includes(':')
  ? [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))]
  : ['127.0.0.1', Number(target)];
const socket = connect(port, host);
await new Promise((res, rej) => socket.once('connect', res).once('error', rej));
const send = (b) => new Promise((res) => (socket.write(b) ? res() : socket.once('drain', res)));
let sent = 0;
let offset = 0;
do {
  for (const [header, payload] of frames()) {
    if (loop) header.frame = sent;
    const line = Buffer.from(JSON.stringify(header) + '\n');
    await send(line);
    await send(payload);
    offset += line.length + payload.length;
    sent++;
    if (fps > 0) await new Promise((r) => setTimeout(r, 1000 / fps));
  }
} while (loop);
socket.end();
await new Promise((r) => socket.once('close', r));
console.error(`sent ${sent} frame(s), ${offset} bytes to ${host}:${port}`);
