import { inject, injectable } from 'inversify';
import { z } from 'zod';
import {
  defineStage,
  Echoes,
  Estimates,
  type Frame,
  IsacflowError,
  Observations,
  optionError,
  type PluginLookup,
  type Problem,
  Records,
  type Stage,
  type StageContext,
  type StateEstimate,
  TOKENS,
} from '../../src/plugin.js';
import type { FusionDiagnostics, FusionEstimate, FusionScheme } from '../../src/isac/fusion/types.js';
import type { Scenario } from '../../src/isac/scenario-types.js';

const OWNER = 'fusion-solver';

export const fusionSolverParams = z
  .object({
    scheme: z
      .string({ error: 'must name a fusion scheme (sfo, lattice, mle, or a user plugin)' })
      .min(1)
      .default('sfo')
      .describe(
        "fusion scheme (plugin kind fusion): sfo (the paper's SFO), lattice, mle, or a user plugin; the scheme's own params go beside it (isacflow list shows them)",
      ),
  })
  .catchall(z.unknown());

export type FusionSolverParams = z.infer<typeof fusionSolverParams>;

/** Rewrites the scheme's own problem paths (e.g. `sfo.gridm`) to the stage option (`fusion-solver.gridm`). */
function asStageProblems(e: IsacflowError, scheme: string): Problem[] {
  return e.problems.map((p) => {
    const rest =
      p.path === scheme ? '' : p.path.startsWith(`${scheme}.`) ? p.path.slice(scheme.length + 1) : p.path;
    return { ...p, where: '', path: rest ? `${OWNER}.${rest}` : OWNER };
  });
}

/**
 * Phase 2, symbol-level fusion (Section IV.B, Algorithm 3 steps 5-18): for every associated target
 * of frame.data.observations (music-associator) the chosen fusion scheme estimates the location and
 * the absolute velocity. Params: `scheme` plus that scheme's own params, validated against the
 * scheme's schema at construction (unknown scheme or solver names and bad options are reported
 * before anything runs). Writes `record.estimates[resultKey]` (one { position, velocity } per
 * target), `record.fusion[resultKey]` (per target: objective value, evaluations, iterations, stop
 * reason, search box of the location and velocity problems) and adds `estimates` to frame.data.
 * Target u draws from the stage stream fork('target', u): the same in every variant.
 */
@injectable()
export class FusionSolverStage implements Stage {
  readonly scheme: FusionScheme;

  constructor(
    @inject(TOKENS.StageParams) params: unknown,
    @inject(TOKENS.PluginRegistry) registry: PluginLookup,
    @inject(TOKENS.Scenario) scenario: Scenario,
  ) {
    const parsed = fusionSolverParams.safeParse(params ?? {});
    if (!parsed.success) {
      throw new IsacflowError(
        'invalid-option',
        parsed.error.issues.map((i) => ({
          where: '',
          path: [OWNER, ...i.path.map(String)].join('.'),
          message: i.message,
        })),
      );
    }
    const { scheme, ...rest } = parsed.data;
    const known = registry.names('fusion');
    if (!known.includes(scheme)) {
      try {
        registry.manifest('fusion', scheme);
      } catch (e) {
        if (IsacflowError.is(e))
          throw optionError(OWNER, 'scheme', e.problems.map((p) => p.message).join('; '));
        throw e;
      }
    }
    try {
      this.scheme = registry.create<FusionScheme>('fusion', scheme, rest);
      this.scheme.check?.(scenario);
    } catch (e) {
      if (IsacflowError.is(e))
        throw new IsacflowError('invalid-option', asStageProblems(e, scheme), { cause: e });
      throw e;
    }
  }

  process(frame: Frame, ctx: StageContext): void {
    const obs = ctx.read(frame, Observations);
    const estimates: StateEstimate[] = [];
    const diagnostics: FusionDiagnostics[] = [];
    const push = (r: FusionEstimate): void => {
      estimates.push({
        position: [r.position[0], r.position[1]],
        velocity: { speed: r.velocity.speed, heading: r.velocity.heading },
      });
      diagnostics.push(r.diagnostics);
    };
    if (this.scheme.fuseFrame) {
      // frame-level schemes (joint-ml) also read the raw echoes
      const echoes = ctx.tryRead(frame, Echoes);
      if (!Array.isArray(echoes)) {
        throw new IsacflowError('stage-failed', [
          {
            where: '',
            path: ctx.stageId,
            message: `${OWNER}: scheme '${this.scheme.name}' needs frame.data.echoes (put an echo-generator stage before it)`,
          },
        ]);
      }
      this.scheme
        .fuseFrame({ observations: obs, echoes, aps: frame.aps, scenario: frame.scenario, rng: ctx.rng })
        .forEach(push);
    } else {
      obs.forEach((observation, u) =>
        push(
          this.scheme.fuse({
            observation,
            aps: frame.aps,
            scenario: frame.scenario,
            rng: ctx.rng.fork('target', u),
          }),
        ),
      );
    }
    ctx.write(frame, Estimates, estimates);
    ctx.record(Records.estimates, estimates);
    ctx.record(Records.fusion, diagnostics);
  }
}

/**
 * The paper's SFO against the MLE baseline on the same frames (`record.estimates.sfo`, `record.estimates.mle`):
 * @example
 * ```yaml
 * isacflow: 1
 * name: fusion
 * outputs:
 *   summary: { pairs: [[sfo, mle]] }
 * stages:
 *   - { id: echoes, uses: echo-generator }
 *   - { id: cp, uses: cp-decomposer }
 *   - { id: assoc, uses: music-associator }
 *   - id: fusion
 *     uses: fusion-solver
 *     variants:
 *       sfo: { scheme: sfo, solver: abc-bfgs }
 *       mle: { scheme: mle }
 * ```
 */
export const fusionSolver = defineStage({
  name: 'fusion-solver',
  summary:
    "Symbol-level fusion (Section IV.B): per associated target, location and velocity by a fusion scheme (sfo = the paper's SFO with ABC-BFGS, lattice, mle)",
  params: fusionSolverParams,
  reads: [Observations],
  adds: [Estimates],
  records: [Records.estimates, Records.fusion],
  // its fusion scheme's fuseFrame gets the echoes: recycling only when that scheme allows it too
  releasesFrameData: (params, registry) =>
    registry.manifest('fusion', fusionSolverParams.parse(params ?? {}).scheme).releasesFrameData === true,
  stage: FusionSolverStage,
});
