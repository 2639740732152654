import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * The piscina worker module: trial-worker.ts under tsx or vitest (this module is then a .ts file
 * itself), trial-worker.js in src/runner/ of the compiled dist/, or beside this code in the esbuild
 * bundle (dist/bundle/, where every entry and chunk sit in one folder).
 */
export function trialWorkerFile(): { filename: string; typescript: boolean } {
  const typescript = import.meta.url.endsWith('.ts');
  const name = `trial-worker.${typescript ? 'ts' : 'js'}`;
  const candidates = [join(here, '..', name), join(here, name)];
  const filename = candidates.find((f) => existsSync(f));
  if (!filename) throw new Error(`worker module missing: ${candidates[0]} (rebuild isacflow: npm run build)`);
  return { filename, typescript };
}

/** Node flags for worker threads: tsx's loader when the worker module is TypeScript. */
export function workerExecArgv(typescript: boolean): string[] {
  const argv = process.execArgv.filter((a) => !a.startsWith('--inspect'));
  if (!typescript) return argv;
  const hasTsx = argv.some(
    (a, i) =>
      a.includes('tsx') &&
      (argv[i - 1] === '--import' || argv[i - 1] === '--loader' || a.startsWith('--import=')),
  );
  return hasTsx ? argv : [...argv, '--import', 'tsx'];
}
