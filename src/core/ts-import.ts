import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { threadId } from 'node:worker_threads';

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
 * Imports a plugin file (absolute path) as an ES module. JavaScript loads natively. TypeScript is
 * compiled by esbuild (imported only when the first TypeScript plugin is named, so a pipeline
 * without one never pays for it) into one ES module with an inline source map, with the tsconfig
 * nearest to the plugin (never the current folder's): the plugin's own relative imports are bundled
 * in, packages stay imports resolved from the plugin's folder — so `isacflow/plugin` is the very
 * module the running isacflow uses. Source maps are switched on, so the plugin's stack frames name
 * its .ts file, line and column. The compiled file goes to the OS temp folder and is removed once
 * loaded.
 */
export async function importPluginFile(file: string): Promise<Record<string, unknown>> {
  if (!isTypeScriptFile(file)) {
    const url = pathToFileURL(file).href;
    try {
      return (await import(url)) as Record<string, unknown>;
    } catch (e) {
      // ES module syntax in a .js file outside a "type": "module" package (Node < 20.19 does not
      // detect it), or a loader hook of the host process (tsx, when bin/isacflow.js runs the
      // sources) that requires it as CommonJS: compile it as a module like a TypeScript file.
      const code = (e as { code?: unknown }).code;
      const esmAsCjs =
        code === 'ERR_REQUIRE_CYCLE_MODULE' ||
        code === 'ERR_REQUIRE_ESM' ||
        (e instanceof Error && /require\(\) ES Module/.test(e.message));
      if (!esmAsCjs && (!(e instanceof SyntaxError) || !/import statement|export/.test(e.message))) throw e;
    }
  }
  const out = await compilePlugin(file);
  process.setSourceMapsEnabled(true);
  try {
    return (await import(pathToFileURL(out).href)) as Record<string, unknown>;
  } finally {
    rmSync(out, { force: true });
  }
}

let counter = 0;

/** A plugin file bundled with the local files it imports: one ES module with an inline source map. */
export interface PluginBundle {
  /** the ES module's code; its source map names the original files (absolute file: URLs) */
  code: string;
  /** absolute paths of the files bundled in: the plugin itself and every local file it imports */
  inputs: string[];
}

/** Compiles a plugin and the local files it imports to one ES module in the temp folder; returns its path. */
async function compilePlugin(file: string): Promise<string> {
  const dir = join(tmpdir(), 'isacflow-plugins');
  mkdirSync(dir, { recursive: true });
  const out = join(
    dir,
    `${process.pid}-${threadId}-${++counter}-${basename(file).replace(/\.[^.]+$/, '')}.mjs`,
  );
  writeFileSync(out, (await bundlePluginFile(file)).code);
  return out;
}

/**
 * Bundles a plugin file (TypeScript or JavaScript, absolute path) with esbuild, in memory: the
 * plugin's own relative imports are bundled in, packages stay imports of the file they resolve to
 * from the plugin's folder (so `isacflow/plugin` is the very module the running isacflow uses).
 * The inline source map names the original files by absolute file: URL, so the module can be
 * written anywhere and its stack frames still name the user's file:line:col.
 */
export async function bundlePluginFile(file: string): Promise<PluginBundle> {
  const { build } = await import('esbuild');
  const tsconfig = nearestTsconfig(file);
  const outfile = join(tmpdir(), 'isacflow-plugins', 'bundle.mjs'); // nothing is written there
  const result = await build({
    entryPoints: [file],
    outfile,
    write: false,
    metafile: true,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'external',
    sourcesContent: false,
    logLevel: 'silent',
    absWorkingDir: dirname(file),
    ...(tsconfig ? { tsconfig } : {}),
    define: { 'import.meta.url': JSON.stringify(pathToFileURL(file).href) },
    plugins: [
      {
        name: 'packages-from-the-plugin-folder',
        setup(b) {
          // a package import stays an import, of the file it resolves to from the plugin's folder
          b.onResolve({ filter: /^[^./]/ }, async (args) => {
            if (args.pluginData === 'resolving') return undefined; // esbuild's own resolution
            if (args.path.startsWith('node:') || isBuiltin(args.path))
              return { path: args.path, external: true };
            const r = await b.resolve(args.path, {
              kind: args.kind,
              resolveDir: args.resolveDir,
              pluginData: 'resolving',
            });
            if (r.errors.length > 0 || !r.path) return { path: args.path, external: true };
            return { path: pathToFileURL(r.path).href, external: true };
          });
        },
      },
    ],
  });
  const js = result.outputFiles.find((f) => f.path.endsWith('.mjs'));
  const map = result.outputFiles.find((f) => f.path.endsWith('.map'));
  if (!js || !map) throw new Error(`esbuild gave no module for ${file}`);
  const sourceMap = JSON.parse(map.text) as { sources: string[] };
  sourceMap.sources = sourceMap.sources.map((s) => pathToFileURL(resolve(dirname(outfile), s)).href);
  const code =
    js.text.replace(/\/\/# sourceMappingURL=\S*\s*$/, '') +
    `//# sourceMappingURL=data:application/json;base64,${Buffer.from(JSON.stringify(sourceMap)).toString('base64')}\n`;
  const inputs = Object.keys(result.metafile.inputs)
    .map((p) => resolve(dirname(file), p))
    .filter((p) => existsSync(p));
  return { code, inputs };
}
