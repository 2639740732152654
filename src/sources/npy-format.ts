/**
 * The NumPy .npy header (format versions 1.0, 2.0, 3.0; numpy/lib/format.py, NEP 1):
 *   "\x93NUMPY" | major u8 | minor u8 | header length (u16 LE in 1.0, u32 LE in 2.0/3.0) |
 *   header: a Python dict literal {'descr': '<c16', 'fortran_order': False, 'shape': (2, 8, 128, 128), }
 *   padded with spaces and ending in '\n', so that the data starts at a multiple of 64 (16 in old files).
 * Only what isacflow needs is accepted: complex64/complex128 (or float32/float64 with a trailing
 * dimension 2 = re, im, for writers without complex support), either byte order.
 */

export const NPY_MAGIC = Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]);

export type NpyKind = 'complex' | 'real-pairs';

export interface NpyDtype {
  /** the descr string as written, e.g. '<c16' */
  descr: string;
  littleEndian: boolean;
  kind: NpyKind;
  /** bytes of one real component (4 or 8) */
  componentBytes: 4 | 8;
  /** bytes of one complex element on disk */
  complexBytes: number;
}

export interface NpyHeader {
  version: [number, number];
  dtype: NpyDtype;
  fortranOrder: boolean;
  shape: number[];
  /** byte offset of the first data byte */
  dataOffset: number;
}

/** Thrown for a malformed header; `offset` is the byte offset of the problem in the file. */
export class NpyFormatError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'NpyFormatError';
  }
}

const DESCRS: Record<string, Omit<NpyDtype, 'descr' | 'littleEndian'>> = {
  c8: { kind: 'complex', componentBytes: 4, complexBytes: 8 },
  c16: { kind: 'complex', componentBytes: 8, complexBytes: 16 },
  f4: { kind: 'real-pairs', componentBytes: 4, complexBytes: 8 },
  f8: { kind: 'real-pairs', componentBytes: 8, complexBytes: 16 },
};

/** The dtype of a descr string, or an error message saying what is accepted. */
export function parseDescr(descr: string): NpyDtype | string {
  const m = /^([<>|=])([a-z]\d+)$/.exec(descr);
  const accepted =
    "accepted: '<c8' (complex64), '<c16' (complex128), '>c8', '>c16', or '<f4'/'<f8' with a last dimension of 2 (re, im)";
  if (!m)
    return `dtype '${descr}' is not a plain numeric dtype (structured dtypes are not supported); ${accepted}`;
  const base = DESCRS[m[2] as string];
  if (!base) return `dtype '${descr}' is not complex; ${accepted}`;
  const order = m[1] as string;
  // '=' is native order; numpy always writes '<' or '>' for multi-byte types. Node runs little-endian here.
  return { descr, littleEndian: order !== '>', ...base };
}

/** Length of the fixed preamble (magic, version, header length) for a version. */
function preambleLength(major: number): number {
  return major === 1 ? 10 : 12;
}

/**
 * Parses the header from the first bytes of a file. `bytes` must hold at least the preamble; when it
 * is shorter than the whole header, returns { need } with the number of bytes to read.
 */
