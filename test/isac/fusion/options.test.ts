import { describe, expect, it } from 'vitest';
import { IsacflowError } from '../../../src/core/errors.js';
import type { Frame } from '../../../src/core/frame.js';
import { Rng } from '../../../src/math/rng.js';
import { FusionSolverStage, fusionSolver } from '../../../stages/fusion-solver/fusion-solver.js';
import { fusionRegistry, ONE_RANDOM, scenarioOf } from './chain.js';
import { createStageContext } from '../../../src/core/stage-context.js';
import { keyOf } from '../../../src/core/port.js';

const registry = fusionRegistry();
const random = scenarioOf({ db: 0, targets: ONE_RANDOM });
const fixed = scenarioOf({
  db: 0,
  targets: [{ position: [170.37, 160.82], velocity: { speed: 100, heading: 0.6 } }],
});

/** The IsacflowError thrown when constructing the stage with `params` (fails the test if none). */
function constructionError(params: Record<string, unknown>, scenario = random): IsacflowError {
  try {
    new FusionSolverStage(params, registry, scenario);
  } catch (e) {
    if (e instanceof IsacflowError) return e;
    throw e;
  }
  throw new Error(`no error for ${JSON.stringify(params)}`);
}

describe('fusion-solver options', () => {
  it('defaults: scheme sfo with the paper ABC-BFGS; every built-in scheme constructs', () => {
    const s = new FusionSolverStage({}, registry, random);
    expect(s.scheme.name).toBe('sfo');
    for (const scheme of ['sfo', 'lattice', 'mle'])
      expect(new FusionSolverStage({ scheme }, registry, random).scheme.name).toBe(scheme);
    expect(fusionSolver.reads.map(keyOf)).toEqual(['observations']);
    expect(fusionSolver.adds.map(keyOf)).toEqual(['estimates']);
  });

  it('unknown scheme: invalid-option at fusion-solver.scheme with did-you-mean', () => {
    const e = constructionError({ scheme: 'sf0' });
    expect(e.kind).toBe('invalid-option');
    expect(e.problems[0]!.path).toBe('fusion-solver.scheme');
    expect(e.message).toMatch(/unknown fusion 'sf0'; did you mean 'sfo'\?/);
    expect(e.message).toContain('lattice');
  });

  it('unknown solver: invalid-option at fusion-solver.solver with did-you-mean', () => {
    const e = constructionError({ scheme: 'sfo', solver: 'abc-bgfs' });
    expect(e.kind).toBe('invalid-option');
    expect(e.problems[0]!.path).toBe('fusion-solver.solver');
    expect(e.message).toMatch(/did you mean 'abc-bfgs'\?/);
    const m = constructionError({ scheme: 'mle', solver: 'bgfs' });
    expect(m.problems[0]!.path).toBe('fusion-solver.solver');
    expect(m.message).toMatch(/did you mean 'bfgs'\?/);
  });

  it("bad solver params and unknown scheme options name the option (the scheme's own schema)", () => {
    const sp = constructionError({ scheme: 'sfo', solver: 'abc', solverParams: { popSize: 1 } });
    expect(sp.kind).toBe('invalid-option');
    expect(sp.problems[0]!.path).toBe('fusion-solver.solverParams.popSize');
    const uk = constructionError({ scheme: 'lattice', gridm: 2 });
    expect(uk.problems[0]!.path).toBe('fusion-solver.gridm');
    expect(uk.message).toMatch(/did you mean 'gridM'\?/);
    // sfo has no grid
    expect(constructionError({ scheme: 'sfo', gridM: 2 }).problems[0]!.path).toBe('fusion-solver.gridM');
  });

  it('grid steps <= 0 are refused', () => {
    for (const bad of [0, -1]) {
      const e = constructionError({ scheme: 'lattice', gridM: bad });
      expect(e.kind).toBe('invalid-option');
      expect(e.problems[0]!.path).toBe('fusion-solver.gridM');
      expect(e.message).toMatch(/must be a number > 0/);
    }
    expect(constructionError({ scheme: 'lattice', headingStepRad: 0 }).problems[0]!.path).toBe(
      'fusion-solver.headingStepRad',
    );
    // a grid too fine to evaluate is refused before anything runs
    expect(
      constructionError({ scheme: 'lattice', speedStepMps: 1e-4, headingStepRad: 1e-4 }).message,
    ).toMatch(/velocity grid would have/);
  });

  it('a search box that excludes the area (or a fixed target) is refused; a degenerate box too', () => {
    const e = constructionError({
      scheme: 'sfo',
      box: [
        [0, 0],
        [150, 150],
      ],
    });
    expect(e.kind).toBe('invalid-option');
    expect(e.problems[0]!.path).toBe('fusion-solver.box');
    expect(e.message).toMatch(/does not contain the scenario's target area \[\[125, 125\], \[225, 225\]\]/);
    for (const scheme of ['lattice', 'mle'])
      expect(
        constructionError({
          scheme,
          box: [
            [200, 200],
            [300, 300],
          ],
        }).problems[0]!.path,
      ).toBe('fusion-solver.box');
    const f = constructionError(
      {
        scheme: 'sfo',
        box: [
          [0, 0],
          [100, 100],
        ],
      },
      fixed,
    );
    expect(f.message).toMatch(/does not contain target 0/);
    expect(
      constructionError({
        scheme: 'sfo',
        box: [
          [0, 0],
          [0, 300],
        ],
      }).problems[0]!.path,
    ).toMatch(/^fusion-solver\.box/);
    // a box that contains the area is fine
    expect(
      new FusionSolverStage(
        {
          scheme: 'sfo',
          box: [
            [100, 100],
            [250, 250],
          ],
        },
        registry,
        random,
      ).scheme.name,
    ).toBe('sfo');
    expect(constructionError({ scheme: 'sfo', speedMax: 0 }).problems[0]!.path).toBe(
      'fusion-solver.speedMax',
    );
  });

  it('a frame without observations is a stage error naming the missing stage', () => {
    const s = new FusionSolverStage({}, registry, random);
    const frame = {
      data: {},
      record: {},
      aps: random.aps,
      scenario: random,
      truth: [],
      branch: '',
    } as unknown as Frame;
    expect(() =>
      s.process(frame, createStageContext(frame, { stageId: 'fusion', rng: new Rng(['x']), registry })),
    ).toThrow(
      /stage 'fusion' reads 'observations' \(TargetObservation\[\]\): frame.data.observations is missing/,
    );
  });
});
