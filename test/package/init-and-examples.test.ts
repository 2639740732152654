import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWithBuiltins } from '../../src/builtins.js';
import { initCommand, initTemplateDir } from '../../src/cli/init-command.js';
import { runPipeline } from '../../src/runner/run.js';

const repo = resolve('.');
const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');

/** The declarations of the plugin API (tsc part of npm run build), rebuilt when older than the sources. */
function pluginDeclarations(): string {
  const dts = join(repo, 'dist', 'src', 'plugin.d.ts');
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce(
      (m, e) =>
        Math.max(m, e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs),
      0,
    );
  if (
    !existsSync(dts) ||
    statSync(dts).mtimeMs <
      Math.max(newest(join(repo, 'src')), newest(join(repo, 'stages')), newest(join(repo, 'plugins')))
  ) {
    execFileSync(process.execPath, [tsc, '-p', join(repo, 'tsconfig.build.json')], { stdio: 'pipe' });
  }
  return dts;
}

describe('isacflow init and the plugin examples (one per kind; the README shows these files)', () => {
  it('init writes the study; its plugins compile under tsc --strict against the plugin API; its pipeline runs at once', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'isacflow-init-')), 'study');
    await initCommand(dir);
    const files = ['pipeline.yaml', 'scenario.yaml', 'tsconfig.json', 'README.md', 'package.json'];
    for (const f of files) expect(existsSync(join(dir, f)), f).toBe(true);
    expect(readdirSync(join(dir, 'plugins')).sort()).toEqual([
      'hit-rate.ts',
      'random-search.ts',
      'range-fit.ts',
      'smoother.ts',
      'toward-center.ts',
    ]);
    expect(readFileSync(join(dir, 'README.md'), 'utf8').trim().split('\n')).toHaveLength(3);
    await expect(initCommand(dir)).rejects.toThrow(/not empty/);

    // type-check against the package's declarations, as a user's folder with isacflow installed would
    writeFileSync(
      join(dir, 'tsconfig.check.json'),
      JSON.stringify({
        extends: './tsconfig.json',
        compilerOptions: { paths: { 'isacflow/plugin': [pluginDeclarations()] } },
      }),
    );
    try {
      execFileSync(process.execPath, [tsc, '--strict', '--noEmit', '-p', join(dir, 'tsconfig.check.json')], {
        stdio: 'pipe',
        encoding: 'utf8',
      });
    } catch (e) {
      throw new Error(
        `tsc failed:\n${(e as { stdout?: string }).stdout ?? ''}${(e as { stderr?: string }).stderr ?? ''}`,
      );
    }

    const resolved = await loadWithBuiltins(join(dir, 'pipeline.yaml'), ['run.trials=1', 'run.frames=2']);
    expect(resolved.plugins.flatMap((p) => p.names).sort()).toEqual([
      'fusion:range-fit',
      'placement:toward-center',
      'solver:random-search',
      'stage:hit-rate',
      'tracker:smoother',
    ]);
    const r = await runPipeline(resolved, { out: join(dir, 'out'), workers: 1 });
    const records = await r.folder.readRecords();
    expect(records).toHaveLength(2 * 2); // 2 SNR points x 1 trial x 2 frames
    for (const rec of records) {
      const truth = rec.truth;
      // every fused estimate of range-fit is within a few metres of a true target (no noise-free
      // claim: 0 and 10 dB), and the stage wrote one hit rate per fusion variant
      for (const e of (rec.estimates as Record<string, Array<{ position: [number, number] }>>)['range-fit'] ??
        []) {
        const d = Math.min(
          ...truth.map((t) => Math.hypot(t.position[0] - e.position[0], t.position[1] - e.position[1])),
        );
        expect(d).toBeLessThan(5);
      }
      expect(Object.keys(rec.hitRate as object).sort()).toEqual(['range-fit', 'sfo']);
      const placement = rec.placement as Record<string, unknown>;
      expect(placement).toBeDefined();
    }
  }, 300_000);

  it('the template folder is what the package ships', () => {
    expect(initTemplateDir).toBe(join(repo, 'templates', 'init'));
    const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { files: string[] };
    expect(pkg.files).toContain('templates/');
  });
});

describe('the README', () => {
  it('shows each plugin example exactly as the tested template file', () => {
    const readme = readFileSync(join(repo, 'README.md'), 'utf8');
    for (const f of readdirSync(join(initTemplateDir, 'plugins'))) {
      const text = readFileSync(join(initTemplateDir, 'plugins', f), 'utf8').trimEnd();
      expect(readme, f).toContain('```ts\n' + text + '\n```');
    }
  });
});
