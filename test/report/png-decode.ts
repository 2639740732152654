import { inflateSync } from 'node:zlib';

/**
 * Minimal independent PNG reader for tests: checks the signature, reads IHDR and decodes 8-bit
 * RGBA / RGB non-interlaced images (all five row filters).
 */
export function decodePng(buf: Buffer): { width: number; height: number; rgba: Uint8Array } {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  sig.forEach((b, i) => {
    if (buf[i] !== b) throw new Error('not a PNG signature');
  });
  let off = 8;
  let width = 0;
  let height = 0;
  let colorType = -1;
  const idat: Buffer[] = [];
  while (off < buf.length) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString('latin1', off + 4, off + 8);
    const data = buf.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      if (data[8] !== 8 || data[12] !== 0) throw new Error('test decoder: 8-bit non-interlaced only');
      colorType = data[9] as number;
    } else if (type === 'IDAT') idat.push(Buffer.from(data));
    else if (type === 'IEND') break;
    off += 12 + len;
  }
  const bpp = colorType === 6 ? 4 : colorType === 2 ? 3 : 0;
  if (bpp === 0) throw new Error(`test decoder: colour type ${colorType}`);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  const px = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)] as number;
    for (let x = 0; x < stride; x++) {
      const r = raw[y * (stride + 1) + 1 + x] as number;
      const a = x >= bpp ? (px[y * stride + x - bpp] as number) : 0;
      const b = y > 0 ? (px[(y - 1) * stride + x] as number) : 0;
      const c = x >= bpp && y > 0 ? (px[(y - 1) * stride + x - bpp] as number) : 0;
      let pred = 0;
      if (f === 1) pred = a;
      else if (f === 2) pred = b;
      else if (f === 3) pred = (a + b) >> 1;
      else if (f === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      px[y * stride + x] = (r + pred) & 0xff;
    }
  }
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    rgba[4 * i] = px[bpp * i] as number;
    rgba[4 * i + 1] = px[bpp * i + 1] as number;
    rgba[4 * i + 2] = px[bpp * i + 2] as number;
    rgba[4 * i + 3] = bpp === 4 ? (px[bpp * i + 3] as number) : 255;
  }
  return { width, height, rgba };
}
