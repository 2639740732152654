import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWithBuiltins } from '../../src/builtins.js';
import { IsacflowError, type Problem } from '../../src/core/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'isacflow-bad-'));
let n = 0;

/** Writes the YAML to a file, validates it and returns the problems (file name stripped). */
async function problemsOf(yaml: string, sets: string[] = []): Promise<Problem[]> {
  const file = join(dir, `p${n++}.yaml`);
  writeFileSync(file, yaml);
  try {
    await loadWithBuiltins(file, sets);
  } catch (e) {
    expect(e).toBeInstanceOf(IsacflowError);
    return (e as IsacflowError).problems.map((p) => ({ ...p, where: p.where.replace(file, 'F') }));
  }
  throw new Error('expected the pipeline to be refused');
}

const head = 'isacflow: 1\nname: t\n';
const chain = 'stages:\n  - { id: echoes, uses: echo-generator }\n';

describe('bad pipelines and scenarios: each gets its own message with line:col', () => {
  it('1. unknown top-level key, with did-you-mean', async () => {
    const p = await problemsOf(`${head}${chain}sweeep: {}\n`);
    expect(p).toContainEqual(
      expect.objectContaining({
        where: 'F:5:1',
        path: 'sweeep',
        message: expect.stringMatching(/unknown key 'sweeep'; did you mean 'sweep'\?/),
      }),
    );
  });

  it('2. unknown scenario key, with did-you-mean and the valid keys', async () => {
    const p = await problemsOf(`${head}scenario:\n  system:\n    carierHz: 3e9\n${chain}`);
    expect(p).toEqual([
      expect.objectContaining({
        where: 'F:5:5',
        path: 'scenario.system.carierHz',
        message: expect.stringMatching(/did you mean 'carrierHz'.*valid: carrierHz/),
      }),
    ]);
  });

  it('3. wrong type', async () => {
    const p = await problemsOf(`${head}scenario:\n  snr: { db: loud }\n${chain}`);
    expect(p).toEqual([
      expect.objectContaining({
        where: 'F:4:14',
        path: 'scenario.snr.db',
        message: 'must be a number (SNR, dB)',
      }),
    ]);
  });

  it('4. non-positive count', async () => {
    const p = await problemsOf(`${head}run: { trials: 0 }\n${chain}`);
    expect(p).toEqual([
      expect.objectContaining({ where: 'F:3:16', path: 'run.trials', message: 'must be at least 1 trial' }),
    ]);
  });

  it('5. non-power-of-two FFT size', async () => {
    const p = await problemsOf(`${head}scenario:\n  system: { subcarriers: 100 }\n${chain}`);
    expect(p).toEqual([
      expect.objectContaining({
        where: 'F:4:26',
        path: 'scenario.system.subcarriers',
        message: expect.stringMatching(/power of two/),
      }),
    ]);
  });

  it('6. target on an AP', async () => {
    const p = await problemsOf(
      `${head}scenario:\n  targets:\n    - { position: [350, 0], velocity: { speed: 1, heading: 0 } }\n${chain}`,
    );
    expect(p).toEqual([
      expect.objectContaining({
        where: 'F:5:19',
        path: 'scenario.targets[0].position',
        message: expect.stringMatching(/sits on AP 1/),
      }),
    ]);
  });

  it('7. empty AP list', async () => {
    const p = await problemsOf(`${head}scenario:\n  aps: []\n${chain}`);
    expect(p).toEqual([
      expect.objectContaining({ where: 'F:4:8', path: 'scenario.aps', message: 'must list at least one AP' }),
    ]);
  });

  it('8. random area with min > max', async () => {
    const p = await problemsOf(
      `${head}scenario:\n  targets:\n    random: { count: 2, area: [[200, 100], [100, 200]] }\n${chain}`,
    );
    expect(p).toEqual([
      expect.objectContaining({
        where: 'F:5:31',
        path: 'scenario.targets.random.area',
        message: expect.stringMatching(/min corner .* exceeds max corner/),
      }),
    ]);
  });

  it('9. unknown stage, with did-you-mean', async () => {
    const p = await problemsOf(`${head}stages:\n  - { id: e, uses: echo-generater }\n`);
    expect(p).toEqual([
      expect.objectContaining({
        where: 'F:4:20',
        path: 'stages[0].uses',
        message: expect.stringMatching(/unknown stage 'echo-generater'; did you mean 'echo-generator'/),
      }),
    ]);
  });

  it('10. unknown stage parameter, with did-you-mean', async () => {
    const p = await problemsOf(
      `${head}stages:\n  - { id: e, uses: echo-generator, params: { nois: false } }\n`,
    );
    expect(p).toEqual([
      expect.objectContaining({
        where: 'F:4:46',
        path: 'stages[0].params.nois',
        message: expect.stringMatching(
          /unknown parameter 'nois' of stage 'echo-generator'; did you mean 'noise'/,
        ),
      }),
    ]);
  });

  it('11. refused chain: a stage reads what no earlier stage adds', async () => {
    const p = await problemsOf(
      `${head}stages:\n  - { id: fft, uses: fft-detector }\n  - { id: echoes, uses: echo-generator }\n`,
    );
    expect(p).toEqual([
      expect.objectContaining({
        where: 'F:4:22',
        path: 'stages[0]',
        message: expect.stringMatching(
          /stage 'fft' \(fft-detector\) reads 'echoes' but no earlier stage adds it; put a stage that adds it \(echo-generator\) before it/,
        ),
      }),
    ]);
  });

  it('12. duplicate stage ids', async () => {
    const p = await problemsOf(
      `${head}stages:\n  - { id: e, uses: echo-generator }\n  - { id: e, uses: echo-generator }\n`,
    );
    expect(p).toEqual([
      expect.objectContaining({
        where: 'F:5:11',
        path: 'stages[1].id',
        message: expect.stringMatching(/duplicate stage id 'e'/),
      }),
    ]);
  });

  it('13. YAML syntax error', async () => {
    const p = await problemsOf(`${head}stages:\n  - { id: e, uses: echo-generator\n`);
    expect(p[0]).toMatchObject({
      where: expect.stringMatching(/^F:\d+:\d+$/),
      message: expect.stringMatching(/^YAML syntax/),
    });
  });

  it('14. wrong format version', async () => {
    const p = await problemsOf(`isacflow: 2\nname: t\n${chain}`);
    expect(p).toEqual([
      expect.objectContaining({
        where: 'F:1:11',
        path: 'isacflow',
        message: 'must be 1 (the pipeline format version)',
      }),
    ]);
  });

  it('15. sweep over a stage id that does not exist', async () => {
    const p = await problemsOf(`${head}sweep:\n  stages.fusion.scheme: [sfo]\n${chain}`);
    expect(p).toEqual([
      expect.objectContaining({
        where: 'F:4:3',
        path: 'sweep.stages.fusion.scheme',
        message: expect.stringMatching(/no stage with id 'fusion' \(stage ids: echoes\)/),
      }),
    ]);
  });

  it('16. a bad --set value is reported against the command line', async () => {
    const p = await problemsOf(`${head}${chain}`, ['scenario.system.symbols=96']);
    expect(p).toEqual([
      expect.objectContaining({
        where: '--set scenario.system.symbols=96',
        path: 'scenario.system.symbols',
        message: expect.stringMatching(/power of two/),
      }),
    ]);
  });

  it('17. missing plugin module and missing scenario file', async () => {
    const p = await problemsOf(`${head}plugins: [./nothere.ts]\nscenario: nofile.yaml\n${chain}`);
    expect(p).toContainEqual(
      expect.objectContaining({
        where: 'F:3:11',
        path: 'plugins[0]',
        message: expect.stringMatching(/plugin module not found: .\/nothere.ts/),
      }),
    );
    expect(p).toContainEqual(
      expect.objectContaining({
        where: 'F:4:11',
        path: 'scenario',
        message: expect.stringMatching(/scenario file not found: nofile.yaml/),
      }),
    );
  });

  it('18. a plugin with a syntax error names the file, line and column', async () => {
    writeFileSync(join(dir, 'broken.ts'), 'export const x = ;\n');
    const p = await problemsOf(`${head}plugins: [./broken.ts]\n${chain}`);
    expect(p).toEqual([
      expect.objectContaining({
        path: 'plugins[0]',
        message: expect.stringMatching(/failed to load: syntax error at .*broken.ts:1:18/),
      }),
    ]);
  });

  it('collects every problem of a file at once', async () => {
    const p = await problemsOf(
      `${head}run: { trials: 0 }\nscenario:\n  aps: []\nstages:\n  - { id: x, uses: nope }\n`,
    );
    expect(p.map((q) => q.path)).toEqual(['run.trials', 'scenario.aps', 'stages[0].uses']);
  });

  it('a valid pipeline with a scenario file loads', async () => {
    const file = join(dir, 'ok.yaml');
    writeFileSync(
      file,
      `${head}scenario: ${join(process.cwd(), 'pipelines/scenarios/paper-default.yaml')}\nsweep:\n  scenario.snr.db: [-10, 0]\n${chain}`,
    );
    const r = await loadWithBuiltins(file);
    expect(r.points.map((p) => p.scenario.snr.db)).toEqual([-10, 0]);
    expect(r.points[0]!.scenario.aps).toHaveLength(4);
  });
});
