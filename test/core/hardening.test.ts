import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadWithBuiltins } from '../../src/builtins.js';
import { IsacflowError, type Problem } from '../../src/core/errors.js';
import { withoutNulls } from '../../src/results/summary-json.js';
import { findNonFinite } from '../../src/core/non-finite.js';

/** Issue #12 (loader and validation part), each defect as a user meets it. */
const dir = mkdtempSync(join(tmpdir(), 'isacflow-hard-'));
const scenarioFile = resolve('pipelines/scenarios/paper-default.yaml');
let n = 0;

function write(yaml: string, name = `p${n++}.yaml`): string {
  const file = join(dir, name);
  writeFileSync(file, yaml);
  return file;
}

async function problems(file: string, sets: string[] = [], sweeps: string[] = []): Promise<Problem[]> {
  const e = await loadWithBuiltins(file, sets, sweeps).then(
    () => undefined,
    (x: unknown) => x,
  );
  if (!IsacflowError.is(e)) throw new Error(`expected a refusal, got ${String(e)}`);
  for (const p of e.problems) expect(p.where, JSON.stringify(p)).not.toBe('');
  return e.problems.map((p) => ({ ...p, where: p.where.replace(file, 'F') }));
}

const head = `isacflow: 1\nname: h\nscenario: ${scenarioFile}\n`;
const echoes = 'stages:\n  - { id: echoes, uses: echo-generator }\n';
const polluted = () =>
  (({}) as Record<string, unknown>).polluted !== undefined || ({} as Record<string, unknown>).x !== undefined;

const cli = promisify(execFile);
async function isacflow(
  args: string[],
  cwd = process.cwd(),
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await cli(process.execPath, ['--import', 'tsx', resolve('src/cli/main.ts'), ...args], {
      cwd,
      timeout: 60_000,
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code?: number; stdout: string; stderr: string };
    return { code: x.code ?? -1, stdout: x.stdout, stderr: x.stderr };
  }
}

describe('1. prototype pollution', () => {
  it('--set and sweep keys through __proto__, prototype or constructor are refused, located, and nothing is polluted', async () => {
    const file = write(`${head}sweep:\n  scenario.__proto__.polluted: [yes]\n${echoes}`);
    expect(await problems(file)).toContainEqual(
      expect.objectContaining({
        where: 'F:5:3',
        message: expect.stringMatching(/'__proto__' is not allowed/),
      }),
    );
    const plain = write(`${head}${echoes}`);
    for (const s of [
      '__proto__.x=1',
      'scenario.__proto__.x=1',
      'stages.echoes.__proto__.x=1',
      'constructor.prototype.x=1',
    ]) {
      expect(await problems(plain, [s])).toContainEqual(
        expect.objectContaining({
          where: `--set ${s}`,
          message: expect.stringMatching(/is not allowed as a key/),
        }),
      );
    }
    expect(await problems(plain, [], ['scenario.__proto__.polluted=[1]'])).toContainEqual(
      expect.objectContaining({ where: '--sweep scenario.__proto__.polluted=[1]' }),
    );
    expect(polluted()).toBe(false);
    // a later load in the same process still works
    await loadWithBuiltins(plain);
  });

  it('a reserved key written in the YAML is refused at its line', async () => {
    const file = write(`${head}run: { trials: 1, __proto__: { polluted: 1 } }\n${echoes}`);
    expect(await problems(file)).toEqual([
      expect.objectContaining({
        where: 'F:4:19',
        message: expect.stringMatching(/'__proto__' is not allowed/),
      }),
    ]);
    expect(polluted()).toBe(false);
  });
});