export function parseNpyHeader(bytes: Uint8Array): NpyHeader | { need: number } {
  if (bytes.length < 10) {
    if (bytes.length === 0)
      throw new NpyFormatError('the file is empty (a .npy file starts with the 6 bytes \\x93NUMPY)', 0);
    return { need: 12 };
  }
  for (let i = 0; i < NPY_MAGIC.length; i++) {
    if (bytes[i] !== NPY_MAGIC[i])
      throw new NpyFormatError('not a .npy file: it does not start with the magic string \\x93NUMPY', i);
  }
  const major = bytes[6] as number;
  const minor = bytes[7] as number;
  if (major < 1 || major > 3)
    throw new NpyFormatError(
      `unsupported .npy format version ${major}.${minor} (1.0, 2.0 and 3.0 are read)`,
      6,
    );
  const pre = preambleLength(major);
  if (bytes.length < pre) return { need: pre };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataOffset = pre + headerLength;
  if (bytes.length < dataOffset) return { need: dataOffset };
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(pre, dataOffset));
  const dict = parseDict(text, pre);
  const descr = dict.get('descr');
  const fortran = dict.get('fortran_order');
  const shape = dict.get('shape');
  if (typeof descr !== 'string') throw new NpyFormatError("the header has no 'descr' string", pre);
  if (typeof fortran !== 'boolean')
    throw new NpyFormatError("the header has no 'fortran_order' True/False", pre);
  if (!Array.isArray(shape)) throw new NpyFormatError("the header has no 'shape' tuple", pre);
  for (const k of dict.keys()) {
    if (k !== 'descr' && k !== 'fortran_order' && k !== 'shape')
      throw new NpyFormatError(`the header has an unknown key '${k}'`, pre);
  }
  const dtype = parseDescr(descr);
  if (typeof dtype === 'string') throw new NpyFormatError(dtype, pre);
  return { version: [major, minor], dtype, fortranOrder: fortran, shape, dataOffset };
}

type DictValue = string | boolean | number[];

/** A tiny parser for the header's dict literal: string keys; string, True/False or int-tuple values. */
function parseDict(text: string, base: number): Map<string, DictValue> {
  let i = 0;
  const fail = (what: string): never => {
    throw new NpyFormatError(`malformed header dict (${what}) at '${text.slice(i, i + 20)}'`, base + i);
  };
  const ws = () => {
    while (i < text.length && /\s/.test(text[i] as string)) i++;
  };
  const str = (): string => {
    const q = text[i];
    if (q !== "'" && q !== '"') fail('expected a quoted string');
    const end = text.indexOf(q as string, i + 1);
    if (end < 0) fail('unterminated string');
    const s = text.slice(i + 1, end);
    i = end + 1;
    return s;
  };
  const value = (): DictValue => {
    ws();
    const c = text[i];
    if (c === "'" || c === '"') return str();
    if (text.startsWith('True', i)) {
      i += 4;
      return true;
    }
    if (text.startsWith('False', i)) {
      i += 5;
      return false;
    }
    if (c === '(') {
      i++;
      const out: number[] = [];
      for (;;) {
        ws();
        if (text[i] === ')') {
          i++;
          return out;
        }
        const m = /^\d+L?/.exec(text.slice(i));
        if (!m) fail('expected a non-negative integer in the shape tuple');
        out.push(Number.parseInt((m as RegExpExecArray)[0], 10));
        i += (m as RegExpExecArray)[0].length;
        ws();
        if (text[i] === ',') i++;
        else if (text[i] !== ')') fail("expected ',' or ')' in the shape tuple");
      }
    }
    return fail('expected a string, True, False or a tuple');
  };
  const out = new Map<string, DictValue>();
  ws();
  if (text[i] !== '{') fail("expected '{'");
  i++;
  for (;;) {
    ws();
    if (text[i] === '}') {
      i++;
      break;
    }
    const k = str();
    ws();
    if (text[i] !== ':') fail("expected ':'");
    i++;
    out.set(k, value());
    ws();
    if (text[i] === ',') i++;
    else if (text[i] !== '}') fail("expected ',' or '}'");
  }
  ws();
  if (i !== text.length) fail('trailing characters after the dict');
  return out;
}

/** The header bytes of a version 1.0 file (data starting at a multiple of 64), as numpy writes it. */
export function buildNpyHeader(descr: string, shape: readonly number[], fortranOrder = false): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let dict = `{'descr': '${descr}', 'fortran_order': ${fortranOrder ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  const total = 10 + dict.length + 1;
  const pad = (64 - (total % 64)) % 64;
  dict = dict + ' '.repeat(pad) + '\n';
  if (dict.length > 0xffff) throw new Error('npy header too long for format 1.0');
  const out = new Uint8Array(10 + dict.length);
  out.set(NPY_MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, dict.length, true);
  for (let k = 0; k < dict.length; k++) out[10 + k] = dict.charCodeAt(k);
  return out;
}

/** Number of elements of a shape. */
export function shapeSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function formatShape(shape: readonly number[]): string {
  return `(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`;
}
