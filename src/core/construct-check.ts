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
  try {
    buildStages({ ...point, stages: [{ ...s, variants: [v] }] }, registry);
    return [];
  } catch (e) {
    if (!IsacflowError.is(e)) {
      return [
        {
          where: s.where,
          path: `stages[${s.index}]`,
          message: `stage '${s.id}' (${s.uses}) could not be constructed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`,
        },
      ];
    }
    return e.problems.map((p) => locateOption(p, s, v, locate));
  }
}

/** `<owner>.<option>.…` of a construction problem, located at that option of the stage when it is there. */
function locateOption(
  p: Problem,
  s: SweepPoint['stages'][number],
  v: { name: string; params: unknown },
  locate: Locate,
): Problem {
  const segs = p.path.split('.');
  const params = (v.params ?? {}) as Record<string, unknown>;
  for (let i = 0; i < segs.length; i++) {
    const opt = segs[i] as string;
    if (i > 0 && Object.hasOwn(params, opt)) {
      const base: PathKey[] = v.name
        ? ['stages', s.index, 'variants', v.name]
        : ['stages', s.index, 'params'];
      const tail = segs.slice(i + 1).map((x) => (/^\d+$/.test(x) ? Number(x) : x));
      let where = locate([...base, opt, ...tail]);
      if (v.name && where === locate(base)) where = locate(['stages', s.index, 'params', opt, ...tail]);
      return { ...p, where };
    }
  }
  return { ...p, where: p.where && p.where !== s.where ? p.where : s.where };
}