describe('5. non-finite numbers and physical bounds', () => {
  it('snr.db: 3100, speed 1e300 and positions 1e300 are refused at file:line:col', async () => {
    const file = write(
      `isacflow: 1\nname: h\nscenario:\n  snr: { db: 3100 }\n  targets:\n    - { position: [1e300, 1e300], velocity: { speed: 1e300, heading: 0 } }\n${echoes}`,
    );
    const p = await problems(file);
    expect(p).toContainEqual(
      expect.objectContaining({
        where: 'F:4:14',
        path: 'scenario.snr.db',
        message: expect.stringMatching(/<= 150 dB/),
      }),
    );
    expect(p).toContainEqual(
      expect.objectContaining({ where: 'F:6:20', path: 'scenario.targets[0].position[0]' }),
    );
    expect(p).toContainEqual(
      expect.objectContaining({
        path: 'scenario.targets[0].velocity.speed',
        message: expect.stringMatching(/<= 10000 m\/s/),
      }),
    );
  });

  it('a zero-size random area is refused', async () => {
    const file = write(
      `isacflow: 1\nname: h\nscenario:\n  targets: { random: { count: 2, area: [[100, 100], [100, 200]] } }\n${echoes}`,
    );
    expect(await problems(file)).toContainEqual(
      expect.objectContaining({
        path: 'scenario.targets.random.area',
        message: expect.stringMatching(/zero width or height/),
      }),
    );
  });

  it('finds NaN and Infinity in numbers, typed arrays and nested records, naming the quantity', () => {
    expect(findNonFinite({ estimates: [{ position: [1, 2] }, { position: [3, NaN] }] }, 'record')).toBe(
      'record.estimates[1].position[1] = NaN',
    );
    expect(findNonFinite({ t: Float64Array.of(0, 1, Infinity) }, 'data')).toBe('data.t[2] = Infinity');
    expect(findNonFinite({ a: [1, { b: 2 }], c: 'NaN' }, 'x')).toBeUndefined();
  });

  it('finds the first non-finite element of long typed arrays wherever it is (the four-way sums, the tail)', () => {
    for (const n of [1, 3, 4, 5, 8, 1027, 4096]) {
      for (const at of [0, 1, 2, 3, Math.floor(n / 2), n - 2, n - 1].filter((i) => i >= 0 && i < n)) {
        for (const bad of [NaN, Infinity, -Infinity]) {
          const a = Float64Array.from({ length: n }, (_, i) => (i % 3 === 0 ? -0 : 1e30 * (i % 2 ? -1 : 1)));
          a[at] = bad;
          if (at + 1 < n) a[n - 1] = NaN; // a later one too: the first is named
          expect(findNonFinite(a, 'y')).toBe(`y[${at}] = ${bad}`);
          expect(findNonFinite(Float32Array.from(a), 'y')).toBe(`y[${at}] = ${bad}`);
        }
      }
      // large finite values, −0 and subnormals are finite
      const ok = Float64Array.from({ length: n }, (_, i) => [Number.MAX_VALUE, -0, 5e-324, -1][i % 4]!);
      expect(findNonFinite(ok, 'y')).toBeUndefined();
      expect(
        findNonFinite(Float32Array.from(ok.map((v) => (Math.abs(v) > 1e38 ? 1e38 : v))), 'y'),
      ).toBeUndefined();
    }
    expect(findNonFinite(new Int32Array(4), 'y')).toBeUndefined();
  });

  it('summary.json never holds null: a statistic that cannot be computed is omitted with its reason', () => {
    const s = withoutNulls({
      armse: null,
      rmse: 1,
      armseCi: null,
      perTarget: [0.5, null, 0.7],
      bound: { exact: { frames: 2, singular: 2, position: null } },
      x: NaN,
    });
    expect(JSON.stringify(s)).not.toMatch(/null/);
    expect(s).toEqual({
      rmse: 1,
      perTarget: { 0: 0.5, 2: 0.7 },
      bound: { exact: { frames: 2, singular: 2, omitted: { position: expect.stringMatching(/singular/) } } },
      omitted: {
        armse: expect.any(String),
        armseCi: expect.any(String),
        perTarget: expect.stringMatching(/missing: 1/),
        x: 'not finite (NaN)',
      },
    });
  });
});

describe('6. only sweepable keys, no shadowed sweeps', () => {
  it('run.trials and run.seed sweeps are refused at their line', async () => {
    const file = write(`${head}sweep:\n  run.trials: [1, 3]\n  run.seed: [1, 2]\n${echoes}`);
    const p = await problems(file);
    expect(p).toContainEqual(
      expect.objectContaining({
        where: 'F:5:3',
        path: 'sweep.run.trials',
        message: expect.stringMatching(/only run.frames/),
      }),
    );
    expect(p).toContainEqual(expect.objectContaining({ where: 'F:6:3', path: 'sweep.run.seed' }));
  });

  it('targets.random.count beside a fixed target list is refused at its line', async () => {
    const file = write(`${head}sweep:\n  scenario.targets.random.count: [1, 5]\n${echoes}`);
    expect(await problems(file)).toContainEqual(
      expect.objectContaining({
        where: 'F:5:3',
        path: 'sweep.scenario.targets.random.count',
        message: expect.stringMatching(/is a list/),
      }),
    );
  });

  it('a stage param swept while a variant sets it is refused (the sweep would be ignored there)', async () => {
    const file = write(
      `${head}sweep:\n  stages.echoes.noise: [true, false]\nstages:\n  - id: echoes\n    uses: echo-generator\n    variants: { a: { noise: true }, b: {} }\n`,
    );
    expect(await problems(file)).toContainEqual(
      expect.objectContaining({
        where: 'F:5:3',
        message: expect.stringMatching(/variant 'a' of stage 'echoes' sets noise itself/),
      }),
    );
  });
});

