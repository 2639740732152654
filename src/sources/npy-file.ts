import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { endianness } from 'node:os';
import {
  buildNpyHeader,
  formatShape,
  NpyFormatError,
  parseNpyHeader,
  shapeSize,
  type NpyHeader,
} from './npy-format.js';

const NATIVE_LE = endianness() === 'LE';

/** A bad .npy file: the message names the file and the byte offset. */
export class NpyFileError extends Error {
  constructor(
    readonly file: string,
    readonly offset: number,
    message: string,
  ) {
    super(`${file}: byte ${offset}: ${message}`);
    this.name = 'NpyFileError';
  }
}

/**
 * An open .npy file of complex values, read with positioned reads (never the whole file).
 * The header is parsed and the file size checked against shape x dtype at open.
 */
export class NpyFile {
  readonly header: NpyHeader;
  /** the logical complex shape: the stored shape, without the trailing 2 of real pairs */
  readonly shape: number[];
  readonly size: number;

  private constructor(
    readonly file: string,
    private fd: number,
    header: NpyHeader,
    fileBytes: number,
  ) {
    this.header = header;
    const stored = header.shape;
    if (header.dtype.kind === 'real-pairs') {
      if (stored[stored.length - 1] !== 2) {
        throw new NpyFileError(
          file,
          8,
          `dtype '${header.dtype.descr}' is real: the last dimension must be 2 (re, im), got shape ${formatShape(stored)}`,
        );
      }
      if (header.fortranOrder)
        throw new NpyFileError(
          file,
          8,
          `real (re, im) pairs must be stored in C order (fortran_order False); write complex values instead`,
        );
      this.shape = stored.slice(0, -1);
    } else this.shape = [...stored];
    this.size = shapeSize(this.shape);
    const expected = header.dataOffset + this.size * header.dtype.complexBytes;
    if (fileBytes < expected) {
      throw new NpyFileError(
        file,
        fileBytes,
        `truncated: shape ${formatShape(stored)} of ${header.dtype.descr} needs ${expected} bytes (header ${header.dataOffset} + data ${expected - header.dataOffset}), the file has ${fileBytes}`,
      );
    }
    if (fileBytes > expected) {
      throw new NpyFileError(
        file,
        expected,
        `${fileBytes - expected} byte(s) after the end of the data: shape ${formatShape(stored)} of ${header.dtype.descr} ends at byte ${expected}`,
      );
    }
  }

  /** Opens and validates a file (header, dtype, size). */
  static open(file: string): NpyFile {
    let fd: number;
    try {
      fd = openSync(file, 'r');
    } catch (e) {
      throw new NpyFileError(file, 0, `cannot open: ${(e as Error).message}`);
    }
    try {
      const bytes = fstatSync(fd).size;
      let buf = new Uint8Array(Math.min(bytes, 128));
      readSync(fd, buf, 0, buf.length, 0);
      for (;;) {
        let h: ReturnType<typeof parseNpyHeader>;
        try {
          h = parseNpyHeader(buf);
        } catch (e) {
          if (e instanceof NpyFormatError) throw new NpyFileError(file, e.offset, e.message);
          throw e;
        }
        if ('need' in h) {
          if (h.need > bytes)
            throw new NpyFileError(
              file,
              bytes,
              `truncated inside the header: it needs ${h.need} bytes, the file has ${bytes}`,
            );
          buf = new Uint8Array(h.need);
          readSync(fd, buf, 0, h.need, 0);
          continue;
        }
        return new NpyFile(file, fd, h, bytes);
      }
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  /**
   * Reads `count` complex elements starting at element `start` (C order over the logical shape)
   * into interleaved re, im doubles. Non-finite values are refused with their byte offset.
   */
  readComplex(start: number, count: number, out = new Float64Array(2 * count)): Float64Array {
    const { dtype, dataOffset } = this.header;
    const offset = dataOffset + start * dtype.complexBytes;
    const bytes = new Uint8Array(count * dtype.complexBytes);
    let got = 0;
    while (got < bytes.length) {
      const n = readSync(this.fd, bytes, got, bytes.length - got, offset + got);
      if (n === 0)
        throw new NpyFileError(
          this.file,
          offset + got,
          `unexpected end of file (the file shrank after it was opened)`,
        );
      got += n;
    }
    decodeComplex(bytes, dtype.componentBytes, dtype.littleEndian, out, this.file, offset);
    return out;
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}

/** Converts raw components to interleaved doubles; a NaN or infinite value throws with its byte offset. */
export function decodeComplex(
  bytes: Uint8Array,
  componentBytes: 4 | 8,
  littleEndian: boolean,
  out: Float64Array,
  file: string,
  baseOffset: number,
): void {
  const n = bytes.length / componentBytes;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (littleEndian && NATIVE_LE && bytes.byteOffset % componentBytes === 0) {
    // the file's order is the machine's: a typed-array view, no per-value DataView call
    out.set(
      componentBytes === 8
        ? new Float64Array(bytes.buffer, bytes.byteOffset, n)
        : new Float32Array(bytes.buffer, bytes.byteOffset, n),
    );
  } else if (componentBytes === 8) {
    for (let k = 0; k < n; k++) out[k] = view.getFloat64(8 * k, littleEndian);
  } else {
    for (let k = 0; k < n; k++) out[k] = view.getFloat32(4 * k, littleEndian);
  }
  for (let k = 0; k < n; k++) {
    if (!Number.isFinite(out[k] as number)) {
      const el = k >> 1;
      throw new NpyFileError(
        file,
        baseOffset + k * componentBytes,
        `${Number.isNaN(out[k] as number) ? 'NaN' : 'infinite'} ${k & 1 ? 'imaginary' : 'real'} part at complex element ${el} of this read (echo tensors must be finite)`,
      );
    }
  }
}

/** Encodes interleaved doubles as little-endian complex64 or complex128 bytes. */
export function encodeComplex(data: Float64Array, componentBytes: 4 | 8): Uint8Array {
  const out = new Uint8Array(data.length * componentBytes);
  const view = new DataView(out.buffer);
  if (componentBytes === 8)
    for (let k = 0; k < data.length; k++) view.setFloat64(8 * k, data[k] as number, true);
  else for (let k = 0; k < data.length; k++) view.setFloat32(4 * k, data[k] as number, true);
  return out;
}

/**
 * Writes a C-order complex array (interleaved doubles, or several chunks written one after the other)
 * as a version 1.0 .npy file: dtype '<c16' (complex128) or '<c8' (complex64).
 */
export function writeNpy(
  file: string,
  shape: readonly number[],
  chunks: readonly Float64Array[],
  dtype: 'complex128' | 'complex64' = 'complex128',
): void {
  const total = chunks.reduce((a, c) => a + c.length / 2, 0);
  if (total !== shapeSize(shape))
    throw new Error(`writeNpy ${file}: ${total} complex values for shape ${formatShape(shape)}`);
  const componentBytes = dtype === 'complex128' ? 8 : 4;
  const fd = openSync(file, 'w');
  try {
    writeAll(fd, buildNpyHeader(dtype === 'complex128' ? '<c16' : '<c8', shape));
    for (const c of chunks) writeAll(fd, encodeComplex(c, componentBytes));
  } finally {
    closeSync(fd);
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
}
