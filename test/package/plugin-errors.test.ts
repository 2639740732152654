import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWithBuiltins } from '../../src/builtins.js';
import { IsacflowError } from '../../src/core/errors.js';
import { runPipeline } from '../../src/runner/run.js';

// A stage plugin whose process() throws on frame 1. In the TypeScript version, type-only lines
// above the throw shift the compiled JavaScript, so a position that matches the .ts file proves the
// source map was applied.
const TS_PLUGIN = `import type { PluginApi } from 'isacflow/plugin';
interface Unused {
  a: number;
}
type AlsoUnused = Unused | string;
export default ({ z, defineStage, inject, injectable, TOKENS }: PluginApi) => {
  class Faulty {
    constructor(private readonly p: { limit: number }) {}
    process(frame: { frame: number }): void {
      const typed: AlsoUnused = 'x';
      if (frame.frame >= this.p.limit) throw new RangeError('frame beyond the limit ' + typed);
    }
  }
  injectable()(Faulty);
  inject(TOKENS.StageParams)(Faulty, undefined, 0);
  return defineStage({ name: 'faulty', summary: 'throws', params: z.object({ limit: z.number().default(1) }).strict(), reads: [], adds: [], stage: Faulty });
};
`;

const JS_PLUGIN = `export default ({ z, defineStage, inject, injectable, TOKENS }) => {
  class Faulty {
    constructor(p) { this.p = p; }
    process(frame) {
      if (frame.frame >= this.p.limit) throw new RangeError('frame beyond the limit');
    }
  }
  injectable()(Faulty);
  inject(TOKENS.StageParams)(Faulty, undefined, 0);
  return defineStage({ name: 'faulty', summary: 'throws', params: z.object({ limit: z.number().default(1) }).strict(), reads: [], adds: [], stage: Faulty });
};
`;

/** 1-based line:column of the `new RangeError` (where V8 places a thrown error's frame) in a source text. */
function throwSite(text: string): { line: number; col: number } {
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes('new RangeError'));
  return { line: line + 1, col: (lines[line] as string).indexOf('new RangeError') + 1 };
}
const JS_THROW = throwSite(JS_PLUGIN);
const TS_THROW = throwSite(TS_PLUGIN); // line 11: the type-only lines above shift the compiled JS

function study(pluginFile: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'isacflow-faulty-'));
  writeFileSync(join(dir, pluginFile), text);
  const file = join(dir, 'p.yaml');
  writeFileSync(
    file,
    `isacflow: 1\nname: faulty\nplugins: [./${pluginFile}]\nscenario: { system: { subcarriers: 16, symbols: 16 } }\nrun: { trials: 2, frames: 2 }\nstages:\n  - { id: echoes, uses: echo-generator }\n  - { id: bad, uses: faulty, params: { limit: 1 } }\n`,
  );
  return file;
}

describe('an error thrown by plugin code names the plugin file:line:col, the stage, trial and frame', () => {
  for (const [kind, name, text, at] of [
    ['JavaScript', 'faulty.js', JS_PLUGIN, JS_THROW],
    ['TypeScript', 'faulty.ts', TS_PLUGIN, TS_THROW],
  ] as const) {
    for (const workers of [1, 2]) {
      it(`${kind} plugin, ${workers} worker(s)`, async () => {
        const file = study(name, text);
        const err = await runPipeline(await loadWithBuiltins(file), {
          out: join(file, '..', 'out'),
          workers,
        }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(Error);
        const msg = (err as Error).message;
        const pluginPath = join(file, '..', name);
        expect(msg).toContain(`${pluginPath}:${at.line}:${at.col}`);
        expect(msg).toMatch(/stage 'bad' \(faulty\)/);
        expect(msg).toMatch(/failed on trial \d, frame 1: frame beyond the limit/);
        expect(msg).toMatch(/p\.yaml:8:\d+/); // the stage's line in the pipeline
        if (workers === 1) expect(err).toBeInstanceOf(IsacflowError);
      }, 120_000);
    }
  }
});