describe('7. paths must be regular files; content of other files is never quoted', () => {
  it('a FIFO, a device and a file that is not YAML are refused at once, without reading them', async () => {
    const fifo = join(dir, 'fifo.yaml');
    await promisify(execFile)('mkfifo', [fifo]);
    const secret = join(dir, 'shadow');
    writeFileSync(secret, 'root:$6$supersecret:19000:0:99999:7:::\n');
    const t0 = Date.now();
    expect(await problems(write(`isacflow: 1\nname: h\nscenario: ./fifo.yaml\n${echoes}`))).toEqual([
      expect.objectContaining({
        where: 'F:3:11',
        message: expect.stringMatching(/not a regular file \(a FIFO\)/),
      }),
    ]);
    expect(Date.now() - t0).toBeLessThan(30_000); // did not hang (the issue saw it hang forever)
    expect(await problems(write(`isacflow: 1\nname: h\nscenario: /dev/urandom\n${echoes}`))).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/must end in .yaml/) }),
    ]);
    const p = await problems(write(`isacflow: 1\nname: h\nscenario: ./shadow\n${echoes}`));
    expect(JSON.stringify(p)).not.toMatch(/supersecret|root/);
  });

  it('a scenario file larger than the cap is refused', async () => {
    const big = join(dir, 'big.yaml');
    writeFileSync(big, `# ${'x'.repeat(2000)}\n`);
    process.env.ISACFLOW_MAX_FILE_BYTES = '1000';
    try {
      expect(await problems(write(`isacflow: 1\nname: h\nscenario: ./big.yaml\n${echoes}`))).toEqual([
        expect.objectContaining({ message: expect.stringMatching(/larger than the 1000 bytes limit/) }),
      ]);
    } finally {
      delete process.env.ISACFLOW_MAX_FILE_BYTES;
    }
  });
});

describe('8. limits', () => {
  it('trials x points x frames and sweep points beyond the limits are refused with the limit named', async () => {
    const file = write(`${head}${echoes}`);
    expect(await problems(file, ['run.trials=1000000000'])).toContainEqual(
      expect.objectContaining({
        where: '--set run.trials=1000000000',
        message: expect.stringMatching(/limits.maxFrameRuns/),
      }),
    );
    const values = `[${Array.from({ length: 200 }, (_, i) => i).join(', ')}]`;
    const big = write(
      `${head}sweep:\n  scenario.snr.db: ${values}\n  stages.echoes.noiseVariance: ${values.replace(/\b0,/, '1,')}\n${echoes}`,
    );
    expect(await problems(big)).toContainEqual(
      expect.objectContaining({
        path: 'sweep',
        message: expect.stringMatching(/40000 sweep points .* limits.maxSweepPoints = 10000/),
      }),
    );
  });

  it('angleBins: 1073741824 fails in validate, not at run time', async () => {
    const file = write(
      `${head}stages:\n  - { id: echoes, uses: echo-generator }\n  - { id: fft, uses: fft-detector, params: { angleBins: 1073741824 } }\n`,
    );
    expect(await problems(file)).toContainEqual(
      expect.objectContaining({ where: 'F:6:57', message: expect.stringMatching(/maxArrayElements/) }),
    );
  });
});

