// Second half of `npm run build`: after tsc has compiled src/, stages/ and plugins/ to dist/ (with
// .d.ts and source maps), esbuild bundles that JavaScript into a few files in dist/bundle/ — the
// CLI, the worker thread, the public API ('isacflow') and the plugin API ('isacflow/plugin'), which
// share their chunks, so one process holds one copy of every module. Loading ~20 files instead of
// ~550 is what makes start-up fast (bench/startup.ts). Heavy or native dependencies that only some
// commands need (vega, resvg, piscina, tsx, esbuild, bullmq, ioredis) stay outside and are imported
// lazily. Source maps chain through tsc's, so stack traces name the .ts sources.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'bundle');
rmSync(outdir, { recursive: true, force: true });

const external = [
  'vega',
  'vega-lite',
  '@resvg/resvg-js',
  'dejavu-fonts-ttf',
  'piscina',
  'tsx',
  'tsx/*',
  'esbuild',
  'bullmq',
  'ioredis',
];

await build({
  absWorkingDir: root,
  entryPoints: {
    main: 'dist/src/cli/main.js',
    'trial-worker': 'dist/src/runner/trial-worker.js',
    index: 'dist/src/index.js',
    plugin: 'dist/src/plugin.js',
  },
  outdir,
  // entries and chunks side by side: a module that finds a sibling file through import.meta.url
  // (the worker file next to run.js) finds it in dist/bundle/ as in dist/src/runner/
  chunkNames: '[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  sourcemap: true,
  // CommonJS dependencies bundled into ESM call require() for Node's built-ins
  banner: {
    js: "import { createRequire as __isacflowCreateRequire } from 'node:module'; const require = __isacflowCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
