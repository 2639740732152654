import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { injectable } from 'inversify';
import { lastValueFrom, toArray } from 'rxjs';
import { z } from 'zod';
import { afterEach, describe, expect, it } from 'vitest';
import { builtinRegistry } from '../../src/builtins.js';
import { Engine } from '../../src/core/engine.js';
import { FrameBufferPool, stagesReleaseFrameData } from '../../src/core/frame-buffers.js';
import type { Frame, FrameRecord, StageContext } from '../../src/core/frame.js';
import { loadPipeline } from '../../src/core/pipeline-loader.js';
import { defineStage, type Stage, type StageManifest } from '../../src/core/plugin.js';
import { Echoes } from '../../src/core/ports.js';
import { constructionProblems } from '../../src/core/stage-factory.js';
import { createStageContext } from '../../src/core/stage-context.js';
import { defaultScenario } from '../../src/isac/default-scenario.js';
import { synthesizeEcho } from '../../src/isac/echo-model.js';
import type { Target } from '../../src/isac/scenario-types.js';
import { Rng } from '../../src/math/rng.js';
import { useWasmKernels } from '../../src/math/wasm/kernels.js';
import type { FusionScheme } from '../../src/isac/fusion/types.js';
import { defineFusion } from '../../src/plugin-kinds.js';

const rec = (trial: number): FrameRecord => ({ point: {}, trial, frame: 0, seed: 0, truth: [], timings: {} });

describe('FrameBufferPool', () => {
  it('gives a fresh zeroed array, then the same array to a later frame once the first is released', () => {
    const pool = new FrameBufferPool();
    const r0 = rec(0);
    const a = pool.take(r0, 10);
    expect(a).toHaveLength(10);
    expect([...a].every((x) => x === 0)).toBe(true);
    a.fill(7);
    const r1 = rec(1);
    const b = pool.take(r1, 10); // r0 still in flight: a fresh one
    expect(b).not.toBe(a);
    pool.release(r0);
    expect(pool.spareBytes).toBe(80);
    expect(pool.take(rec(2), 12)).not.toBe(a); // another length
    const c = pool.take(rec(3), 10);
    expect(c).toBe(a); // recycled, contents as left (the taker writes every element)
    expect(c[0]).toBe(7);
    expect(pool.spareBytes).toBe(0);
    pool.release(r0); // twice: nothing
    pool.release(rec(9)); // never took: nothing
    expect(pool.spareBytes).toBe(0);
  });

  it('keeps at most 64 MiB of spare buffers', () => {
    const pool = new FrameBufferPool();
    const r = rec(0);
    for (let i = 0; i < 10; i++) pool.take(r, 1 << 20); // 10 x 8 MiB
    pool.release(r);
    expect(pool.spareBytes).toBe(64 * 2 ** 20);
  });
});

describe('ctx.buffer', () => {
  it('refuses a length that is not a non-negative integer, naming it', () => {
    const f = { record: rec(0) } as unknown as Frame;
    const ctx = createStageContext(f, { stageId: 's', rng: new Rng(['b']), registry: builtinRegistry() });
    expect(ctx.buffer(3)).toEqual(new Float64Array(3));
    for (const bad of [-1, 1.5, Number.NaN, 2 ** 53])
      expect(() => ctx.buffer(bad)).toThrow(/ctx\.buffer: length must be a non-negative integer/);
  });
});

describe('stagesReleaseFrameData', () => {
  const registry = builtinRegistry();
  const st = (r: StageManifest['releasesFrameData'], params: unknown[] = [{}]) => ({
    manifest: { releasesFrameData: r } as StageManifest,
    variants: params.map((p) => ({ params: p })),
  });
  it('is true only when every stage (every variant) declares it', () => {
    expect(stagesReleaseFrameData([st(true), st(true)], registry)).toBe(true);
    expect(stagesReleaseFrameData([st(true), st(undefined)], registry)).toBe(false);
    expect(stagesReleaseFrameData([st(true), st(false)], registry)).toBe(false);
    const byParam = st((p: { keep?: boolean }) => !p.keep, [{}, { keep: true }]);
    expect(stagesReleaseFrameData([byParam], registry)).toBe(false);
    expect(stagesReleaseFrameData([st((p: { keep?: boolean }) => !p.keep, [{}, {}])], registry)).toBe(true);
    const throws = st(() => {
      throw new Error('cannot tell');
    });
    expect(stagesReleaseFrameData([throws], registry)).toBe(false);
  });

  it("fusion-solver follows its scheme's declaration (built-in schemes: yes; a scheme without it: no)", () => {
    const m = registry.manifest('stage', 'fusion-solver');
    const r = m.releasesFrameData as (p: unknown, reg: typeof registry) => boolean;
    expect(r({}, registry)).toBe(true);
    for (const scheme of ['sfo', 'lattice', 'mle', 'joint-ml']) expect(r({ scheme }, registry)).toBe(true);
    const own = builtinRegistry();
    own.registerAll(
      [
        {
          kind: 'fusion',
          name: 'keeps-echoes',
          summary: 'test',
          params: z.object({}).strict(),
          create: () => ({}),
        },
      ],
      'test',
    );
    expect(r({ scheme: 'keeps-echoes' }, own)).toBe(false);
    // a user scheme declares it through defineFusion
    own.registerAll(
      [
        defineFusion({
          name: 'lets-go',
          summary: 'test',
          params: z.object({}).strict(),
          create: () => ({}) as FusionScheme,
          releasesFrameData: true,
        }),
      ],
      'test',
    );
    expect(r({ scheme: 'lets-go' }, own)).toBe(true);
  });
});

/** Every echo array the probe saw, in order (test instrumentation: it keeps them to compare identities). */
const seen: Float64Array[] = [];