describe('9. every user-caused failure is a located user error', () => {
  it('unresolved alias, alias bomb, scenario: 42 with a scenario sweep, a broken --set value', async () => {
    expect(await problems(write(`${head}run: *nothing\n${echoes}`))).toEqual([
      expect.objectContaining({
        where: 'F:4:6',
        message: expect.stringMatching(/unresolved alias \*nothing/),
      }),
    ]);
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]',
      'e: [*d, *d, *d, *d, *d, *d, *d, *d, *d]',
    ];
    expect(await problems(write(`${head}${echoes}${bomb.join('\n')}\n`))).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/alias bomb/) }),
    ]);
    const p = await problems(
      write(`isacflow: 1\nname: h\nscenario: 42\nsweep:\n  scenario.snr.db: [0, 10]\n${echoes}`),
    );
    expect(p).toContainEqual(
      expect.objectContaining({
        where: 'F:3:11',
        path: 'scenario',
        message: expect.stringMatching(/must be a path to a scenario YAML file or the scenario inline/),
      }),
    );
    expect(await problems(write(`${head}${echoes}`), ['run.trials=[1,'])).toEqual([
      expect.objectContaining({
        where: '--set run.trials=[1,',
        message: expect.stringMatching(/not valid YAML/),
      }),
    ]);
  });
});

describe('10. one validation pass', () => {
  it('seven mistakes of every depth are reported at once, each located', async () => {
    const file = write(
      `${head}stages:\n  - { id: echoes, uses: echo-generatr }\n  - { id: cp, uses: cp-decomposer, params: { maxIteration: 3 } }\n  - { id: assoc, uses: music-associator }\n  - { id: crb, uses: crb-evaluator }\n  - id: fusion\n    uses: fusion-solver\n    params: { scheme: sfo, solver: abcc, gridm: 3 }\n  - id: placement\n    uses: placement-optimizer\n    params: { strategy: admn }\noutputs:\n  plots:\n    - { x: scenario.snr.db, y: armse.positon }\n`,
    );
    const p = await problems(file);
    const messages = p.map((x) => `${x.where} ${x.message}`);
    for (const re of [
      /F:5:\d+ unknown stage 'echo-generatr'/,
      /F:6:\d+ unknown parameter 'maxIteration'/,
      /F:11:\d+ .*unknown key 'gridm'/,
      /F:11:\d+ unknown solver 'abcc'/,
      /F:14:\d+ unknown placement 'admn'/,
      /F:17:\d+ unknown statistic 'armse.positon'/,
      /F:17:\d+ 'scenario.snr.db' is not a sweep key/,
    ]) {
      expect(
        messages.some((m) => re.test(m)),
        `${re} in\n${messages.join('\n')}`,
      ).toBe(true);
    }
  });
});

describe('11. plugins', () => {
  it('a user plugin cannot replace a built-in unless the pipeline says override: true', async () => {
    writeFileSync(
      join(dir, 'my-crb.js'),
      "export default ({ z, definePlugin }) => definePlugin('solver', { name: 'abc', summary: 'mine', params: z.object({}).strict(), create: () => ({}) });\n",
    );
    expect(await problems(write(`${head}plugins: [./my-crb.js]\n${echoes}`))).toEqual([
      expect.objectContaining({
        where: 'F:4:11',
        message: expect.stringMatching(/would replace solver 'abc' \(from builtin\).*override: true/),
      }),
    ]);
    const r = await loadWithBuiltins(
      write(`${head}plugins: [{ module: ./my-crb.js, override: true }]\n${echoes}`),
    );
    expect(r.registry.origin.get('solver:abc')).toMatch(/my-crb\.js$/);
  });

  it('validate does not run plugin code when the pipeline file itself is invalid', async () => {
    const marker = join(dir, 'ran.txt');
    writeFileSync(
      join(dir, 'side-effect.js'),
      `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'ran');\nexport default () => [];\n`,
    );
    await problems(write(`${head}plugins: [./side-effect.js]\nrun: { trials: zero }\n${echoes}`));
    expect(existsSync(marker)).toBe(false);
  });

  it('~/ in plugins: expands to the home folder', async () => {
    const home = join(dir, 'home');
    mkdirSync(join(home, 'my-plugins'), { recursive: true });
    writeFileSync(
      join(home, 'my-plugins', 'x.js'),
      "export default ({ z, defineSolver }) => defineSolver({ name: 'home-solver', summary: 's', params: z.object({}).strict(), create: () => ({ name: 'home-solver', minimize: () => { throw new Error('unused'); } }) });\n",
    );
    const old = process.env.HOME;
    process.env.HOME = home;
    try {
      const r = await loadWithBuiltins(write(`${head}plugins: [~/my-plugins/x.js]\n${echoes}`));
      expect(r.plugins[0]!.names).toEqual(['solver:home-solver']);
    } finally {
      process.env.HOME = old;
    }
  });
});

