import type { PathKey } from './zod-problems.js';

const STAGE_ENTRY_KEYS = new Set(['id', 'uses', 'params', 'variants']);

/**
 * Keys no user input may use: through them an assignment reaches Object.prototype (or a
 * constructor's prototype) and changes every object of the process.
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'prototype', 'constructor']);

export function isForbiddenKey(k: PathKey): boolean {
  return typeof k === 'string' && FORBIDDEN_KEYS.has(k);
}

export function forbiddenKeyMessage(k: string): string {
  return `'${k}' is not allowed as a key (${[...FORBIDDEN_KEYS].join(', ')} are reserved)`;
}

/**
 * Resolves a user dot path (as in `sweep:` and `--set`) to a concrete path into the pipeline
 * object. `stages.<id>.…` addresses the stage with that id (or `uses` name when it has no id);
 * `stages.<id>.<param>` is short for `stages.<id>.params.<param>`; numeric segments index lists.
 * Returns a reason when a stage id does not exist or a segment is a reserved key.
 */
export function resolveDotPath(obj: unknown, dot: string): { path: PathKey[] } | { error: string } {
  const parts = dot.split('.');
  if (parts.length === 0 || dot.trim() === '') return { error: 'empty path' };
  if (parts.some((s) => s.trim().length === 0))
    return { error: `'${dot}' has an empty segment (write dot.separated.keys)` };
  const bad = parts.find((s) => FORBIDDEN_KEYS.has(s));
  if (bad !== undefined) return { error: forbiddenKeyMessage(bad) };
  const path: PathKey[] = [];
  if (parts[0] === 'stages' && parts.length >= 2 && !/^\d+$/.test(parts[1] as string)) {
    const stages = (obj as { stages?: unknown } | null)?.stages;
    const list = Array.isArray(stages) ? (stages as unknown[]) : [];
    const id = parts[1] as string;
    const idOf = (s: unknown): unknown =>
      s !== null && typeof s === 'object'
        ? Object.hasOwn(s, 'id')
          ? (s as { id: unknown }).id
          : Object.hasOwn(s, 'uses')
            ? (s as { uses: unknown }).uses
            : undefined
        : undefined;
    const idx = list.findIndex((s) => idOf(s) === id);
    if (idx < 0) {
      const ids = list.map((s) => String(idOf(s)));
      return { error: `no stage with id '${id}' (stage ids: ${ids.join(', ')})` };
    }
    path.push('stages', idx);
    const rest = parts.slice(2);
    if (rest.length > 0 && !STAGE_ENTRY_KEYS.has(rest[0] as string)) path.push('params');
    for (const r of rest) path.push(/^\d+$/.test(r) ? Number(r) : r);
    return { path };
  }
  for (const r of parts) path.push(/^\d+$/.test(r) ? Number(r) : r);
  return { path };
}

/**
 * Sets obj[path] = value, creating mappings on the way. Refuses (returns a reason) reserved keys
 * and paths that go through a value that is neither a mapping nor a list (e.g. `scenario: 42`), a
 * string key into a list or an index into a mapping; only own properties are followed.
 */
export function setAtPath(
  obj: Record<string, unknown>,
  path: readonly PathKey[],
  value: unknown,
): string | undefined {
  if (path.length === 0) return 'empty path';
  let cur: Record<string | number, unknown> | unknown[] = obj;
  for (let i = 0; i < path.length; i++) {
    const k = path[i] as PathKey;
    if (isForbiddenKey(k)) return forbiddenKeyMessage(k as string);
    if (Array.isArray(cur) && typeof k !== 'number')
      return `'${formatSoFar(path, i)}' is a list: index it with a number, not '${k}'`;
    if (!Array.isArray(cur) && typeof k === 'number')
      return `'${formatSoFar(path, i)}' is a mapping, not a list: use a key, not the index ${k}`;
    if (Array.isArray(cur) && (k as number) > cur.length)
      return `index ${k} is past the end of '${formatSoFar(path, i)}' (${cur.length} item(s))`;
    if (i === path.length - 1) {
      Object.defineProperty(cur, k, { value, writable: true, enumerable: true, configurable: true });
      return undefined;
    }
    let next = Object.hasOwn(cur, k) ? (cur as Record<PathKey, unknown>)[k] : undefined;
    if (next === undefined || next === null) {
      next = typeof path[i + 1] === 'number' ? [] : {};
      Object.defineProperty(cur, k, { value: next, writable: true, enumerable: true, configurable: true });
    } else if (typeof next !== 'object') {
      return `'${formatSoFar(path, i + 1)}' is ${JSON.stringify(next)}, not a mapping: cannot set '${path.slice(i + 1).join('.')}' inside it`;
    }
    cur = next as Record<string | number, unknown>;
  }
  return undefined;
}

/** The value at a path (own properties only), or undefined. */
export function getAtPath(obj: unknown, path: readonly PathKey[]): unknown {
  let cur = obj;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, k)) return undefined;
    cur = (cur as Record<PathKey, unknown>)[k];
  }
  return cur;
}

function formatSoFar(path: readonly PathKey[], n: number): string {
  return path.slice(0, n).join('.') || '(top level)';
}

export function pathStartsWith(path: readonly PathKey[], prefix: readonly PathKey[]): boolean {
  return prefix.length <= path.length && prefix.every((k, i) => path[i] === k);
}
