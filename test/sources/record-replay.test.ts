import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWithBuiltins } from '../../src/builtins.js';
import { IsacflowError } from '../../src/core/errors.js';
import { frameSummary } from '../../src/sources/frame-summary.js';
import { Recording } from '../../src/sources/recording.js';
import {
  chain,
  comparable,
  smallScenario,
  tempDir,
  writePipeline,
  runWithRecords as runPipeline,
} from './helpers.js';

const hasNumpy = (() => {
  try {
    execFileSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('echo-recorder + npy source', () => {
  const dir = tempDir('rec');
  const recording = join(dir, 'recording');
  let original: ReturnType<typeof comparable> = [];

  it('records a simulated run (2 trials x 2 frames) and the replay gives identical estimates', async () => {
    const recFile = writePipeline(dir, 'record', {
      scenario: smallScenario,
      run: { trials: 2, frames: 2, seed: 11 },
      stages: [
        { id: 'echoes', uses: 'echo-generator' },
        { id: 'rec', uses: 'echo-recorder', params: { path: recording } },
        ...chain(),
      ],
    });
    const rec = await runPipeline(await loadWithBuiltins(recFile), {
      out: join(dir, 'run-record'),
      workers: 1,
    });
    original = comparable(rec.records);
    expect(rec.records).toHaveLength(4);
    expect(rec.records.every((r) => (r.estimates?.fusion?.length ?? 0) === 2)).toBe(true);

    // no scenario, no seed: system, APs, seed, trials and frames come from the recording
    const replayFile = writePipeline(dir, 'replay', {
      source: { uses: 'npy', params: { path: recording } },
      stages: chain(),
    });
    const resolved = await loadWithBuiltins(replayFile);
    expect(resolved.spec.run.trials).toBe(2);
    expect(resolved.spec.run.frames).toBe(2);
    expect(resolved.rootSeed).toBe(11);
    expect(resolved.points[0]!.scenario.aps.map((a) => a.antennas)).toEqual([4, 4, 4, 6]);
    const rep = await runPipeline(resolved, { out: join(dir, 'run-replay'), workers: 1 });
    expect(comparable(rep.records)).toEqual(original);
    expect(rep.records.map((r) => r.truth)).toEqual(rec.records.map((r) => r.truth));
  });

  it('replays identically on 2 worker threads (positioned reads in each worker)', async () => {
    const replayFile = writePipeline(dir, 'replay2', {
      source: { uses: 'npy', params: { path: recording } },
      stages: chain(),
    });
    const rep = await runPipeline(await loadWithBuiltins(replayFile), {
      out: join(dir, 'run-replay2'),
      workers: 2,
    });
    expect(comparable(rep.records)).toEqual(original);
  });

  it.skipIf(!hasNumpy)(
    'numpy reads the recorded frames: shape, dtype, zero padding and values of the AP tensors',
    () => {
      const table = readFileSync(join(recording, 'frames.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { file: string });
      const script = [
        'import json, sys, numpy as np',
        `a = np.load(${JSON.stringify(join(recording, table[0]!.file))})`,
        'print(json.dumps({"shape": list(a.shape), "dtype": str(a.dtype), "pad": float(np.abs(a[0, 4:]).max()), "ap3row5": float(np.abs(a[3, 5]).max()), "finite": bool(np.isfinite(a).all()), "c": [float(a[1,2,3,4].real), float(a[1,2,3,4].imag)]}))',
      ].join('\n');
      const out = JSON.parse(execFileSync('python3', ['-c', script], { encoding: 'utf8' })) as {
        shape: number[];
        dtype: string;
        pad: number;
        ap3row5: number;
        finite: boolean;
        c: number[];
      };
      expect(out.shape).toEqual([4, 6, 64, 64]);
      expect(out.dtype).toBe('complex128');
      expect(out.pad).toBe(0); // AP 0 has 4 antennas: rows 4, 5 are zero
      expect(out.ap3row5).toBeGreaterThan(0); // AP 3 has 6
      expect(out.finite).toBe(true);
    },
  );

  it('a truth-free copy of the recording refuses rank known at validate, and runs end to end with rank auto', async () => {
    const free = join(dir, 'recording');
    const lines = readFileSync(join(free, 'frames.jsonl'), 'utf8').trim().split('\n');
    const stripped = lines.map((l) => {
      const e = JSON.parse(l) as Record<string, unknown>;
      delete e.truth;
      return JSON.stringify(e);
    });
    writeFileSync(join(free, 'frames.jsonl'), stripped.join('\n') + '\n');
    const known = writePipeline(dir, 'free-known', {
      source: { uses: 'npy', params: { path: free } },
      stages: [
        ...chain('known'),
        { id: 'check', uses: 'association-check' },
        { id: 'crb', uses: 'crb-evaluator' },
      ],
    });
    const err = await loadWithBuiltins(known).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IsacflowError);
    const msg = (err as Error).message;
    expect(msg).toMatch(/stage 'cp' \(cp-decomposer\) needs the true targets.*rank: auto/);
    expect(msg).toMatch(/free-known\.yaml:\d+:\d+/);
    expect(msg).toMatch(/stage 'check' \(association-check\) needs the true targets/);
    expect(msg).toMatch(/stage 'crb' \(crb-evaluator\) needs the true targets/);

    const auto = writePipeline(dir, 'free-auto', {
      source: { uses: 'npy', params: { path: free } },
      stages: chain('auto'),
    });
    const resolved = await loadWithBuiltins(auto);
    expect(resolved.points[0]!.scenario.targets).toEqual([]);
    const run = await runPipeline(resolved, { out: join(dir, 'run-free'), workers: 1 });
    expect(run.records).toHaveLength(4);
    for (const r of run.records) {
      expect(r.truth).toEqual([]);
      expect(r.estimates?.fusion?.length).toBe(2); // both targets found without being told how many
    }
    const text = frameSummary(run.records);
    expect(text).toMatch(/Frames without truth: 4 frame\(s\) in 2 trial\(s\)/);
    expect(text).toMatch(/fusion\s+4\s+2\.00\s+2\s+2/);
    expect(text).toMatch(/cp\s+[\d.]+\s+[\d.]+\s+[\d.]+/);
  });

  it('refuses an echo-generator on recorded echoes', async () => {
    const f = writePipeline(dir, 'gen-on-rec', {
      source: { uses: 'npy', params: { path: recording } },
      stages: [{ id: 'echoes', uses: 'echo-generator' }, ...chain('auto')],
    });
    await expect(loadWithBuiltins(f)).rejects.toThrow(
      /stage 'echoes' \(echo-generator\) adds 'echoes'.*already delivers/,
    );
  });
});

describe('recorded source: run.trials / run.frames beyond the recording', () => {
  it('is refused at validate, naming the key and what the recording has', async () => {
    const dir = tempDir('rec-bounds');
    const recording = join(dir, 'r');
    const rec = writePipeline(dir, 'record', {
      scenario: smallScenario,
      run: { trials: 1, frames: 1 },
      stages: [
        { id: 'echoes', uses: 'echo-generator' },
        { id: 'rec', uses: 'echo-recorder', params: { path: recording } },
      ],
    });
    await runPipeline(await loadWithBuiltins(rec), { out: join(dir, 'run'), workers: 1 });
    const f = writePipeline(dir, 'replay', {
      source: { uses: 'npy', params: { path: recording } },
      run: { frames: 3 },
      stages: chain('auto'),
    });
    await expect(loadWithBuiltins(f)).rejects.toThrow(
      /replay\.yaml:\d+:\d+\s+run\.frames\s+is 3 but the recording \(.*recording\.json\) has 1 frame\(s\) per trial/,
    );
    await expect(
      loadWithBuiltins(
        writePipeline(dir, 'missing', {
          source: { uses: 'npy', params: { path: join(dir, 'nope') } },
          stages: chain('auto'),
        }),
      ),
    ).rejects.toThrow(/source\s+source 'npy': recording folder not found: .*nope/);
  });
});

describe('a source plugin written outside the repository', () => {
  it('feeds the chain (here: echo-recorder), and the recording it makes reads back the same tensors', async () => {
    const dir = tempDir('plugin-source');
    const recording = join(dir, 'r');
    const plugin = join(process.cwd(), 'test/fixtures/plugins/ramp-source.js');
    const f = writePipeline(dir, 'ramp', {
      plugins: [plugin],
      source: { uses: 'ramp', params: { frames: 2 } },
      stages: [{ id: 'rec', uses: 'echo-recorder', params: { path: recording, dtype: 'complex64' } }],
    });
    const resolved = await loadWithBuiltins(f);
    expect(resolved.points[0]!.scenario.system.subcarriers).toBe(8);
    await runPipeline(resolved, { out: join(dir, 'run'), workers: 1 });
    const rec = Recording.open(recording);
    expect(rec.hasTruth).toBe(false);
    const frame1 = rec.read(1);
    expect(frame1.echoes.map((t) => t.na)).toEqual([2, 3]);
    const t = frame1.echoes[1]!;
    expect([t.data[0], t.data[1], t.data[2 * 95], t.data[2 * 95 + 1]]).toEqual([1, 1, 96, 1]);
    rec.close();
  });
});

describe('source: { uses: simulated }', () => {
  it("is today's behaviour: the same records as a pipeline without source:", async () => {
    const dir = tempDir('simulated');
    const base = {
      scenario: smallScenario,
      run: { trials: 1, frames: 2, seed: 3 },
      stages: [
        { id: 'echoes', uses: 'echo-generator' },
        { id: 'cp', uses: 'cp-decomposer' },
      ],
    };
    const a = await runPipeline(await loadWithBuiltins(writePipeline(dir, 'plain', base)), {
      out: join(dir, 'a'),
      workers: 1,
    });
    const b = await runPipeline(
      await loadWithBuiltins(writePipeline(dir, 'named', { ...base, source: { uses: 'simulated' } })),
      { out: join(dir, 'b'), workers: 1 },
    );
    const strip = (rs: typeof a.records) => rs.map(({ timings: _t, ...r }) => r);
    expect(strip(b.records)).toEqual(strip(a.records));
  });
});
