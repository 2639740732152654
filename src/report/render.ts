import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { parse, resetSVGDefIds, View, Warn, type LoggerInterface } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

const require = createRequire(import.meta.url);
const FONT_DIR = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');

/**
 * The TTF files given to resvg: DejaVu Sans in its four styles, from the npm package
 * dejavu-fonts-ttf. System fonts are never loaded, so a PNG is the same on every machine.
 */
export const PLOT_FONT_FILES = [
  'DejaVuSans.ttf',
  'DejaVuSans-Bold.ttf',
  'DejaVuSans-Oblique.ttf',
  'DejaVuSans-BoldOblique.ttf',
].map((f) => join(FONT_DIR, f));

/** A vega logger that collects warnings instead of printing them. */
function collectingLogger(warnings: string[]): LoggerInterface {
  let lvl = Warn;
  const logger: LoggerInterface = {
    level(l?: number) {
      if (l === undefined) return lvl;
      lvl = l;
      return logger;
    },
    error(...args: readonly unknown[]) {
      warnings.push(`error: ${args.map(String).join(' ')}`);
      return logger;
    },
    warn(...args: readonly unknown[]) {
      warnings.push(args.map(String).join(' '));
      return logger;
    },
    info() {
      return logger;
    },
    debug() {
      return logger;
    },
  } as LoggerInterface;
  return logger;
}

/**
 * Vega-Lite → Vega → SVG, server side (headless View, renderer 'none'). Vega measures text with
 * its built-in estimate (no canvas package), so layout is deterministic; the SVG def ids are
 * reset per figure (ids repeat between figures: inline them with prefixSvgIds). Compiler and view
 * warnings go into `warnings` (nothing is printed).
 */
export async function vegaLiteToSvg(vl: TopLevelSpec, warnings: string[] = []): Promise<string> {
  const logger = collectingLogger(warnings);
  const { spec } = compile(vl, { logger });
  const view = new View(parse(spec), { renderer: 'none', logger });
  try {
    await view.runAsync();
    // Vega numbers gradients and clip paths with process-wide counters: reset them so the same
    // figure gives the same bytes however many figures were drawn before.
    resetSVGDefIds();
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export interface Png {
  /** PNG file bytes */
  data: Buffer;
  width: number;
  height: number;
  /** RGBA pixels (width · height · 4), for checks */
  pixels: Buffer;
}

/** SVG → PNG with resvg at `scale` × the SVG's size, fonts from PLOT_FONT_FILES only. */
export function svgToPng(svg: string, scale = 2): Png {
  const r = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    font: {
      loadSystemFonts: false,
      fontFiles: PLOT_FONT_FILES,
      defaultFontFamily: 'DejaVu Sans',
      sansSerifFamily: 'DejaVu Sans',
    },
    background: 'white',
  });
  const img = r.render();
  return { data: img.asPng(), width: img.width, height: img.height, pixels: img.pixels };
}
