import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const TS_FILE = /\.(?:[cm]?ts|tsx)$/i;

/** True for a file that needs a TypeScript compiler to load (.ts, .mts, .cts, .tsx). */
export function isTypeScriptFile(file: string): boolean {
  return TS_FILE.test(file);
}

/** The tsconfig.json nearest to `file` (its folder, then upwards), if any. */
export function nearestTsconfig(file: string): string | undefined {
  let dir = dirname(file);
  for (;;) {
    const candidate = join(dir, 'tsconfig.json');
    if (existsSync(candidate)) return candidate;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/**
 * Imports a plugin file (absolute path) as an ES module. JavaScript loads natively; TypeScript
 * through tsx's tsImport, which is imported only when the first TypeScript plugin is named, so
 * that a pipeline without one never pays for it. tsx compiles with the tsconfig.json nearest to the
 * plugin (not the one of the current folder), loads a file as an ES module wherever it lives (no
 * package.json needed) and turns on source maps, so the plugin's stack frames name its own .ts
 * file, line and column.
 */
export async function importPluginFile(file: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(file).href;
  if (!isTypeScriptFile(file)) {
    try {
      return (await import(url)) as Record<string, unknown>;
    } catch (e) {
      // ES module syntax in a .js file outside a "type": "module" package (Node < 20.19 does not
      // detect it): let tsx load it as a module.
      if (!(e instanceof SyntaxError) || !/import statement|export/.test(e.message)) throw e;
    }
  }
  const { tsImport } = await import('tsx/esm/api');
  return (await tsImport(url, {
    parentURL: import.meta.url,
    tsconfig: nearestTsconfig(file) ?? false,
  })) as Record<string, unknown>;
}
