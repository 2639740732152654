import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * The piscina worker module beside this one: trial-worker.js when running compiled JavaScript
 * (dist/), trial-worker.ts under tsx or vitest (this module is then a .ts file itself).
 */
export function trialWorkerFile(): { filename: string; typescript: boolean } {
  const typescript = import.meta.url.endsWith('.ts');
  const filename = join(here, '..', `trial-worker.${typescript ? 'ts' : 'js'}`);
  if (!existsSync(filename)) throw new Error(`worker module missing: ${filename} (rebuild isacflow)`);
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
