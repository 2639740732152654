import { importPluginFile } from './ts-import.js';
import { pluginApi } from '../plugin-api.js';
import type { AnyManifest } from './plugin.js';
import type { PluginRegistry } from './plugin-registry.js';
import { checkUserFile, isPathSpecifier, resolveUserPath, type FileLimits } from './user-file.js';
import { displayPath } from './display-path.js';

export interface LoadedPlugin {
  spec: string;
  resolved: string;
  names: string[];
}

/**
 * Imports a plugin module and registers every manifest it exports. A path (relative to `baseDir`,
 * absolute, or `~/...`) must be a regular TypeScript or JavaScript file under the size limit; a
 * bare name is imported as a package. Registering a name that is already known (a built-in stage
 * or plugin, or one from another module) is refused unless `override` is true.
 */
export async function loadPluginModule(
  specifier: string,
  baseDir: string,
  registry: PluginRegistry,
  opts: { override?: boolean; limits?: FileLimits } = {},
): Promise<LoadedPlugin> {
  const isPath = isPathSpecifier(specifier);
  const target = isPath ? resolveUserPath(baseDir, specifier) : specifier;
  if (isPath) {
    try {
      await checkUserFile(target, 'plugin', opts.limits);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT')
        throw new Error(`plugin module not found: ${specifier} (resolved to ${displayPath(target)})`);
      throw new Error(
        `plugin module ${specifier} (resolved to ${displayPath(target)}): ${(e as Error).message}`,
      );
    }
  }
  let mod: Record<string, unknown>;
  try {
    if (isPath) {
      // JavaScript natively, TypeScript compiled by esbuild (loaded only then), wherever the file lives.
      mod = unwrapInterop(await importPluginFile(target));
    } else {
      mod = (await import(target)) as Record<string, unknown>;
    }
  } catch (e) {
    const syntax = isPath ? await syntaxError(target) : undefined;
    const reason = syntax ?? firstLine(e);
    throw new Error(`plugin ${specifier} failed to load: ${reason}`, { cause: e });
  }
  const manifests: AnyManifest[] = [];
  const visit = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (isManifest(v)) manifests.push(v);
  };
  if (typeof mod.default === 'function' && !isManifest(mod.default)) {
    // A factory plugin: `export default (api) => manifests`, needing nothing installed (src/plugin-api.ts).
    try {
      visit(await (mod.default as (api: unknown) => unknown)(pluginApi));
    } catch (e) {
      throw new Error(`plugin ${specifier} failed to load: its default export threw: ${firstLine(e)}`, {
        cause: e,
      });
    }
  }
  Object.entries(mod).forEach(([k, v]) => {
    if (k !== 'default' || !(typeof v === 'function')) visit(v);
  });
  if (manifests.length === 0) {
    throw new Error(
      `plugin ${specifier} exports no plugin manifest (export a defineSolver/defineStage/definePlugin result, or a default function (api) => manifests)`,
    );
  }
  const origin = isPath ? displayPath(target) : specifier;
  const clashes = manifests.filter((m) => registry.has(m.kind, m.name) && !(opts.override ?? false));
  if (clashes.length > 0) {
    const names = clashes.map(
      (m) => `${m.kind} '${m.name}' (from ${registry.origin.get(`${m.kind}:${m.name}`) ?? 'builtin'})`,
    );
    throw new Error(
      `plugin ${specifier} would replace ${names.join(', ')}; rename it, or write { module: ${specifier}, override: true } under plugins: to replace it on purpose`,
    );
  }
  registry.registerAll(manifests, origin);
  return { spec: specifier, resolved: origin, names: manifests.map((m) => `${m.kind}:${m.name}`) };
}

function firstLine(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.split('\n')[0] ?? '';
}

/** A TypeScript file compiled as CommonJS arrives as { default: module.exports }: take the exports. */
function unwrapInterop(mod: Record<string, unknown>): Record<string, unknown> {
  const d = mod.default;
  const keys = Object.keys(mod).filter((k) => k !== 'module.exports');
  if (keys.length === 1 && d !== null && typeof d === 'object' && !isManifest(d) && !Array.isArray(d))
    return d as Record<string, unknown>;
  return mod;
}

/** The first syntax error of a TypeScript/JavaScript file as `line:col message`, if any (esbuild). */
async function syntaxError(file: string): Promise<string | undefined> {
  try {
    const { transform } = await import('esbuild');
    const { readFileSync } = await import('node:fs');
    await transform(readFileSync(file, 'utf8'), {
      loader: /\.[cm]?js$/.test(file) ? 'js' : 'ts',
      sourcefile: file,
    });
    return undefined;
  } catch (e) {
    const errs = (e as { errors?: Array<{ text: string; location?: { line: number; column: number } }> })
      .errors;
    const first = errs?.[0];
    if (!first) return undefined;
    return `syntax error at ${displayPath(file)}:${first.location?.line ?? 0}:${(first.location?.column ?? 0) + 1}: ${first.text}`;
  }
}

/** The checks loadPluginModule makes before importing (path plugins only), without running any code. */
export async function checkPluginFile(
  specifier: string,
  baseDir: string,
  limits?: FileLimits,
): Promise<void> {
  if (!isPathSpecifier(specifier)) return;
  const target = resolveUserPath(baseDir, specifier);
  try {
    await checkUserFile(target, 'plugin', limits);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      throw new Error(`plugin module not found: ${specifier} (resolved to ${displayPath(target)})`);
    throw new Error(
      `plugin module ${specifier} (resolved to ${displayPath(target)}): ${(e as Error).message}`,
    );
  }
}

export function isManifest(v: unknown): v is AnyManifest {
  if (v === null || typeof v !== 'object') return false;
  const m = v as Record<string, unknown>;
  return (
    typeof m.kind === 'string' &&
    typeof m.name === 'string' &&
    typeof m.params === 'object' &&
    m.params !== null &&
    (typeof m.create === 'function' || typeof m.stage === 'function')
  );
}
