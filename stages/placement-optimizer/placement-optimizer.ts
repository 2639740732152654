import { inject, injectable } from 'inversify';
import {
  defineStage,
  type Frame,
  IsacflowError,
  optionError,
  Placement,
  type PluginLookup,
  Records,
  type Stage,
  type StageContext,
  TOKENS,
  zodProblems,
} from '../../src/plugin.js';
import {
  initialLayout,
  PlacementObjective,
  violations,
  type PlacementProblem,
  type PlacementStrategy,
} from '../../src/isac/placement/index.js';
import { checkTargetMargin, resolveDesignTargets } from './design-targets.js';
import { buildRecord, type PlacementRecord } from './placement-record.js';
import { placementOptimizerParams, type PlacementOptimizerParams } from './placement-params.js';
import { summarizePlacement } from './placement-summary.js';

const OWNER = 'placement-optimizer';

/** `frame.data.placement`: the record plus the continuous layout and the strategy's trace. */
export interface PlacementData extends PlacementRecord {
  continuous: number[];
  trace: unknown[];
}

/**
 * Phase 1 (Section III): joint AP placement and antenna allocation. Reads nothing from frame.data;
 * solves (P0) — the worst case over the design targets of α ψ_p tr CRB_p + (1 − α) ψ_a tr CRB_a,
 * each AP in its disc of radius ε, Σ N <= N_max, N >= minAntennas (default 1) integer — with the chosen strategy plugin,
 * rewrites frame.aps (positions and integer antennas) for the stages after it (echo generator,
 * CRB evaluator, ...), adds `placement` to frame.data and writes `record.placement[resultKey]`.
 */
@injectable()
export class PlacementOptimizerStage implements Stage {
  private readonly p: PlacementOptimizerParams;
  private readonly strategy: PlacementStrategy;

  constructor(
    @inject(TOKENS.StageParams) params: unknown,
    @inject(TOKENS.PluginRegistry) registry: PluginLookup,
  ) {
    const r = placementOptimizerParams.safeParse(params ?? {});
    if (!r.success) {
      throw new IsacflowError(
        'invalid-option',
        zodProblems(r.error, [OWNER]).map((pr) => ({ ...pr, message: `${OWNER}: ${pr.message}` })),
      );
    }
    this.p = r.data;
    this.strategy = registry.create<PlacementStrategy>(
      'placement',
      this.p.strategy,
      this.p.strategyParams,
      `${OWNER}.strategy`,
    );
  }

  process(frame: Frame, ctx: StageContext): void {
    const p = this.p;
    const L = frame.aps.length;
    const maxAntennas = p.maxAntennas ?? frame.aps.reduce((s, a) => s + a.antennas, 0);
    if (L < 1) throw optionError(OWNER, 'aps', 'the scenario has no APs');
    if (maxAntennas < L) {
      throw optionError(
        OWNER,
        'maxAntennas',
        `N_max = ${maxAntennas} < L = ${L} APs; every AP needs at least one antenna: use maxAntennas >= ${L}`,
      );
    }
    const minAntennas = p.minAntennas;
    if (L * minAntennas > maxAntennas) {
      throw optionError(
        OWNER,
        'minAntennas',
        `L · minAntennas = ${L} · ${minAntennas} = ${L * minAntennas} exceeds the budget maxAntennas = ${maxAntennas}; every AP must get at least minAntennas antennas: use minAntennas <= ${Math.floor(maxAntennas / L)} or maxAntennas >= ${L * minAntennas}`,
      );
    }
    const nominal = Float64Array.from(frame.aps.flatMap((a) => a.position));
    const targets = resolveDesignTargets(p.designTargets, frame.truth, ctx.rng.fork('design-targets'));
    checkTargetMargin(targets, nominal, p.radiusM, p.targetMarginM);
    const { system, snr } = frame.scenario;
    const objective = new PlacementObjective(system, snr, p.crbMode, targets, L, p.alpha);
    const problem: PlacementProblem = { objective, nominal, radius: p.radiusM, maxAntennas, minAntennas };
    const initial = initialLayout(problem);
    const psi = objective.defaultPsi(initial);
    if (!psi && (p.psiP === undefined || p.psiA === undefined)) {
      throw new IsacflowError('singular-fim', [
        {
          where: '',
          path: OWNER,
          message: `a design target's Fisher information is singular at the Initial layout (${p.crbMode} mode), so ψ cannot be normalised; give psiP and psiA or change the targets`,
        },
      ]);
    }
    objective.psiP = p.psiP ?? (psi as { psiP: number }).psiP;
    objective.psiA = p.psiA ?? (psi as { psiA: number }).psiA;

    const outcome = this.strategy.place(problem, ctx.rng.fork('placement'));
    const v = violations(problem, outcome.final, true);
    const slack = 1e-9 * Math.max(1, p.radiusM);
    if (v.disc > slack || v.sum > 0 || v.lower > 0 || v.integrality > 0) {
      throw new Error(
        `strategy '${this.strategy.name}' returned an infeasible layout (disc +${v.disc} m, sum +${v.sum}, below minAntennas = ${minAntennas} by ${v.lower}, non-integer by ${v.integrality})`,
      );
    }

    const rec = buildRecord({
      strategy: this.strategy.name,
      crbMode: p.crbMode,
      problem,
      initial,
      outcome,
      system,
      snr,
    });
    const z = outcome.final;
    frame.aps = frame.aps.map((_, l) => ({
      position: [z[2 * l] as number, z[2 * l + 1] as number],
      antennas: z[2 * L + l] as number,
    }));
    const data: PlacementData = { ...rec, continuous: Array.from(outcome.continuous), trace: outcome.trace };
    ctx.write(frame, Placement, data);
    ctx.record(Records.placement, rec);
  }
}

/**
 * Initial vs ADMM layout, and the exact CRB of each (`record.placement.proposed.reductionPct`):
 * @example
 * ```yaml
 * isacflow: 1
 * name: placement
 * stages:
 *   - id: placement
 *     uses: placement-optimizer
 *     params: { radiusM: 10, crbMode: paper }
 *     variants:
 *       initial: { strategy: initial }
 *       proposed: { strategy: admm }
 *   - { id: crb, uses: crb-evaluator }
 * ```
 */
export const placementOptimizer = defineStage({
  name: 'placement-optimizer',
  summary:
    'Phase 1 (Section III): joint AP placement and antenna allocation minimising the worst-case weighted CRB (strategies: admm, direct, initial, random, toward-targets)',
  params: placementOptimizerParams,
  reads: [],
  adds: [Placement],
  records: [Records.placement],
  needsTruth: (p: { designTargets?: unknown }) =>
    p.designTargets === 'truth'
      ? "designTargets 'truth' designs for the true targets; give designTargets as { random: {...} } or a list"
      : undefined,
  releasesFrameData: true,
  stage: PlacementOptimizerStage,
  summarize: summarizePlacement,
});
