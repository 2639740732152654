import type { PathKey } from './zod-problems.js';

const STAGE_ENTRY_KEYS = new Set(['id', 'uses', 'params', 'variants']);

/**
 * Resolves a user dot path (as in `sweep:` and `--set`) to a concrete path into the pipeline
 * object. `stages.<id>.…` addresses the stage with that id (or `uses` name when it has no id);
 * `stages.<id>.<param>` is short for `stages.<id>.params.<param>`; numeric segments index lists.
 * Returns undefined with a reason when a stage id does not exist.
 */
export function resolveDotPath(obj: unknown, dot: string): { path: PathKey[] } | { error: string } {
  const parts = dot.split('.').filter((s) => s.length > 0);
  if (parts.length === 0) return { error: 'empty path' };
  const path: PathKey[] = [];
  if (parts[0] === 'stages' && parts.length >= 2 && !/^\d+$/.test(parts[1] as string)) {
    const stages = (obj as { stages?: unknown }).stages;
    const list = Array.isArray(stages) ? (stages as Array<{ id?: unknown; uses?: unknown }>) : [];
    const id = parts[1] as string;
    const idx = list.findIndex((s) => (s?.id ?? s?.uses) === id);
    if (idx < 0) {
      const ids = list.map((s) => String(s?.id ?? s?.uses));
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

/** Sets obj[path] = value, creating mappings on the way. */
export function setAtPath(obj: Record<string, unknown>, path: readonly PathKey[], value: unknown): void {
  let cur: Record<string | number, unknown> = obj;
  for (let i = 0; i < path.length - 1; i++) {
    const k = path[i] as PathKey;
    let next = cur[k];
    if (next === null || typeof next !== 'object') {
      next = typeof path[i + 1] === 'number' ? [] : {};
      cur[k] = next;
    }
    cur = next as Record<string | number, unknown>;
  }
  cur[path[path.length - 1] as PathKey] = value;
}

export function pathStartsWith(path: readonly PathKey[], prefix: readonly PathKey[]): boolean {
  return prefix.length <= path.length && prefix.every((k, i) => path[i] === k);
}
