/**
 * Issue 12, point 12: with one AP the summary must not silently fall back to another bound, and
 * singular targets must be counted when they are left out of a bound's average.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { loadWithBuiltins } from '../../src/builtins.js';
import { Engine } from '../../src/core/engine.js';
import type { FrameRecord } from '../../src/core/frame.js';
import { Rng } from '../../src/math/rng.js';
import { aggregate } from '../../src/results/aggregate.js';

const dir = mkdtempSync(join(tmpdir(), 'isacflow-singular-'));

async function records(file: string): Promise<FrameRecord[]> {
  const resolved = await loadWithBuiltins(file);
  const engine = new Engine(resolved.rootSeed, resolved.spec.run.frames, resolved.registry);
  const point = resolved.points[0]!;
  return lastValueFrom(engine.trial$(point, 0).pipe(toArray()));
}

describe('singular bounds in the summary', () => {
  it('one AP: the exact bound is singular everywhere, named in notes, never replaced by another series', async () => {
    const file = join(dir, 'one-ap.yaml');
    writeFileSync(
      file,
      [
        'isacflow: 1',
        'name: one-ap',
        'scenario:',
        '  aps: [{ position: [0, 0], antennas: 8 }]',
        '  targets: [{ position: [150, 160], velocity: { speed: 100, heading: 0.6 } }]',
        'run: { trials: 1, frames: 2 }',
        'stages:',
        '  - { id: crb, uses: crb-evaluator, params: { modes: [exact, paper-printed] } }',
        '',
      ].join('\n'),
    );
    const recs = await records(file);
    // the model: 3 measurements (delay, sin θ, Doppler) for 4 unknowns (x, y, v, θ) -> singular FIM
    const crb = recs[0]!.crb as Record<
      string,
      Record<string, Array<{ singular?: boolean; reason?: string }>>
    >;
    expect(crb.crb!.exact![0]!.singular).toBe(true);
    const s = aggregate(recs, new Rng(['s']), {});
    expect(s.notes?.join('\n')).toMatch(/bound series 'exact' is singular for every target in every frame/);
    expect(s.bounds).not.toContain('exact'); // no number to report, and not silently another series
    const s2 = aggregate(recs, new Rng(['s']), { crbMode: 'exact' });
    expect(s2.crbMode).not.toBe('exact');
    expect(s2.notes?.join('\n')).toMatch(/'exact' is singular/);
  });

  it('a target whose bound is singular in some frames is left out of the average and counted', () => {
    const truth = [
      { position: [0, 0] as [number, number], velocity: { speed: 10, heading: 0 } },
      { position: [100, 0] as [number, number], velocity: { speed: 10, heading: 0 } },
    ];
    const ok = { sqrtTrP: 0.03, sqrtTrVelXY: 0.01, stdSpeed: 0.007, stdHeading: 1e-4 };
    const bad = { singular: true, reason: 'on top of an AP' };
    const rec = (frame: number, second: object): FrameRecord => ({
      point: {},
      trial: 0,
      frame,
      seed: 1,
      truth,
      estimates: { a: truth },
      timings: {},
      crb: { crb: { exact: [ok, second] } },
    });
    const s = aggregate([rec(0, bad), rec(1, ok), rec(2, bad)], new Rng(['s']), {});
    const b = s.points[0]!.bound.exact!;
    expect(b.frames).toBe(3);
    expect(b.singular).toBe(2);
    // target 1's average uses its one finite frame; target 0 all three: mean of the two √ means
    expect(b.position).toBeCloseTo(0.03, 12);
    expect(s.notes?.join('\n')).toMatch(/2 \(target, frame\) bound\(s\) of 'exact' left out of the average/);
  });
});
