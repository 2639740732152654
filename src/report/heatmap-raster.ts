import { scheme } from 'vega';
import { encodePngRgba } from './png-encode.js';

/** One grid cell of a heatmap: its edges in data units and its value (null: no value, drawn transparent). */
export interface HeatCell {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  value: number | null;
}

export interface HeatRaster {
  /** `data:image/png;base64,...` */
  url: string;
  /** PNG size in pixels */
  width: number;
  height: number;
  /** bytes of the PNG file */
  bytes: number;
}

function parseRgb(s: string): [number, number, number] {
  const m = /rgb\((\d+),\s*(\d+),\s*(\d+)\)/.exec(s);
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3])];
  const h = /^#([0-9a-f]{6})$/i.exec(s);
  if (h) {
    const n = parseInt(h[1] as string, 16);
    return [n >> 16, (n >> 8) & 255, n & 255];
  }
  throw new Error(`heatmap colour '${s}' not understood`);
}

/**
 * Where a value falls on the colour scale, in [0, 1]: linear or logarithmic between the domain
 * ends, as Vega's continuous colour scale with `nice: false` places it (its gradient legend uses
 * the same positions).
 */
export function colourFraction(v: number, domain: readonly [number, number], log: boolean): number {
  const [lo, hi] = domain;
  const f = log ? (Math.log(v) - Math.log(lo)) / (Math.log(hi) - Math.log(lo)) : (v - lo) / (hi - lo);
  return Number.isFinite(f) ? Math.min(1, Math.max(0, f)) : 0.5;
}

/** Index of the interval of sorted `edges` (length k + 1) that holds `v`, or −1 outside. */
function locate(edges: readonly number[], v: number): number {
  if (v < (edges[0] as number) || v > (edges[edges.length - 1] as number)) return -1;
  let lo = 0;
  let hi = edges.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (v >= (edges[mid] as number)) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * Rasterises heatmap cells into one PNG image `width` x `height` pixels covering the cells'
 * extent (each pixel takes the colour of the cell under its centre; cells on a rectilinear grid,
 * regular or not), coloured by the Vega scheme `schemeName` over `domain`. One image instead of
 * one SVG rect per cell: no seams between cells, and a few kB instead of megabytes.
 */
export function rasterizeHeatmap(
  cells: readonly HeatCell[],
  domain: readonly [number, number],
  log: boolean,
  width: number,
  height: number,
  schemeName = 'viridis',
): HeatRaster {
  const interp = scheme(schemeName) as ((t: number) => string) | undefined;
  if (typeof interp !== 'function') throw new Error(`unknown colour scheme '${schemeName}'`);
  const xe = [...new Set(cells.flatMap((c) => [c.x0, c.x1]))].sort((a, b) => a - b);
  const ye = [...new Set(cells.flatMap((c) => [c.y0, c.y1]))].sort((a, b) => a - b);
  const nx = xe.length - 1;
  const grid = new Float64Array(nx * (ye.length - 1)).fill(NaN);
  for (const c of cells) {
    if (c.value === null || !Number.isFinite(c.value) || (log && c.value <= 0)) continue;
    const i = locate(xe, (c.x0 + c.x1) / 2);
    const j = locate(ye, (c.y0 + c.y1) / 2);
    if (i >= 0 && j >= 0) grid[j * nx + i] = c.value;
  }
  // 256-entry lookup table of the scheme
  const lut = new Uint8Array(256 * 3);
  for (let k = 0; k < 256; k++) lut.set(parseRgb(interp(k / 255)), 3 * k);
  const x0 = xe[0] as number;
  const x1 = xe[nx] as number;
  const y0 = ye[0] as number;
  const y1 = ye[ye.length - 1] as number;
  const col = new Int32Array(width);
  for (let px = 0; px < width; px++) col[px] = locate(xe, x0 + ((px + 0.5) / width) * (x1 - x0));
  const pixels = new Uint8Array(width * height * 4);
  for (let py = 0; py < height; py++) {
    // image rows run top (y1) to bottom (y0)
    const j = locate(ye, y1 - ((py + 0.5) / height) * (y1 - y0));
    for (let px = 0; px < width; px++) {
      const i = col[px] as number;
      const v = i >= 0 && j >= 0 ? (grid[j * nx + i] as number) : NaN;
      if (Number.isNaN(v)) continue; // transparent
      const k = Math.round(255 * colourFraction(v, domain, log));
      const o = 4 * (py * width + px);
      pixels[o] = lut[3 * k] as number;
      pixels[o + 1] = lut[3 * k + 1] as number;
      pixels[o + 2] = lut[3 * k + 2] as number;
      pixels[o + 3] = 255;
    }
  }
  const png = encodePngRgba(pixels, width, height);
  return { url: `data:image/png;base64,${png.toString('base64')}`, width, height, bytes: png.length };
}
