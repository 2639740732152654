import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWithBuiltins } from '../../src/builtins.js';
import { IsacflowError } from '../../src/core/errors.js';
import { runPipeline } from '../../src/runner/run.js';

describe('a plugin written outside the repository', () => {
  it("loads from a pipeline's plugins: list and runs like a built-in solver", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'isacflow-plugin-'));
    // the plugin file lives outside the repo; its type import is erased, so rewrite it to nothing
    copyFileSync('templates/init/plugins/random-search.ts', join(dir, 'random-search.ts'));
    const file = join(dir, 'p.yaml');
    writeFileSync(
      file,
      `isacflow: 1\nname: ext\nplugins: [./random-search.ts]\nrun: { trials: 3 }\nstages:\n  - id: bench\n    uses: solver-benchmark\n    params: { problem: sphere-2, solver: random-search, solverParams: { samples: 4000 }, tolerance: 0.2 }\n`,
    );
    const resolved = await loadWithBuiltins(file);
    expect(resolved.plugins[0]!.names).toEqual(['solver:random-search']);
    expect(resolved.registry.origin.get('solver:random-search')).toMatch(/random-search\.ts$/);
    const r = await runPipeline(resolved, { out: join(dir, 'out'), workers: 2 });
    const bench = (await r.folder.readRecords()).map(
      (x) => (x.bench as Record<string, { success: boolean; evaluations: number }>).bench!,
    );
    expect(bench.map((b) => b.evaluations)).toEqual([4000, 4000, 4000]);
    // P(no sample within 0.2 of 0 in both coordinates in 4000 draws on [-5.12, 5.12]^2) = (1 - (0.4/10.24)^2)^4000 ≈ 0.002
    expect(bench.every((b) => b.success)).toBe(true);
  }, 120_000);

  it('an unknown solver option of the plugin is reported with did-you-mean', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'isacflow-plugin-'));
    copyFileSync('templates/init/plugins/random-search.ts', join(dir, 'random-search.ts'));
    const file = join(dir, 'p.yaml');
    writeFileSync(
      file,
      `isacflow: 1\nname: ext\nplugins: [./random-search.ts]\nstages:\n  - id: bench\n    uses: solver-benchmark\n    params: { solver: random-search, solverParams: { sample: 10 } }\n`,
    );
    const err = await loadWithBuiltins(file).catch((e) => e);
    expect(err).toBeInstanceOf(IsacflowError);
    expect((err as Error).message).toMatch(
      /p\.yaml:6:\d+.*solver 'random-search': unknown key 'sample'; did you mean 'samples'\?/,
    );
  });
});

describe('a stage plugin in plain JavaScript outside the repository', () => {
  it('is constructed through inversify with its params and writes to the record', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'isacflow-plugin-'));
    copyFileSync('test/fixtures/plugins/my-stage.js', join(dir, 'my-stage.js'));
    const file = join(dir, 'p.yaml');
    writeFileSync(
      file,
      `isacflow: 1\nname: st\nplugins: [./my-stage.js]\nscenario: { system: { subcarriers: 16, symbols: 16 } }\nrun: { trials: 2 }\nstages:\n  - { id: echoes, uses: echo-generator }\n  - { id: mine, uses: my-stage, params: { gainDb: 3 } }\n`,
    );
    const r = await runPipeline(await loadWithBuiltins(file), { out: join(dir, 'out'), workers: 1 });
    for (const rec of await r.folder.readRecords()) {
      expect(rec.myValue).toBeGreaterThanOrEqual(3);
      expect(rec.myValue).toBeLessThan(4);
    }
  }, 60_000);
});
