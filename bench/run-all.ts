/**
 * `npm run bench`: runs every bench/<topic>.ts (each exports `run(): Promise<void>` and prints
 * its own figures). `npm run bench -- crb solvers` runs only those topics.
 */
import 'reflect-metadata';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run-all.ts' && !f.endsWith('.d.ts') && !f.startsWith('_'))
  .sort()
  .filter((f) => only.length === 0 || only.includes(f.replace(/\.ts$/, '')));

for (const f of files) {
  const mod = (await import(pathToFileURL(join(here, f)).href)) as { run?: () => Promise<void> };
  if (typeof mod.run !== 'function') continue;
  console.log(`\n=== bench/${f}`);
  await mod.run();
}
