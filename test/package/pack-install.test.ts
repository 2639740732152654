import { execFileSync, type ExecFileSyncOptions } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWithBuiltins } from '../../src/builtins.js';
import type { FrameRecord } from '../../src/core/frame.js';
import { runPipeline } from '../../src/runner/run.js';

const repo = resolve('.');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function sh(cmd: string, args: string[], opts: ExecFileSyncOptions): string {
  try {
    return execFileSync(cmd, args, { stdio: 'pipe', encoding: 'utf8', ...opts }) as string;
  } catch (e) {
    const x = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed: ${x.message}\n${x.stdout ?? ''}\n${x.stderr ?? ''}`);
  }
}

/** Records without their wall-clock timings (everything else is determined by the seed). */
const comparable = (rs: FrameRecord[]) => rs.map(({ timings: _t, ...r }) => r);

// The pipeline of the study: the user's TypeScript solver and fusion plugins, a scenario shipped in
// the package, the paper's chain.
const PIPELINE = `isacflow: 1
name: packaged-study
scenario: isacflow/scenarios/paper-default.yaml
plugins: [./random-search.ts, ./range-fit.ts]
run: { trials: 2, frames: 1, workers: 1 }
sweep:
  scenario.snr.db: [10]
stages:
  - { id: echoes, uses: echo-generator }
  - { id: cp, uses: cp-decomposer }
  - { id: assoc, uses: music-associator }
  - id: fusion
    uses: fusion-solver
    variants:
      mine: { scheme: range-fit, solver: random-search, solverParams: { samples: 2000 } }
      sfo-random: { scheme: sfo, solver: random-search, solverParams: { samples: 2000 } }
`;

describe('the npm package', () => {
  it('packs, installs offline into an empty folder, type-checks a TS solver and fusion plugin there and runs them from a third folder like the repo does', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'isacflow-pack-'));

    // 1. npm pack from a copy of the checkout (its prepare script builds dist/ there, so a build
    //    running in the repository at the same time is never disturbed), node_modules shared.
    const src = join(tmp, 'src');
    mkdirSync(src);
    for (const f of [
      'package.json',
      'package-lock.json',
      'tsconfig.json',
      'tsconfig.build.json',
      'README.md',
      'bin',
      'scripts',
      'src',
      'stages',
      'plugins',
      'pipelines',
      'schema',
      'templates',
    ]) {
      cpSync(join(repo, f), join(src, f), { recursive: true, filter: (p) => !p.endsWith('.test.ts') });
    }
    symlinkSync(join(repo, 'node_modules'), join(src, 'node_modules'), 'dir');
    sh(npm, ['pack', '--pack-destination', tmp, '--silent'], { cwd: src });
    const tarball = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
    expect(tarball).toMatch(/^isacflow-.*\.tgz$/);

    // 2. Install it into an empty folder, offline: a lock file with the repository's exact versions
    //    of every runtime dependency (npm's cache holds them after npm ci).
    const study = join(tmp, 'study');
    mkdirSync(study);
    cpSync(join(tmp, tarball as string), join(study, tarball as string));
    const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as {
      version: string;
      license: string;
      dependencies: object;
      bin: object;
      engines: object;
    };
    const lock = JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dev?: boolean }>;
    };
    const packages: Record<string, unknown> = {
      '': { name: 'study', dependencies: { isacflow: `file:${tarball}` } },
      'node_modules/isacflow': {
        version: pkg.version,
        resolved: `file:${tarball}`,
        license: pkg.license,
        dependencies: pkg.dependencies,
        bin: pkg.bin,
        engines: pkg.engines,
      },
    };
    for (const [k, v] of Object.entries(lock.packages)) if (k !== '' && !v.dev) packages[k] = v;
    writeFileSync(
      join(study, 'package.json'),
      JSON.stringify({
        name: 'study',
        private: true,
        type: 'module',
        dependencies: { isacflow: `file:${tarball}` },
      }),
    );
    writeFileSync(
      join(study, 'package-lock.json'),
      JSON.stringify({ name: 'study', lockfileVersion: 3, requires: true, packages }),
    );
    const install = sh(npm, ['ci', '--offline', '--no-audit', '--no-fund'], { cwd: study });
    expect(install).not.toMatch(/EBADENGINE/);

    // 3. A TypeScript solver and fusion plugin written against the installed package's types.
    for (const f of ['random-search.ts', 'range-fit.ts'])
      cpSync(join(repo, 'templates', 'init', 'plugins', f), join(study, f));
    writeFileSync(
      join(study, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          types: [],
          skipLibCheck: true,
          noEmit: true,
        },
        include: ['*.ts'],
      }),
    );
    sh(
      process.execPath,
      [join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '--strict', '--noEmit', '-p', study],
      { cwd: study },
    );
    writeFileSync(join(study, 'pipeline.yaml'), PIPELINE);

    // 4. npx isacflow in the study folder, and the installed command run from a third folder.
    expect(sh('npx', ['--offline', 'isacflow', 'validate', 'pipeline.yaml'], { cwd: study })).toMatch(
      /valid/,
    );
    const third = join(tmp, 'elsewhere');
    mkdirSync(third);
    sh(
      join(study, 'node_modules', '.bin', 'isacflow'),
      ['run', join(study, 'pipeline.yaml'), '--out', 'out', '--quiet'],
      { cwd: third },
    );
    const installed = readFileSync(join(third, 'out', 'records.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as FrameRecord);

    // 5. The same pipeline run inside the repository (from the sources) gives the same records.
    const inRepo = join(tmp, 'in-repo');
    mkdirSync(inRepo);
    for (const f of ['random-search.ts', 'range-fit.ts']) cpSync(join(study, f), join(inRepo, f));
    writeFileSync(join(inRepo, 'pipeline.yaml'), PIPELINE);
    const r = await runPipeline(await loadWithBuiltins(join(inRepo, 'pipeline.yaml')), {
      out: join(inRepo, 'out'),
      workers: 1,
    });
    expect(installed).toHaveLength(2);
    expect(comparable(installed)).toEqual(comparable(await r.folder.readRecords()));
    const est = installed[0]!.estimates as Record<string, unknown[]>;
    expect(Object.keys(est).sort()).toEqual(['mine', 'sfo-random']);
    expect(est.mine).toHaveLength(3);
  }, 900_000);
});
