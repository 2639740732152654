import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { builtinRegistry } from '../../src/builtins.js';
import { Engine } from '../../src/core/engine.js';
import { IsacflowError } from '../../src/core/errors.js';
import type { Frame, StageContext } from '../../src/core/frame.js';
import { defineStage, type Stage, type StageManifest } from '../../src/core/plugin.js';
import { port, keyOf, recordKey } from '../../src/core/port.js';
import { chainProblems } from '../../src/core/port-chain.js';
import {
  BUILTIN_PORTS,
  BUILTIN_RECORD_KEYS,
  Echoes,
  Estimates,
  Observations,
  Records,
  type StateEstimate,
} from '../../src/core/ports.js';
import { loadPipeline } from '../../src/core/pipeline-loader.js';
import { recordEntries } from '../../src/core/record-entries.js';
import { createStageContext } from '../../src/core/stage-context.js';
import { constructionProblems } from '../../src/core/stage-factory.js';
import { defaultScenario } from '../../src/isac/default-scenario.js';
import type { EchoTensor } from '../../src/isac/echo-model.js';
import { Rng } from '../../src/math/rng.js';
import { builtinStages } from '../../stages/index.js';

const registry = builtinRegistry();
const dir = mkdtempSync(join(tmpdir(), 'isacflow-ports-'));

function frameOf(branch = ''): Frame {
  const sc = defaultScenario();
  const truth = structuredClone(sc.targets) as Frame['truth'];
  return {
    trial: 0,
    frame: 0,
    point: {},
    pointKey: '',
    scenario: sc,
    aps: sc.aps.map((a) => ({ position: [a.position[0], a.position[1]], antennas: a.antennas })),
    truth,
    branch,
    data: {},
    record: { point: {}, trial: 0, frame: 0, seed: 1, truth, timings: {} },
  };
}

const ctxOf = (frame: Frame, stageId: string): StageContext =>
  createStageContext(frame, { stageId, rng: new Rng(['ports-test', stageId]), registry });

