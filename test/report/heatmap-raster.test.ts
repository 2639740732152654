import { scheme } from 'vega';
import { describe, expect, it } from 'vitest';
import { encodePngRgba } from '../../src/report/png-encode.js';
import { renderPlot } from '../../src/report/plot.js';
import { decodePng } from './png-decode.js';

const viridis = scheme('viridis') as (t: number) => string;
const rgbOf = (s: string): number[] =>
  (/rgb\((\d+), (\d+), (\d+)\)/.exec(s) as RegExpExecArray).slice(1, 4).map(Number);

/** The PNG inside the heatmap's <image> element (independent decoder). */
function embedded(svg: string): ReturnType<typeof decodePng> {
  const m = /xlink:href="data:image\/png;base64,([^"]+)"/.exec(svg);
  if (!m) throw new Error('no embedded PNG');
  return decodePng(Buffer.from(m[1] as string, 'base64'));
}

function grid(
  nx: number,
  ny: number,
  f: (i: number, j: number) => number,
): Array<{ x: number; y: number; series: string; value: number }> {
  const rows = [];
  for (let j = 0; j < ny; j++)
    for (let i = 0; i < nx; i++) rows.push({ x: 10 * i, y: 5 * j, series: '', value: f(i, j) });
  return rows;
}

describe('PNG encoder', () => {
  it('round-trips through an independent decoder (rows with Sub and Up filters)', () => {
    const w = 7;
    const h = 5;
    const px = new Uint8Array(w * h * 4);
    for (let i = 0; i < px.length; i++) px[i] = (i * 37 + (i >> 5)) & 255;
    px.copyWithin(3 * w * 4, 2 * w * 4, 3 * w * 4); // row 3 = row 2: an 'Up' row
    const img = decodePng(encodePngRgba(px, w, h));
    expect([img.width, img.height]).toEqual([w, h]);
    expect(Buffer.compare(Buffer.from(img.rgba), Buffer.from(px))).toBe(0);
  });
});

describe('heatmap as one raster image', () => {
  it('draws one <image> and no per-cell shapes; each cell has the colour of its value on the legend scale', async () => {
    const nx = 6;
    const ny = 4;
    const value = (i: number, j: number): number => 10 ** ((i + nx * j) / (nx * ny - 1)); // 1 .. 10, log-spaced
    const p = await renderPlot(
      { kind: 'heatmap', x: 'x', y: 'y', value: 'armse.position', logValue: true, equalAxes: false },
      { rows: grid(nx, ny, value), warnings: [] },
    );
    expect(p.svg.match(/<image/g)?.length).toBe(1);
    expect(p.svg).not.toMatch(/<path[^>]*aria-roledescription="rect mark"/);
    const img = embedded(p.svg);
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        // pixel at the centre of cell (i, j); image rows run from the top (largest y)
        const px = Math.floor(((i + 0.5) / nx) * img.width);
        const py = Math.floor(((ny - j - 0.5) / ny) * img.height);
        const o = 4 * (py * img.width + px);
        const got = [img.rgba[o], img.rgba[o + 1], img.rgba[o + 2]] as number[];
        const t = (i + nx * j) / (nx * ny - 1); // log10 fraction of the domain [1, 10]
        const want = rgbOf(viridis(Math.round(255 * t) / 255));
        for (let c = 0; c < 3; c++)
          expect(Math.abs((got[c] as number) - (want[c] as number))).toBeLessThanOrEqual(1);
      }
    }
    // the legend gradient is Vega's own scale over the same domain: its end stops are viridis(0) and viridis(1)
    expect(p.svg).toContain(`stop-color="${viridis(0)}"`);
    expect(p.svg).toContain(`stop-color="${viridis(1)}"`);
  });

  it('has no seams: a constant map is one solid rectangle of one colour in the rendered PNG', async () => {
    const p = await renderPlot(
      { kind: 'heatmap', x: 'x', y: 'y', value: 'armse.position', equalAxes: false, width: 300, height: 200 },
      { rows: grid(40, 30, () => 3), warnings: [] },
    );
    const img = decodePng(p.png);
    const [r0, g0, b0] = rgbOf(viridis(0.5)) as [number, number, number];
    const is = (o: number): boolean =>
      Math.abs((img.rgba[o] as number) - r0) +
        Math.abs((img.rgba[o + 1] as number) - g0) +
        Math.abs((img.rgba[o + 2] as number) - b0) <=
      3;
    let x0 = Infinity;
    let x1 = -1;
    let y0 = Infinity;
    let y1 = -1;
    for (let y = 0; y < img.height; y++) {
      for (let x = 0; x < img.width; x++) {
        if (!is(4 * (y * img.width + x))) continue;
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
      }
    }
    // the plot area (300 x 200 at PNG scale 2), every pixel inside it the one colour (the legend's
    // gradient lies outside; its middle stop has this colour too, so look left of the legend only)
    expect(x1 - x0 + 1).toBeGreaterThanOrEqual(2 * 300 - 4);
    expect(y1 - y0 + 1).toBeGreaterThanOrEqual(2 * 200 - 4);
    let off = 0;
    for (let y = y0 + 2; y <= y0 + 2 * 200 - 3; y++)
      for (let x = x0 + 2; x <= x0 + 2 * 300 - 3; x++) if (!is(4 * (y * img.width + x))) off++;
    expect(off).toBe(0);
  });

  it('stays small for a large grid (201 x 201 cells)', async () => {
    const p = await renderPlot(
      { kind: 'heatmap', x: 'x', y: 'y', value: 'armse.position', logValue: true },
      { rows: grid(201, 201, (i, j) => 0.01 + Math.hypot(i - 100, j - 60)), warnings: [] },
    );
    expect(p.svg.length).toBeLessThan(400_000);
    expect(p.svg.match(/<image/g)?.length).toBe(1);
  });
});