/** Echo checksums after a macrotask, so frames overlap in the stream (a later frame's echoes exist by then). */
@injectable()
class EchoProbeStage implements Stage {
  async process(frame: Frame, ctx: StageContext): Promise<void> {
    await new Promise((r) => setTimeout(r, 1));
    const sums = ctx.read(frame, Echoes).map((t) => {
      seen.push(t.data);
      let s = 0;
      let q = 0;
      for (let i = 0; i < t.data.length; i++) {
        s += t.data[i]! * (1 + (i % 7));
        q += t.data[i]! * t.data[i]!;
      }
      return [s, q, t.data[0]!, t.data[t.data.length - 1]!];
    });
    ctx.record('echoSums', sums);
  }
}
const probe = (releases: boolean) =>
  defineStage({
    name: releases ? 'test-echo-probe' : 'test-echo-keeper',
    summary: 'test',
    params: z.object({}).strict(),
    reads: [Echoes],
    adds: [],
    ...(releases ? { releasesFrameData: true } : {}),
    stage: EchoProbeStage,
  });

const dir = mkdtempSync(join(tmpdir(), 'isacflow-buffers-'));
let n = 0;
async function run(stages: string, env?: string): Promise<FrameRecord[]> {
  const file = join(dir, `b${n++}.yaml`);
  writeFileSync(
    file,
    `isacflow: 1\nname: b\nscenario: { system: { subcarriers: 16, symbols: 16 } }\nrun: { trials: 3, frames: 4 }\nstages:\n${stages}`,
  );
  const registry = builtinRegistry();
  registry.registerAll([probe(true), probe(false)], 'test');
  const r = await loadPipeline(file, { registry, tryConstruct: (p) => constructionProblems(p, registry) });
  const engine = new Engine(r.rootSeed, r.spec.run.frames, registry);
  const before = process.env.ISACFLOW_RECYCLE;
  if (env === undefined) delete process.env.ISACFLOW_RECYCLE;
  else process.env.ISACFLOW_RECYCLE = env;
  try {
    seen.length = 0;
    const p = r.points[0]!;
    return await lastValueFrom(engine.run$([0, 1, 2].map((t) => ({ point: p, trial: t }))).pipe(toArray()));
  } finally {
    if (before === undefined) delete process.env.ISACFLOW_RECYCLE;
    else process.env.ISACFLOW_RECYCLE = before;
  }
}
const distinct = () => new Set(seen).size;

describe('the engine recycles echo buffers across frames', () => {
  afterEach(() => useWasmKernels(true));
  const echoes = '  - { id: echoes, uses: echo-generator }\n';
  const variants = '  - id: p\n    uses: test-echo-probe\n    variants: { a: {}, b: {} }\n';

  it('reuses them once a frame is out, with the same numbers as fresh arrays, frames overlapping', async () => {
    const fresh = await run(echoes + variants, '0');
    expect(distinct()).toBe(3 * 4 * 4); // 3 trials x 4 frames x 4 APs
    const recycled = await run(echoes + variants);
    expect(seen).toHaveLength(3 * 4 * 4 * 2); // both branches saw each frame's echoes
    expect(distinct()).toBeLessThan(3 * 4 * 4);
    expect(distinct()).toBeGreaterThanOrEqual(4); // at least one frame's worth
    expect(recycled.map((r) => r.echoSums)).toEqual(fresh.map((r) => r.echoSums));
    expect(recycled.map((r) => [r.trial, r.frame])).toEqual(fresh.map((r) => [r.trial, r.frame]));
  });

  it('hands out fresh arrays when a stage does not declare releasesFrameData', async () => {
    await run(`${echoes}  - { id: k, uses: test-echo-keeper }\n`);
    expect(distinct()).toBe(3 * 4 * 4);
    await run(`${echoes}  - { id: k, uses: test-echo-probe }\n  - { id: f, uses: fft-detector }\n`);
    expect(distinct()).toBeLessThan(3 * 4 * 4);
  });

  it('gives the same numbers on the JavaScript path (a recycled buffer is zeroed before the echoes are added)', async () => {
    useWasmKernels(false);
    const fresh = await run(echoes + variants, '0');
    const recycled = await run(echoes + variants);
    expect(distinct()).toBeLessThan(3 * 4 * 4);
    expect(recycled.map((r) => r.echoSums)).toEqual(fresh.map((r) => r.echoSums));
  });
});

describe('synthesizeEcho into given storage', () => {
  afterEach(() => useWasmKernels(true));
  const sc = defaultScenario();
  const targets = sc.targets as Target[];
  const len = 2 * 8 * 128 * 128;
  for (const wasm of [true, false]) {
    it(`writes the same tensor into a dirty array as into a fresh one (${wasm ? 'WebAssembly' : 'JavaScript'})`, () => {
      useWasmKernels(wasm);
      for (const noise of [true, false]) {
        const a = synthesizeEcho(sc.system, sc.aps[1]!, targets, sc.snr, new Rng(['buf', 1]), { noise });
        const dirty = new Float64Array(len).fill(Number.NaN);
        const b = synthesizeEcho(sc.system, sc.aps[1]!, targets, sc.snr, new Rng(['buf', 1]), {
          noise,
          data: dirty,
        });
        expect(b.tensor.data).toBe(dirty);
        expect(b.tensor.data).toEqual(a.tensor.data);
        expect(b.amplitudes).toEqual(a.amplitudes);
      }
    });
  }
  it('refuses storage of the wrong size', () => {
    expect(() =>
      synthesizeEcho(sc.system, sc.aps[0]!, targets, sc.snr, new Rng(['buf']), {
        data: new Float64Array(10),
      }),
    ).toThrow(/data holds 10 numbers, the tensor needs 262144/);
  });
});
