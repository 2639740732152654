/**
 * Peak memory of the summary phase (finishRun) of a large run folder: run under /usr/bin/time -v,
 *   npx tsx bench/finish-memory.ts RUN_FOLDER PIPELINE [--set k=v ...]
 * and read "Maximum resident set size". Not part of `npm run bench` (it needs a large run folder).
 */
import { loadWithBuiltins } from '../src/builtins.js';
import { finishRun } from '../src/runner/finish-run.js';
import { RunFolder } from '../src/runner/run-folder.js';

const [folderPath, pipeline, ...rest] = process.argv.slice(2);
if (!folderPath || !pipeline)
  throw new Error('usage: bench/finish-memory.ts RUN_FOLDER PIPELINE [--set k=v ...]');
const sets = rest.filter((_, i) => rest[i - 1] === '--set');
const resolved = await loadWithBuiltins(pipeline, sets);
const t0 = performance.now();
const done = await finishRun(resolved, RunFolder.open(folderPath, 'folder'));
console.log(
  `finishRun: ${done.records} records in ${((performance.now() - t0) / 1000).toFixed(1)} s; heap used at the end ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`,
);
