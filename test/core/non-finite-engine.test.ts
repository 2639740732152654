import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWithBuiltins } from '../../src/builtins.js';
import { IsacflowError } from '../../src/core/errors.js';
import { runPipeline } from '../../src/runner/run.js';

describe('a stage that produces a non-finite number (issue #12 item 5)', () => {
  it('fails the frame naming the stage, trial, frame and quantity', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'isacflow-nan-'));
    writeFileSync(
      join(dir, 'nan-stage.js'),
      `export default ({ z, defineStage, inject, injectable, TOKENS }) => {
  class NanStage {
    process(frame) {
      frame.data.level = frame.trial === 1 ? Float64Array.of(1, 0 / 0) : Float64Array.of(1, 2);
      frame.record.level = { values: [1, frame.trial === 1 ? Infinity : 2] };
    }
  }
  injectable()(NanStage);
  return defineStage({ name: 'nan-stage', summary: 'NaN on trial 1', params: z.object({}).strict(), reads: [], adds: ['level'], stage: NanStage });
};
`,
    );
    const file = join(dir, 'p.yaml');
    writeFileSync(
      file,
      'isacflow: 1\nname: nan\nplugins: [./nan-stage.js]\nrun: { trials: 2 }\nstages:\n  - { id: maker, uses: nan-stage }\n',
    );
    const resolved = await loadWithBuiltins(file);
    const e = await runPipeline(resolved, { out: join(dir, 'out'), workers: 1 }).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(IsacflowError.is(e)).toBe(true);
    const err = e as IsacflowError;
    expect(err.kind).toBe('non-finite');
    expect(err.problems).toEqual([
      expect.objectContaining({
        where: expect.stringMatching(/p\.yaml:6:\d+$/),
        path: "stage 'maker' (nan-stage)",
        message: expect.stringMatching(
          /failed on trial 1, frame 0: produced a non-finite number: data\.level\[1\] = NaN/,
        ),
      }),
    ]);
  }, 60_000);
});
