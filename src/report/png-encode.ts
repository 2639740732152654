import { deflateSync } from 'node:zlib';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (ISO 3309, as PNG chunks use it). */
export function crc32(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = (CRC_TABLE[(c ^ (buf[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/**
 * Encodes 8-bit RGBA pixels (row-major, width · height · 4 bytes) as a PNG file. Each row is
 * filtered with 'Up' when it equals the row above (heatmap rasters repeat rows) and 'Sub'
 * otherwise, so blocky images deflate to a few kB.
 */
export function encodePngRgba(pixels: Uint8Array, width: number, height: number): Buffer {
  if (pixels.length !== width * height * 4)
    throw new RangeError(`encodePngRgba: ${pixels.length} bytes for ${width} x ${height} RGBA`);
  const stride = width * 4;
  const raw = Buffer.alloc(height * (stride + 1));
  for (let y = 0; y < height; y++) {
    const row = y * stride;
    const out = y * (stride + 1);
    let same = y > 0;
    for (let i = 0; same && i < stride; i++) same = pixels[row + i] === pixels[row - stride + i];
    if (same) {
      raw[out] = 2; // Up: all zeros
      continue;
    }
    raw[out] = 1; // Sub
    for (let i = 0; i < stride; i++) {
      const left = i >= 4 ? (pixels[row + i - 4] as number) : 0;
      raw[out + 1 + i] = ((pixels[row + i] as number) - left) & 0xff;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
