import { IsacflowError, type Problem } from './errors.js';
import type { Locate } from './load-state.js';
import type { PluginRegistry } from './plugin-registry.js';
import { buildStages } from './stage-factory.js';
import type { SweepPoint } from './sweep-expand.js';
import type { PathKey } from './zod-problems.js';

/**
 * Constructs the stage variants of the points (each alone, so that one failing stage does not
 * hide the next): what a stage checks at construction (a fusion scheme's options, a solver name
 * inside it, a placement strategy) is reported in the same validation pass, located at the option
 * in the pipeline where it can be found. Every distinct params of a stage variant is constructed
 * once and every distinct scenario once (not their product), so that a large sweep stays fast.
 */
export function constructionProblems(
  points: readonly SweepPoint[],
  registry: PluginRegistry,
  locate: Locate,
): Problem[] {
  const out: Problem[] = [];
  const seenParams = new Set<string>();
  const seenScenario = new Set<string>();
  const scenarioKeys = new Map<SweepPoint['scenario'], string>();
  const paramsJson = new WeakMap<object, string>();
  for (const point of points) {
    let sk = scenarioKeys.get(point.scenario);
    if (sk === undefined) {
      sk = JSON.stringify(point.scenario);
      scenarioKeys.set(point.scenario, sk);
    }
    for (const s of point.stages) {
      for (const v of s.variants) {
        let pj = paramsJson.get(v);
        if (pj === undefined) {
          pj = JSON.stringify(v.params);
          paramsJson.set(v, pj);
        }
        const pk = `${s.index}|${v.name}|${pj}`;
        const sck = `${s.index}|${v.name}|${sk}`;
        if (seenParams.has(pk) && seenScenario.has(sck)) continue;
        seenParams.add(pk);
        seenScenario.add(sck);
        out.push(...constructOne(point, s, v, registry, locate));
      }
    }
  }
  return out;
}

function constructOne(
  point: SweepPoint,
  s: SweepPoint['stages'][number],
  v: { name: string; params: unknown },
  registry: PluginRegistry,
  locate: Locate,
): Problem[] {
  const out: Problem[] = [];
  // A stage that refuses an unknown option stops there; constructing it again without that option
  // finds the next problem (e.g. a misspelt solver name beside a misspelt scheme option).
  let params = v.params;
  for (let round = 0; round < 5; round++) {
    try {
      buildStages({ ...point, stages: [{ ...s, variants: [{ ...v, params }] }] }, registry);
      return out;
    } catch (e) {
      if (!IsacflowError.is(e)) {
        out.push({
          where: s.where,
          path: `stages[${s.index}]`,
          message: `stage '${s.id}' (${s.uses}) could not be constructed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`,
        });
        return out;
      }
      const found = e.problems.map((p) => locateOption(p, s, v, locate));
      out.push(...found);
      const unknown = e.problems.flatMap((p) => {
        const m = /unknown key '([^']+)'/.exec(p.message);
        return m && params !== null && typeof params === 'object' && Object.hasOwn(params, m[1] as string)
          ? [m[1] as string]
          : [];
      });
      if (unknown.length === 0 || unknown.length < e.problems.length) return out;
      params = Object.fromEntries(
        Object.entries(params as Record<string, unknown>).filter(([k]) => !unknown.includes(k)),
      );
    }
  }
  return out;
}

/** `<owner>.<option>.…` of a construction problem, located at that option of the stage when it is there. */
function locateOption(
  p: Problem,
  s: SweepPoint['stages'][number],
  v: { name: string; params: unknown },
  locate: Locate,
): Problem {
  const params = (v.params ?? {}) as Record<string, unknown>;
  const located = /:\d+:\d+$/.test(p.where);
  // The option path may be in `path` or, from registry.create(..., where), in `where`.
  for (const text of located ? [p.path] : [p.path, p.where]) {
    const segs = text.split('.');
    for (let i = 1; i < segs.length; i++) {
      const opt = segs[i] as string;
      if (!Object.hasOwn(params, opt)) continue;
      const base: PathKey[] = v.name
        ? ['stages', s.index, 'variants', v.name]
        : ['stages', s.index, 'params'];
      const tail = segs.slice(i + 1).map((x) => (/^\d+$/.test(x) ? Number(x) : x));
      let where = locate([...base, opt, ...tail]);
      if (v.name && where === locate(base)) where = locate(['stages', s.index, 'params', opt, ...tail]);
      return { ...p, where, path: text === p.path ? p.path : text };
    }
  }
  if (located) return p;
  return { ...p, where: s.where, path: p.path || p.where };
}
