import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
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

/** Compiles a plugin and the local files it imports to one ES module in the temp folder; returns its path. */
async function compilePlugin(file: string): Promise<string> {
  const { build } = await import('esbuild');
  const dir = join(tmpdir(), 'isacflow-plugins');
  mkdirSync(dir, { recursive: true });
  const out = join(
    dir,
    `${process.pid}-${threadId}-${++counter}-${basename(file).replace(/\.[^.]+$/, '')}.mjs`,
  );
  const tsconfig = nearestTsconfig(file);
  await build({
    entryPoints: [file],
    outfile: out,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'inline',
    logLevel: 'silent',
    ...(tsconfig ? { tsconfig } : {}),
    define: { 'import.meta.url': JSON.stringify(pathToFileURL(file).href) },
    plugins: [
      {
        name: 'packages-from-the-plugin-folder',
        setup(b) {
          // a package import stays an import, of the file it resolves to from the plugin's folder
          b.onResolve({ filter: /^[^./]/ }, async (args) => {
            if (args.pluginData === 'resolving') return undefined; // esbuild's own resolution
            if (args.path.startsWith('node:') || isBuiltin(args.path)) return { path: args.path, external: true };
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
  return out;
}
