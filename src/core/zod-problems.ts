import type { z } from 'zod';
import type { Problem } from './errors.js';
import { suggestion } from './did-you-mean.js';

export type PathKey = string | number;

/** Dot path with [i] for indices: stages[2].params.maxIterations */
export function formatPath(path: readonly PathKey[]): string {
  let s = '';
  for (const k of path) {
    if (typeof k === 'number') s += `[${k}]`;
    else s += s.length === 0 ? k : `.${k}`;
  }
  return s;
}

/**
 * Turns zod issues into problems. `prefix` is prepended to every path; `locate` maps a full path
 * to `file:line:col` (or ''); `known` lists the valid keys of an object at a path, for did-you-mean.
 */
export function zodProblems(
  error: z.ZodError,
  prefix: readonly PathKey[] = [],
  locate: (path: readonly PathKey[], key?: boolean) => string = () => '',
  known?: (path: readonly PathKey[]) => string[],
): Problem[] {
  const out: Problem[] = [];
  for (const issue of error.issues) {
    const base = [...prefix, ...(issue.path as PathKey[])];
    if (issue.code === 'unrecognized_keys') {
      const keys = (issue as unknown as { keys: string[] }).keys;
      const valid = known?.(base) ?? [];
      for (const k of keys) {
        const p = [...base, k];
        const hint = suggestion(k, valid);
        out.push({
          where: locate(p, true),
          path: formatPath(p),
          message: `unknown key '${k}'${hint}${valid.length ? ` (valid: ${valid.join(', ')})` : ''}`,
        });
      }
      continue;
    }
    out.push({ where: locate(base), path: formatPath(base), message: issue.message });
  }
  return out;
}
