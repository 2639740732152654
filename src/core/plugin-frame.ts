import { sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../package-root.js';

const FRAME = /(?:\(|\s)((?:file:\/\/)?(?:\/|[A-Za-z]:[\\/])[^()\s]*?):(\d+):(\d+)\)?\s*$/;

/**
 * Where in a plugin an error was thrown: the first stack frame of `err` that lies outside isacflow
 * itself and outside node_modules, as `file:line:col` — the plugin's own source position (tsx maps
 * a TypeScript plugin's frames back to its .ts file). Undefined when every frame is isacflow's.
 */
export function pluginFrame(err: unknown): string | undefined {
  const stack = err instanceof Error && typeof err.stack === 'string' ? err.stack : undefined;
  if (!stack) return undefined;
  const own = packageRoot + sep;
  for (const line of stack.split('\n')) {
    if (!/^\s+at /.test(line)) continue;
    const m = FRAME.exec(line);
    if (!m) continue;
    let file = m[1] as string;
    if (file.startsWith('file://')) {
      try {
        file = fileURLToPath(file.replace(/[?#].*$/, ''));
      } catch {
        continue;
      }
    } else file = file.replace(/[?#].*$/, '');
    if (file.startsWith(own) || /[\\/]node_modules[\\/]/.test(file)) continue;
    return `${file}:${m[2]}:${m[3]}`;
  }
  return undefined;
}
