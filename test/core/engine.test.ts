import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, Subject, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { builtinRegistry } from '../../src/builtins.js';
import { Engine, trialFrames } from '../../src/core/engine.js';
import { IsacflowError } from '../../src/core/errors.js';
import type { FrameRecord } from '../../src/core/frame.js';
import { loadPipeline } from '../../src/core/pipeline-loader.js';
import { constructionProblems } from '../../src/core/stage-factory.js';
import { drawStage, seeStage } from './test-stages.js';

const dir = mkdtempSync(join(tmpdir(), 'isacflow-engine-'));
let n = 0;

async function load(yaml: string) {
  const file = join(dir, `e${n++}.yaml`);
  writeFileSync(file, yaml);
  const registry = builtinRegistry();
  registry.registerAll([drawStage, seeStage], 'test');
  const r = await loadPipeline(file, { registry, tryConstruct: (p) => constructionProblems(p, registry) });
  return { r, engine: new Engine(r.rootSeed, r.spec.run.frames, registry) };
}

const base = `isacflow: 1\nname: e\nrun: { trials: 3, frames: 4 }\n`;

describe('engine', () => {
  it('emits one record per frame, in trial and frame order, then completes', async () => {
    const { r, engine } = await load(
      `${base}stages:\n  - { id: d, uses: test-draw }\n  - { id: s, uses: test-see }\n`,
    );
    const p = r.points[0]!;
    const recs = await lastValueFrom(
      engine.run$([0, 1, 2].map((t) => ({ point: p, trial: t }))).pipe(toArray()),
    );
    expect(recs.map((x) => [x.trial, x.frame])).toEqual(
      [0, 1, 2].flatMap((t) => [0, 1, 2, 3].map((f) => [t, f])),
    );
    expect(Object.keys(recs[0]!.timings)).toEqual(['d', 's']);
  });

  it('targets move v·M·T between frames', () => {
    return load(`${base}stages:\n  - { id: d, uses: test-draw }\n`).then(({ r }) => {
      const fr = trialFrames(r.points[0]!, r.rootSeed, 0, 3);
      const t0 = fr[0]!.truth[0]!;
      const t2 = fr[2]!.truth[0]!;
      const dt = 2 * 128 * 35.714e-6;
      expect(t2.position[0] - t0.position[0]).toBeCloseTo(
        t0.velocity.speed * Math.cos(t0.velocity.heading) * dt,
        12,
      );
      expect(t2.position[1] - t0.position[1]).toBeCloseTo(
        t0.velocity.speed * Math.sin(t0.velocity.heading) * dt,
        12,
      );
    });
  });

  it('variants all see the same frame (same draws, same truth) and rejoin into one record', async () => {
    const { r, engine } = await load(
      `${base}stages:\n  - { id: d, uses: test-draw }\n  - id: s\n    uses: test-see\n    variants:\n      a: { tag: A }\n      b: { tag: B }\n  - { id: t, uses: test-see, params: { tag: T } }\n`,
    );
    const recs = await lastValueFrom(engine.trial$(r.points[0]!, 1).pipe(toArray()));
    expect(recs).toHaveLength(4);
    for (const rec of recs) {
      const seen = rec.seen as Record<string, { tag: string; draw: number; x: number }>;
      expect(Object.keys(seen).sort()).toEqual(['a', 'b']); // downstream stage t writes under the branch key
      expect(seen.a!.tag).toBe('T');
      expect(seen.a!.draw).toBe(rec.draw);
      expect(seen.b!.draw).toBe(rec.draw);
      expect(seen.a!.x).toBe(seen.b!.x);
      expect(Object.keys(rec.timings).sort()).toEqual(['d', 's.a', 's.b', 't.a', 't.b']);
    }
  });

  it('a stage that throws is reported with the stage, the trial and the frame', async () => {
    const { r, engine } = await load(
      `${base}stages:\n  - { id: d, uses: test-draw }\n  - { id: s, uses: test-see, params: { failAt: [1, 2] } }\n`,
    );
    const p = r.points[0]!;
    const got: FrameRecord[] = [];
    const err = await new Promise<unknown>((resolve) =>
      engine
        .run$([0, 1].map((t) => ({ point: p, trial: t })))
        .subscribe({ next: (x) => got.push(x), error: resolve, complete: () => resolve(undefined) }),
    );
    expect(err).toBeInstanceOf(IsacflowError);
    const e = err as IsacflowError;
    expect(e.kind).toBe('stage-failed');
    expect(e.message).toMatch(/stage 's' \(test-see\)\s+failed on trial 1, frame 2: boom/);
    expect(e.message).toMatch(/e\d+\.yaml:6:/);
    expect(got.map((x) => [x.trial, x.frame])).toEqual([
      [0, 0],
      [0, 1],
      [0, 2],
      [0, 3],
      [1, 0],
      [1, 1],
    ]);
  });

  it('streams: frames pushed one by one come out one by one, before the source completes', async () => {
    const { r, engine } = await load(
      `${base}stages:\n  - { id: d, uses: test-draw }\n  - { id: s, uses: test-see }\n`,
    );
    const p = r.points[0]!;
    const src = new Subject<ReturnType<typeof trialFrames>[number]>();
    const out: number[] = [];
    const done = new Promise<void>((resolve) =>
      src.pipe(engine.process(p)).subscribe({ next: (x) => out.push(x.frame), complete: resolve }),
    );
    const frames = trialFrames(p, r.rootSeed, 0, 3);
    for (const f of frames) {
      src.next(f);
      await new Promise((res) => setTimeout(res, 5));
      expect(out).toContain(f.frame);
    }
    src.complete();
    await done;
    expect(out).toEqual([0, 1, 2]);
  });

  it('the same seed gives the same draws; draws differ across trials and frames', async () => {
    const { r, engine } = await load(`${base}stages:\n  - { id: d, uses: test-draw }\n`);
    const a = await lastValueFrom(engine.trial$(r.points[0]!, 2).pipe(toArray()));
    const b = await lastValueFrom(engine.trial$(r.points[0]!, 2).pipe(toArray()));
    expect(a.map((x) => x.draw)).toEqual(b.map((x) => x.draw));
    expect(new Set(a.map((x) => x.draw)).size).toBe(4);
  });
});
