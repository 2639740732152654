#!/usr/bin/env node
// isacflow command. Runs the compiled JavaScript in dist/ (npm run build; `npm ci` and `npm install`
// build it through the prepare script). In a checkout whose sources are newer than dist/ (or with no
// dist/ yet) it runs the TypeScript sources through tsx instead, so an edit is never silently ignored.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const compiled = join(root, 'dist', 'bundle', 'main.js');

/** Newest modification time (ms) of the .ts files under the given folders. */
function newestSource(dirs) {
  let newest = 0;
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  for (const d of dirs) if (existsSync(d)) walk(d);
  return newest;
}

const checkout = existsSync(join(root, 'tsconfig.json')) && existsSync(join(root, 'src', 'cli', 'main.ts')); // a checkout, not an installed package
const stale =
  !existsSync(compiled) ||
  (checkout &&
    newestSource(['src', 'stages', 'plugins'].map((d) => join(root, d))) > statSync(compiled).mtimeMs);

if (stale && checkout) {
  process.stderr.write(
    'isacflow: dist/ is missing or older than the sources: running them through tsx (slower start; npm run build)\n',
  );
  const { register } = await import('tsx/esm/api');
  register({ tsconfig: join(root, 'tsconfig.json') });
  await import(pathToFileURL(join(root, 'src', 'cli', 'main.ts')).href);
} else {
  await import(pathToFileURL(compiled).href);
}
