import { isAbsolute, relative } from 'node:path';

/** A path as shown in messages: relative to the current folder when inside it, else absolute. */
export function displayPath(p: string): string {
  const r = relative(process.cwd(), p);
  return r.startsWith('..') || isAbsolute(r) ? p : r;
}
