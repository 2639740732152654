import { z } from 'zod';
import type { PluginDeps } from '../core/plugin.js';
import { checkBox } from './box.js';
import { type Candidate, offerCandidate } from './candidates.js';
import { optionError } from '../core/errors.js';
import type { SolveRequest, SolveResult, Solver, StopReason, TraceEntry } from './solver.js';

/** Params schema of a global-then-local hybrid, with the given default parts. */
export function hybridParams(defaults: { global: string; local: string }) {
  return z
    .object({
      global: z
        .string()
        .min(1)
        .default(defaults.global)
        .describe('global solver (any registered solver name)'),
      globalParams: z.record(z.string(), z.unknown()).default({}).describe('params of the global solver'),
      local: z
        .string()
        .min(1)
        .default(defaults.local)
        .describe('local solver that polishes the global candidates'),
      localParams: z.record(z.string(), z.unknown()).default({}).describe('params of the local solver'),
      polish: z
        .number()
        .int('must be an integer >= 0')
        .min(0, 'must be an integer >= 0')
        .default(3)
        .describe(
          "how many of the global solver's best distinct candidates the local solver polishes (best first)",
        ),
      localShare: z
        .number()
        .min(0, 'must be in [0, 1)')
        .lt(1, 'must be in [0, 1)')
        .default(0.2)
        .describe('under an evaluation cap (maxEvaluations), the fraction of it reserved for polishing'),
      surrogate: z
        .boolean()
        .default(true)
        .describe(
          "run the global stage on the objective's surrogate when it has one ((P3)/(P4): phase tables, error bounded, ~10x cheaper); its candidates are re-evaluated and polished on the exact objective. false = the global stage on the exact objective",
        ),
    })
    .strict();
}

export type HybridParams = z.infer<ReturnType<typeof hybridParams>>;

/** Creates the parts through the registry (so any registered solver, built-in or user, can be used). */
export function createHybrid(name: string, p: HybridParams, deps: PluginDeps): Solver {
  const global = deps.registry.create<Solver>('solver', p.global, p.globalParams, `${name}.global`);
  const local = deps.registry.create<Solver>('solver', p.local, p.localParams, `${name}.local`);
  return new HybridSolver(name, global, local, p.polish, p.localShare, p.surrogate);
}

/**
 * Global search, then local polish: the global solver runs with the request's rng (so its part
 * is exactly what it would return alone), then the local solver starts from each of its best
 * `polish` distinct candidates (rng fork 'polish', k). The result is the best point of all.
 * Trace: the global solver's entries, then one entry per polished candidate.
 * With `surrogate` and an objective that offers one (Objective.surrogate), the global stage runs on
 * the surrogate (its trace entries then hold surrogate values); its candidates are re-evaluated on
 * the exact objective (counted as evaluations), and the best `polish` of them by exact value are
 * polished on the exact objective, so the result is always an exact-objective value.
 */
export class HybridSolver implements Solver {
  constructor(
    readonly name: string,
    private readonly global: Solver,
    private readonly local: Solver,
    private readonly polish: number,
    private readonly localShare: number,
    private readonly useSurrogate = true,
  ) {}

  minimize(req: SolveRequest): SolveResult {
    const dim = req.objective?.dim;
    if (!Number.isInteger(dim) || dim < 1)
      throw optionError(this.name, 'objective.dim', `objective dim is ${dim}; need an integer >= 1`);
    checkBox(this.name, req.box, dim, false);
    const total = req.maxEvaluations ?? Infinity;
    if (!(total === Infinity || (Number.isInteger(total) && total >= 1))) {
      throw optionError(
        this.name,
        'maxEvaluations',
        `maxEvaluations is ${total}; need an integer >= 1 (or omit it)`,
      );
    }
    const capped = Number.isFinite(total);
    const sur = this.useSurrogate && req.objective.surrogate ? req.objective.surrogate() : undefined;
    const g = this.global.minimize({
      ...req,
      objective: sur ?? req.objective,
      maxEvaluations: capped ? Math.max(1, Math.floor(total * (1 - this.localShare))) : undefined,
    });
    let used = g.evaluations;
    let globalCandidates: Candidate[] = g.candidates ?? [{ x: g.x, value: g.value }];
    let globalBest: Candidate = { x: Float64Array.from(g.x), value: g.value };
    if (sur) {
      // the surrogate's candidates on the exact objective, best first (stable)
      if (globalCandidates.length === 0) globalCandidates = [{ x: g.x, value: g.value }];
      globalCandidates = globalCandidates
        .map((c) => ({ x: c.x, value: req.objective.value(c.x) }))
        .sort((a, b) => a.value - b.value);
      used += globalCandidates.length;
      globalBest = { x: Float64Array.from(globalCandidates[0]!.x), value: globalCandidates[0]!.value };
    }
    let iterations = g.iterations;
    const trace: TraceEntry[] = g.trace.map((t) => ({ ...t }));
    let iter = trace.length > 0 ? trace[trace.length - 1]!.iteration : 0;
    let best: Candidate = globalBest;
    let stopReason: StopReason = g.stopReason;
    const list: Candidate[] = [];
    const starts = globalCandidates.slice(0, this.polish);
    for (let k = 0; k < starts.length; k++) {
      const remaining = total - used;
      if (remaining < 1) {
        stopReason = 'max-evaluations';
        break;
      }
      const l = this.local.minimize({
        objective: req.objective,
        box: req.box,
        rng: req.rng.fork('polish', k),
        x0: starts[k]!.x,
        maxEvaluations: capped ? remaining : undefined,
      });
      used += l.evaluations;
      iterations += l.iterations;
      offerCandidate(list, { x: Float64Array.from(l.x), value: l.value }, req.box);
      if (l.value < best.value || (k === 0 && l.value === best.value)) {
        best = { x: Float64Array.from(l.x), value: l.value };
        stopReason = l.stopReason;
      }
      trace.push({ iteration: ++iter, evaluations: used, best: best.value });
    }
    if (capped && used >= total) stopReason = 'max-evaluations';
    for (const c of sur ? globalCandidates : (g.candidates ?? []))
      offerCandidate(list, { x: Float64Array.from(c.x), value: c.value }, req.box);
    offerCandidate(list, { x: Float64Array.from(best.x), value: best.value }, req.box);
    return {
      x: best.x,
      value: best.value,
      evaluations: used,
      iterations,
      stopReason,
      trace,
      candidates: list,
    };
  }
}
