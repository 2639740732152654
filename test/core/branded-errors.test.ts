import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWithBuiltins } from '../../src/builtins.js';
import { IsacflowError } from '../../src/core/errors.js';
import { runPipeline } from '../../src/runner/run.js';

const dir = mkdtempSync(join(tmpdir(), 'isacflow-brand-'));
const fixtures = resolve('test/fixtures/plugins/option-errors');
let n = 0;

function pipeline(plugin: string, solver: string, solverParams: string): string {
  const file = join(dir, `p${n++}.yaml`);
  writeFileSync(
    file,
    `isacflow: 1\nname: brand\nplugins: [${join(fixtures, plugin)}]\nrun: { trials: 1 }\nstages:\n  - id: bench\n    uses: solver-benchmark\n    params: { problem: sphere-2, solver: ${solver}, solverParams: ${solverParams} }\n`,
  );
  return file;
}

async function failure(p: Promise<unknown>): Promise<IsacflowError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  if (!IsacflowError.is(e)) throw new Error(`expected an isacflow error, got ${String(e)}`);
  return e;
}

/** The problems with the solver's own name replaced, so that the three plugins compare equal. */
const normalised = (e: IsacflowError, name: string) =>
  e.problems.map((p) => ({
    where: p.where.replace(/p\d+\.yaml/, 'P'),
    path: p.path.replaceAll(name, 'S'),
    message: p.message.replaceAll(name, 'S'),
  }));

describe('errors across module boundaries (issue #17 item 3)', () => {
  it('IsacflowError.is recognises any object with the brand (as made by another copy of errors.js); instanceof does not', () => {
    const foreign = Object.assign(new Error('x'), {
      [Symbol.for('isacflow.error')]: true,
      kind: 'invalid-option',
      problems: [],
    });
    expect(foreign instanceof IsacflowError).toBe(false);
    expect(IsacflowError.is(foreign)).toBe(true);
    expect(IsacflowError.is(new IsacflowError('io', 'x'))).toBe(true);
    expect(IsacflowError.is(new Error('x'))).toBe(false);
    expect(IsacflowError.is({ kind: 'io', problems: [] })).toBe(false);
    expect(IsacflowError.is(null)).toBe(false);
  });

  it('a path plugin (TS and JS) importing optionError itself gets the same located option path as the injected API, at construction', async () => {
    const injected = await failure(
      loadWithBuiltins(pipeline('injected.js', 'checked-injected', '{ tolerance: -1 }')),
    );
    const ts = await failure(loadWithBuiltins(pipeline('imported.ts', 'checked-ts', '{ tolerance: -1 }')));
    const js = await failure(
      loadWithBuiltins(pipeline('imported-plain.js', 'checked-js', '{ tolerance: -1 }')),
    );
    expect(injected.kind).toBe('invalid-pipeline');
    expect(injected.problems).toEqual([
      expect.objectContaining({
        path: 'checked-injected.tolerance',
        message: 'must be >= 0',
        where: expect.stringMatching(/p\d+\.yaml:8:\d+$/),
      }),
    ]);
    expect(normalised(ts, 'checked-ts')).toEqual(normalised(injected, 'checked-injected'));
    expect(normalised(js, 'checked-js')).toEqual(normalised(injected, 'checked-injected'));
  });

  it('... and at run time, where the engine adds stage, trial and frame but keeps the kind invalid-option', async () => {
    const run = async (plugin: string, solver: string) => {
      const resolved = await loadWithBuiltins(pipeline(plugin, solver, '{ mode: fail }'));
      return failure(runPipeline(resolved, { out: join(dir, `out${n++}`), workers: 1 }));
    };
    const injected = await run('injected.js', 'checked-injected');
    const ts = await run('imported.ts', 'checked-ts');
    const js = await run('imported-plain.js', 'checked-js');
    expect(injected.kind).toBe('invalid-option');
    expect(injected.problems).toEqual([
      expect.objectContaining({
        path: 'checked-injected.mode',
        message: expect.stringMatching(
          /stage 'bench' \(solver-benchmark\) failed on trial 0, frame 0: 'fail' is refused at run time/,
        ),
      }),
    ]);
    expect(ts.kind).toBe('invalid-option');
    expect(js.kind).toBe('invalid-option');
    expect(normalised(ts, 'checked-ts')).toEqual(normalised(injected, 'checked-injected'));
    expect(normalised(js, 'checked-js')).toEqual(normalised(injected, 'checked-injected'));
  }, 60_000);
});
