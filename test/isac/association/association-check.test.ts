import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { loadWithBuiltins } from '../../../src/builtins.js';
import { Engine, trialFrames } from '../../../src/core/engine.js';
import { Rng } from '../../../src/math/rng.js';
import type { AssociationCheckRecord } from '../../../stages/association-check/association-check.js';
import { AssociationCheckStage } from '../../../stages/association-check/association-check.js';
import type { TargetObservation } from '../../../src/isac/association/types.js';
import { createStageContext } from '../../../src/core/stage-context.js';

describe('association-check stage', () => {
  it('calls the default scenario at high SNR correct, with sub-centimetre ranges; a swapped AP is caught', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'isacflow-ac-'));
    const file = join(dir, 'p.yaml');
    writeFileSync(
      file,
      `isacflow: 1\nname: ac\nscenario: { snr: { db: 30 } }\nstages:\n  - { id: echoes, uses: echo-generator }\n  - { id: cp, uses: cp-decomposer }\n  - { id: assoc, uses: music-associator }\n  - { id: check, uses: association-check }\n`,
    );
    const r = await loadWithBuiltins(file);
    const engine = new Engine(r.rootSeed, 1, r.registry);
    const [rec] = await lastValueFrom(engine.trial$(r.points[0]!, 0).pipe(toArray()));
    const c = (rec!.associationCheck as Record<string, AssociationCheckRecord>).check!;
    expect(c.correct).toBe(true);
    expect(c.rangeErrors).toHaveLength(12);
    expect(Math.max(...c.rangeErrors.map(Math.abs))).toBeLessThan(0.01);

    // swap two targets' observations at AP 2: no longer one true target per associated target
    const stage = new AssociationCheckStage();
    const frame = trialFrames(r.points[0]!, r.rootSeed, 0, 1)[0]!;
    const eng2 = new Engine(r.rootSeed, 1, r.registry);
    const stages = eng2.stagesFor(r.points[0]!);
    const ctx = (id: string) =>
      createStageContext(frame, {
        stageId: id,
        rng: new Rng([r.rootSeed, frame.pointKey, 0, 0, 'stage', id]),
        registry: r.registry,
      });
    for (const s of stages.slice(0, 3)) await s.variants[0]!.instance.process(frame, ctx(s.id));
    const obs = frame.data.observations as TargetObservation[];
    const a = obs[0]!.perAp[2]!;
    obs[0]!.perAp[2] = obs[1]!.perAp[2]!;
    obs[1]!.perAp[2] = a;
    stage.process(frame, ctx('check'));
    expect((frame.record.associationCheck as Record<string, AssociationCheckRecord>).check!.correct).toBe(
      false,
    );
  }, 60_000);
});