describe('ports: typed access to frame.data through the stage context', () => {
  it('read is typed and returns what write stored; tryRead gives undefined for an absent port', () => {
    const frame = frameOf();
    const ctx = ctxOf(frame, 'mine');
    const est: StateEstimate[] = [{ position: [1, 2], velocity: { speed: 3, heading: 0.5 } }];
    ctx.write(frame, Estimates, est);
    const back = ctx.read(frame, Estimates);
    expectTypeOf(back).toEqualTypeOf<StateEstimate[]>();
    expectTypeOf(ctx.tryRead(frame, Echoes)).toEqualTypeOf<EchoTensor[] | undefined>();
    expect(back).toBe(est);
    expect(frame.data.estimates).toBe(est);
    expect(ctx.tryRead(frame, Echoes)).toBeUndefined();
  });

  it('a missing input is the standard stage error: names the stage, the port with its type, and the stage that adds it', () => {
    const frame = frameOf();
    let err: unknown;
    try {
      ctxOf(frame, 'trk').read(frame, Estimates);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(IsacflowError);
    expect((err as IsacflowError).kind).toBe('stage-failed');
    expect((err as IsacflowError).problems[0]).toMatchObject({
      path: 'trk',
      message:
        "stage 'trk' reads 'estimates' (StateEstimate[]): frame.data.estimates is missing (put a fusion-solver stage before it)",
    });
    // a user's port nobody adds
    const Custom = port<number>('custom', { type: 'number' });
    expect(() => ctxOf(frame, 'x').read(frame, Custom)).toThrow(
      /frame.data.custom is missing \(put a stage that adds it before it\)/,
    );
  });

  it('port keys must be identifiers; keyOf accepts ports and plain names', () => {
    expect(() => port('a.b')).toThrow(/must be an identifier/);
    expect(keyOf(Echoes)).toBe('echoes');
    expect(keyOf('echoes')).toBe('echoes');
    expect(BUILTIN_PORTS.map(keyOf)).toContain('observations');
    expect(new Set(BUILTIN_RECORD_KEYS.map(keyOf)).size).toBe(BUILTIN_RECORD_KEYS.length);
  });

  it('every built-in stage declares its reads, adds and records as typed ports and record keys', () => {
    for (const any of builtinStages) {
      const m = any as StageManifest;
      for (const p of [...m.reads, ...m.adds])
        expect(
          typeof p === 'object' && p.kind === 'port' && p.type !== 'unknown',
          `${m.name}: ${keyOf(p)}`,
        ).toBe(true);
      for (const r of m.records ?? [])
        expect(typeof r === 'object' && r.kind === 'record', `${m.name}: ${keyOf(r)}`).toBe(true);
    }
  });
});

describe('one record writer: record[key][resultKey] for every stage', () => {
  it('outside a branch the result key is the stage id; inside, the branch; branches keep each other; `as` overrides', () => {
    const frame = frameOf();
    ctxOf(frame, 'check').record(Records.detectionRate, 0.5);
    expect(frame.record.detectionRate).toEqual({ check: 0.5 });
    const a = frameOf('sfo');
    const b: Frame = { ...a, branch: 'lattice', data: {} };
    ctxOf(a, 'fusion').record(Records.estimates, []);
    ctxOf(b, 'fusion').record(Records.estimates, [{ position: [1, 1], velocity: { speed: 1, heading: 0 } }]);
    ctxOf(a, 'trk').record(Records.estimates, [], { as: 'sfo/trk' });
    expect(Object.keys(a.record.estimates!)).toEqual(['sfo', 'lattice', 'sfo/trk']);
    expect(recordEntries(a.record, Records.estimates).map(([k]) => k)).toEqual(['sfo', 'lattice', 'sfo/trk']);
    // a user's record key, typed, and a plain string key
    const Gain = recordKey<{ gainDb: number }>('gain');
    ctxOf(frame, 'g').record(Gain, { gainDb: 3 });
    ctxOf(frame, 'h').record('other', [1, 2]);
    expect(frame.record.gain).toEqual({ g: { gainDb: 3 } });
    expect(frame.record.other).toEqual({ h: [1, 2] });
  });

  it('a whole chain writes the same layout with and without variants (crb, decompositions, associations, estimates)', async () => {
    const file = join(dir, 'layout.yaml');
    writeFileSync(
      file,
      'isacflow: 1\nname: layout\nscenario: { system: { subcarriers: 32, symbols: 32 } }\nrun: { trials: 1 }\nstages:\n' +
        '  - { id: echoes, uses: echo-generator }\n  - { id: cp, uses: cp-decomposer }\n  - { id: assoc, uses: music-associator }\n' +
        '  - { id: crb, uses: crb-evaluator }\n  - id: fusion\n    uses: fusion-solver\n    variants: { mle: { scheme: mle }, mle2: { scheme: mle } }\n',
    );
    const r = await loadPipeline(file, { registry, tryConstruct: (p) => constructionProblems(p, registry) });
    const engine = new Engine(r.rootSeed, 1, registry);
    const [rec] = await lastValueFrom(engine.trial$(r.points[0]!, 0).pipe(toArray()));
    expect(Object.keys(rec!.decompositions as object)).toEqual(['cp']);
    expect(Object.keys(rec!.associations as object)).toEqual(['assoc']);
    expect(Object.keys(rec!.association as object)).toEqual(['assoc']);
    expect(Object.keys((rec!.crb as Record<string, object>).crb!)).toEqual(['exact']);
    expect(Object.keys(rec!.estimates!)).toEqual(['mle', 'mle2']);
    expect(Object.keys(rec!.fusion as object)).toEqual(['mle', 'mle2']);
  }, 60_000);
});

/** A user stage that reads `name` as `type` (a typed port) or untyped (a plain string). */
function readerStage(name: string, read: Parameters<typeof defineStage>[0]['reads'][number]) {
  class Reader implements Stage {
    process(): void {}
  }
  return defineStage({
    name,
    summary: 'test',
    params: z.object({}).strict(),
    reads: [read],
    adds: [],
    stage: Reader,
  });
}

describe('the loader checks the chain by port and type', () => {
  const stages = (reader: ReturnType<typeof readerStage>) => [
    {
      index: 0,
      id: 'echoes',
      uses: 'echo-generator',
      where: 'F:1:1',
      manifest: registry.manifest('stage', 'echo-generator') as ReturnType<typeof readerStage>,
    },
    { index: 1, id: 'mine', uses: reader.name, where: 'F:2:1', manifest: reader },
  ];

  it('a typed read of the same type, or an untyped (old-style string) read, passes', () => {
    expect(chainProblems(stages(readerStage('a', Echoes)), registry)).toEqual([]);
    expect(chainProblems(stages(readerStage('b', 'echoes')), registry)).toEqual([]);
    expect(
      chainProblems(
        stages(readerStage('c', port<EchoTensor[]>('echoes', { type: 'EchoTensor[]' }))),
        registry,
      ),
    ).toEqual([]);
  });

  it('two ports that share a key but not a type are refused, naming both stages and both types', () => {
    const p = chainProblems(
      stages(readerStage('d', port<string[]>('echoes', { type: 'string[]' }))),
      registry,
    );
    expect(p).toEqual([
      {
        where: 'F:2:1',
        path: 'stages[1]',
        message:
          "stage 'mine' (d) reads 'echoes' as string[], but stage 'echoes' (echo-generator) adds 'echoes' as EchoTensor[]; use a stage that adds string[], or read the port stage 'echoes' declares",
      },
    ]);
  });

  it('a read nobody adds before it names the stages that add the port', () => {
    const p = chainProblems(
      [{ index: 0, id: 'mine', uses: 'e', where: 'F:1:1', manifest: readerStage('e', Observations) }],
      registry,
    );
    expect(p[0]!.message).toBe(
      "stage 'mine' (e) reads 'observations' but no earlier stage adds it; put a stage that adds it (music-associator) before it",
    );
  });

  it('in a pipeline file: a user stage plugin reading echoes with the wrong type is refused before anything runs', async () => {
    const reg = builtinRegistry();
    reg.register(readerStage('wrong-reader', port<string[]>('echoes', { type: 'string[]' })), 'test');
    const file = join(dir, 'wrong.yaml');
    writeFileSync(
      file,
      'isacflow: 1\nname: wrong\nstages:\n  - { id: echoes, uses: echo-generator }\n  - { id: mine, uses: wrong-reader }\n',
    );
    const err = await loadPipeline(file, { registry: reg }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IsacflowError);
    expect((err as IsacflowError).problems).toEqual([
      expect.objectContaining({
        where: `${file}:5:23`,
        path: 'stages[1]',
        message: expect.stringMatching(
          /reads 'echoes' as string\[\], but stage 'echoes' \(echo-generator\) adds 'echoes' as EchoTensor\[\]/,
        ),
      }),
    ]);
  });
});
