import { IsacflowError } from './errors.js';
import { suggestion } from './did-you-mean.js';
import { zodProblems } from './zod-problems.js';
import type { AnyManifest, PluginKind, PluginLookup, PluginManifest, StageManifest } from './plugin.js';

/** Every stage and plugin known to a run, by kind and name. Built-ins and user plugins alike. */
export class PluginRegistry implements PluginLookup {
  private readonly byKind = new Map<PluginKind, Map<string, AnyManifest>>();
  /** where each plugin came from (module path or 'builtin') */
  readonly origin = new Map<string, string>();

  register(m: AnyManifest, origin = 'builtin'): void {
    let map = this.byKind.get(m.kind);
    if (!map) {
      map = new Map();
      this.byKind.set(m.kind, map);
    }
    map.set(m.name, m);
    this.origin.set(`${m.kind}:${m.name}`, origin);
  }

  registerAll(ms: Iterable<AnyManifest>, origin = 'builtin'): void {
    for (const m of ms) this.register(m, origin);
  }

  has(kind: PluginKind, name: string): boolean {
    return this.byKind.get(kind)?.has(name) ?? false;
  }

  names(kind: PluginKind): string[] {
    return [...(this.byKind.get(kind)?.keys() ?? [])].sort();
  }

  all(): AnyManifest[] {
    return [...this.byKind.values()].flatMap((m) => [...m.values()]);
  }

  manifest(kind: 'stage', name: string, where?: string): StageManifest;
  manifest(kind: PluginKind, name: string, where?: string): PluginManifest;
  manifest(kind: PluginKind, name: string, where = ''): AnyManifest {
    const m = this.byKind.get(kind)?.get(name);
    if (!m) {
      const names = this.names(kind);
      throw new IsacflowError('unknown-plugin', [
        {
          where,
          path: '',
          message: `unknown ${kind} '${name}'${suggestion(name, names)} (known: ${names.join(', ') || 'none'}; isacflow list shows all)`,
        },
      ]);
    }
    return m;
  }

  /** Validated params of a plugin (defaults filled), or an invalid-option error naming plugin and option. */
  parseParams(kind: PluginKind, name: string, params: unknown, where = ''): unknown {
    const m = this.manifest(kind, name, where);
    const r = m.params.safeParse(params ?? {});
    if (!r.success) {
      const keys = Object.keys(((m.params as unknown as { shape?: object }).shape ?? {}) as object);
      const problems = zodProblems(
        r.error,
        [name],
        () => '',
        (path) => (path.length === 1 ? keys : []),
      ).map((p) => ({
        ...p,
        where,
        message: `${kind} '${name}': ${p.message}`,
      }));
      throw new IsacflowError('invalid-option', problems);
    }
    return r.data;
  }

  create<T>(kind: PluginKind, name: string, params?: unknown, where = ''): T {
    const m = this.manifest(kind, name, where);
    if (m.kind === 'stage') throw new Error('stages are constructed by the engine, not by create()');
    const parsed = this.parseParams(kind, name, params, where);
    return (m as PluginManifest).create(parsed, { registry: this }) as T;
  }
}