describe('overrides from the command line (issue #11 item 6)', () => {
  it('--set on a swept key replaces that sweep by the single value and says so; --sweep sets or replaces a sweep', async () => {
    const file = write(`${head}sweep:\n  scenario.snr.db: [-10, 0, 10]\n${echoes}`);
    const one = await loadWithBuiltins(file, ['scenario.snr.db=5']);
    expect(one.points.map((p) => p.scenario.snr.db)).toEqual([5]);
    expect(one.notices).toEqual([
      expect.stringMatching(
        /--set scenario.snr.db=5: replaces the sweep of scenario.snr.db \(3 value\(s\)\) by the single value 5/,
      ),
    ]);
    const two = await loadWithBuiltins(
      file,
      [],
      ['scenario.snr.db=[1, 2]', 'stages.echoes.noise=[true, false]'],
    );
    expect(
      two.points.map((p) => [
        p.scenario.snr.db,
        (p.stages[0]!.variants[0]!.params as { noise: boolean }).noise,
      ]),
    ).toEqual([
      [1, true],
      [1, false],
      [2, true],
      [2, false],
    ]);
    expect(two.notices).toEqual([expect.stringMatching(/replaces the pipeline's sweep of scenario.snr.db/)]);
  });
});

describe('the CLI as a user runs it (real processes)', () => {
  it('refuses --workers abc, 0 and -3 with a message', async () => {
    for (const w of ['abc', '0', '-3']) {
      const r = await isacflow([
        'run',
        'pipelines/quickstart.yaml',
        '--workers',
        w,
        '--out',
        join(dir, `never-${w}`),
      ]);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/--workers.*must be 'auto' or a whole number >= 1/);
      expect(existsSync(join(dir, `never-${w}`))).toBe(false);
    }
  }, 180_000);

  it('validate: a FIFO scenario is refused at once; --set on a swept key says so on stderr; a pollution attempt is located', async () => {
    const fifo = join(dir, 'cli-fifo.yaml');
    await promisify(execFile)('mkfifo', [fifo]);
    const p = write(`isacflow: 1\nname: h\nscenario: ./cli-fifo.yaml\n${echoes}`, 'cli-fifo-pipeline.yaml');
    const a = await isacflow(['validate', p]);
    expect(a.code).toBe(1);
    expect(a.stderr).toMatch(
      /cli-fifo-pipeline\.yaml:3:11 {2}scenario {2}scenario file \.\/cli-fifo\.yaml: not a regular file \(a FIFO\)/,
    );
    const b = await isacflow(['validate', 'pipelines/quickstart.yaml', '--set', 'scenario.snr.db=5']);
    expect(b.code).toBe(0);
    expect(b.stderr).toMatch(/replaces the sweep of scenario.snr.db \(3 value\(s\)\) by the single value 5/);
    expect(b.stdout).toMatch(/valid — 1 sweep point/);
    const c = await isacflow(['validate', 'pipelines/quickstart.yaml', '--set', '__proto__.polluted=1']);
    expect(c.code).toBe(1);
    expect(c.stderr).toMatch(/--set __proto__.polluted=1 .*not allowed/);
    expect(c.stderr).not.toMatch(/internal error|\n\s+at /);
  }, 180_000);
});

describe("the README's --set/--sweep examples", () => {
  it('each validate line with --set or --sweep loads as the README says', async () => {
    const { readFileSync } = await import('node:fs');
    const lines = readFileSync('README.md', 'utf8')
      .split('\n')
      .filter((l) => /^npx isacflow validate pipelines\/quickstart\.yaml .*--(set|sweep) /.test(l));
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) {
      const args = [...line.replace(/#.*$/, '').matchAll(/--(set|sweep) ('[^']*'|\S+)/g)].map((m) => ({
        flag: m[1],
        value: (m[2] as string).replace(/^'|'$/g, ''),
      }));
      const r = await loadWithBuiltins(
        'pipelines/quickstart.yaml',
        args.filter((a) => a.flag === 'set').map((a) => a.value),
        args.filter((a) => a.flag === 'sweep').map((a) => a.value),
      );
      if (line.includes('--sweep')) expect(r.points.length).toBe(4);
      else {
        expect(r.points.map((p) => p.scenario.snr.db)).toEqual([5]);
        expect(r.notices.join('\n')).toMatch(/replaces the sweep of scenario.snr.db/);
      }
    }
  });
});
