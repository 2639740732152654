import { execFileSync } from 'node:child_process';
import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildNpyHeader, parseNpyHeader } from '../../src/sources/npy-format.js';
import { NpyFile, writeNpy } from '../../src/sources/npy-file.js';
import { tempDir } from './helpers.js';

const hasNumpy = (() => {
  try {
    execFileSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const dir = tempDir('npy');
/** z[k] = (k + 0.5) + j(-k / 4): exact in float32 and float64 for these sizes. */
const value = (k: number): [number, number] => [k + 0.5, -k / 4 + 0];
const data = (n: number) => {
  const d = new Float64Array(2 * n);
  for (let k = 0; k < n; k++) [d[2 * k], d[2 * k + 1]] = value(k);
  return d;
};

describe('npy header', () => {
  it('parses what numpy writes, version 1.0, with the data at a multiple of 64', () => {
    const h = buildNpyHeader('<c16', [2, 3, 4, 5]);
    expect(h.length % 64).toBe(0);
    const p = parseNpyHeader(h);
    expect(p).toMatchObject({
      version: [1, 0],
      fortranOrder: false,
      shape: [2, 3, 4, 5],
      dataOffset: h.length,
    });
    expect(parseNpyHeader(buildNpyHeader('<c8', [7]))).toMatchObject({ shape: [7] });
  });

  it('reads a hand-written version 2.0 header with double quotes and no trailing comma', () => {
    const dict = '{"descr": ">c8", "fortran_order": True, "shape": (3, 2)}';
    const pad = 64 - ((12 + dict.length + 1) % 64);
    const text = dict + ' '.repeat(pad) + '\n';
    const b = new Uint8Array(12 + text.length);
    b.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 2, 0]);
    new DataView(b.buffer).setUint32(8, text.length, true);
    for (let i = 0; i < text.length; i++) b[12 + i] = text.charCodeAt(i);
    expect(parseNpyHeader(b)).toMatchObject({
      version: [2, 0],
      fortranOrder: true,
      shape: [3, 2],
      dtype: { littleEndian: false, componentBytes: 4 },
    });
  });
});

describe('NpyFile', () => {
  it('round-trips complex128 and complex64 written by writeNpy, with positioned reads', () => {
    for (const dtype of ['complex128', 'complex64'] as const) {
      const f = join(dir, `rt-${dtype}.npy`);
      writeNpy(f, [2, 3, 4], [data(24)], dtype);
      const npy = NpyFile.open(f);
      expect(npy.shape).toEqual([2, 3, 4]);
      expect(Array.from(npy.readComplex(7, 3))).toEqual([...value(7), ...value(8), ...value(9)]);
      npy.close();
    }
  });

  it.skipIf(!hasNumpy)(
    'reads files numpy wrote: complex128, complex64 big-endian, Fortran order, float64 (re, im) pairs',
    () => {
      const script = `
import numpy as np
n = 24
z = (np.arange(n) + 0.5) - 1j * np.arange(n) / 4
np.save(${JSON.stringify(join(dir, 'np-c16.npy'))}, z.reshape(2, 3, 4))
np.save(${JSON.stringify(join(dir, 'np-c8be.npy'))}, z.reshape(2, 3, 4).astype('>c8'))
np.save(${JSON.stringify(join(dir, 'np-fortran.npy'))}, np.asfortranarray(z.reshape(2, 3, 4)))
np.save(${JSON.stringify(join(dir, 'np-pairs.npy'))}, np.stack([z.real, z.imag], -1).reshape(2, 3, 4, 2))
`;
      execFileSync('python3', ['-c', script]);
      for (const name of ['np-c16', 'np-c8be', 'np-pairs']) {
        const npy = NpyFile.open(join(dir, `${name}.npy`));
        expect(npy.shape, name).toEqual([2, 3, 4]);
        expect(Array.from(npy.readComplex(0, 24)), name).toEqual(Array.from(data(24)));
        npy.close();
      }
      const fo = NpyFile.open(join(dir, 'np-fortran.npy'));
      expect(fo.header.fortranOrder).toBe(true);
      // column-major: element (i, j, k) of the C-order array sits at i + 2 (j + 3 k)
      const all = fo.readComplex(0, 24);
      const c = (i: number, j: number, k: number) => [
        all[2 * (i + 2 * (j + 3 * k))],
        all[2 * (i + 2 * (j + 3 * k)) + 1],
      ];
      expect(c(1, 2, 3)).toEqual(value(1 * 12 + 2 * 4 + 3));
    },
  );

  it.skipIf(!hasNumpy)('numpy reads what writeNpy wrote, bit for bit', () => {
    const f = join(dir, 'ours.npy');
    writeNpy(f, [2, 3, 4], [data(24)]);
    const out = execFileSync(
      'python3',
      [
        '-c',
        `import numpy as np, json; a = np.load(${JSON.stringify(f)}); print(json.dumps([str(a.dtype), list(a.shape), [[float(v.real), float(v.imag)] for v in a.ravel()]]))`,
      ],
      { encoding: 'utf8' },
    );
    const [dtype, shape, values] = JSON.parse(out) as [string, number[], number[][]];
    expect(dtype).toBe('complex128');
    expect(shape).toEqual([2, 3, 4]);
    expect(values.flat()).toEqual(Array.from(data(24)));
  });

  describe('bad files: a clear error naming the file and byte offset', () => {
    const good = join(dir, 'good.npy');
    writeNpy(good, [2, 3, 4], [data(24)]);
    const bytes = readFileSync(good);

    it('truncated data', () => {
      const f = join(dir, 'trunc.npy');
      writeFileSync(f, bytes);
      truncateSync(f, bytes.length - 5);
      expect(() => NpyFile.open(f)).toThrow(
        new RegExp(
          `trunc\\.npy: byte ${bytes.length - 5}: truncated: shape \\(2, 3, 4\\) of <c16 needs ${bytes.length} bytes`,
        ),
      );
    });

    it('truncated inside the header', () => {
      const f = join(dir, 'trunc-header.npy');
      writeFileSync(f, bytes.subarray(0, 30));
      expect(() => NpyFile.open(f)).toThrow(
        /trunc-header\.npy: byte 30: truncated inside the header: it needs 128 bytes, the file has 30/,
      );
    });

    it('more bytes than the header says', () => {
      const f = join(dir, 'long.npy');
      writeFileSync(f, Buffer.concat([bytes, Buffer.alloc(16)]));
      expect(() => NpyFile.open(f)).toThrow(
        new RegExp(`long\\.npy: byte ${bytes.length}: 16 byte\\(s\\) after the end of the data`),
      );
    });

    it('corrupted magic and corrupted header dict', () => {
      const f = join(dir, 'magic.npy');
      const b = Buffer.from(bytes);
      b[1] = 0x58;
      writeFileSync(f, b);
      expect(() => NpyFile.open(f)).toThrow(/magic\.npy: byte 1: not a \.npy file/);
      const g = join(dir, 'dict.npy');
      const c = Buffer.from(bytes);
      c.write('{"descr" ', 10, 'latin1');
      writeFileSync(g, c);
      expect(() => NpyFile.open(g)).toThrow(/dict\.npy: byte \d+: malformed header dict/);
    });

    it('wrong dtype', () => {
      const f = join(dir, 'int.npy');
      writeFileSync(f, Buffer.concat([Buffer.from(buildNpyHeader('<i4', [2, 3, 4])), Buffer.alloc(96)]));
      expect(() => NpyFile.open(f)).toThrow(
        /int\.npy: byte 10: dtype '<i4' is not complex; accepted: '<c8' \(complex64\)/,
      );
    });

    it('a NaN in the data: the byte offset of the bad value', () => {
      const f = join(dir, 'nan.npy');
      const d = data(24);
      d[2 * 9 + 1] = Number.NaN; // imaginary part of element 9
      writeNpy(f, [2, 3, 4], [d]);
      const npy = NpyFile.open(f);
      const offset = npy.header.dataOffset + 9 * 16 + 8;
      expect(() => npy.readComplex(0, 24)).toThrow(
        new RegExp(`nan\\.npy: byte ${offset}: NaN imaginary part`),
      );
      expect(Array.from(npy.readComplex(0, 9))).toEqual(Array.from(data(9))); // the values before it are fine
      npy.close();
    });
  });
});
