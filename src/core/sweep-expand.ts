import { scenarioKeysAt, scenarioSchemaFor } from '../isac/scenario-schema.js';
import type { Scenario } from '../isac/scenario-types.js';
import { arrayProblems } from './array-limits.js';
import { getAtPath, resolveDotPath, setAtPath } from './dot-path.js';
import type { Problem } from './errors.js';
import type { Limits } from './limits.js';
import type { Locate } from './load-state.js';
import type { PluginRegistry } from './plugin-registry.js';
import { pipelineKeysAt, pipelineSchema, type PipelineSpec } from './pipeline-schema.js';
import { lenientSpec } from './lenient-spec.js';
import { resolveStages, type ResolvedStage } from './stage-resolve.js';
import { formatPath, zodProblems, type PathKey } from './zod-problems.js';

export interface SweepPoint {
  index: number;
  /** values of the sweep keys at this point, e.g. { 'scenario.snr.db': -10 } */
  values: Record<string, unknown>;
  /** canonical key used in seeds */
  key: string;
  spec: PipelineSpec;
  scenario: Scenario;
  stages: ResolvedStage[];
}

export interface SweepKey {
  dot: string;
  path: PathKey[];
  values: unknown[];
}

/** Why a concrete path may not be swept, or undefined when it may. */
export function notSweepable(path: readonly PathKey[]): string | undefined {
  const [head, second, third] = path;
  if (head === 'scenario') {
    if (path.length === 1)
      return 'sweep keys inside the scenario (e.g. scenario.snr.db), not the whole scenario';
    if (second === 'seed')
      return 'the seed is one per run (run.seed; random targets differ per trial): sweeping it would be ignored';
    return undefined;
  }
  if (head === 'stages') {
    if (third === 'params' || third === 'variants') return undefined;
    return "only a stage's params or variants may be swept (stages.<id>.<param>, stages.<id>.variants.<name>.<param>)";
  }
  if (head === 'run') {
    if (second === 'frames' && path.length === 2) return undefined;
    return 'under run only run.frames may be swept: trials, seed and workers are one per run (use --set for them)';
  }
  return 'only keys under scenario, stages (params, variants) and run.frames may be swept';
}

/** Resolves and checks the sweep keys (sweepable, within the point limit); problems are located at each key. */
export function sweepKeys(
  spec: PipelineSpec,
  obj: Record<string, unknown>,
  limits: Limits,
  locate: Locate,
  problems: Problem[],
): SweepKey[] | undefined {
  const keys: SweepKey[] = [];
  let ok = true;
  for (const [dot, values] of Object.entries(spec.sweep)) {
    const where = locate(['sweep', dot], true);
    const r = resolveDotPath(obj, dot);
    const reason = 'error' in r ? r.error : notSweepable(r.path);
    if (reason !== undefined || 'error' in r) {
      problems.push({ where, path: `sweep.${dot}`, message: reason ?? 'cannot be swept' });
      ok = false;
      continue;
    }
    if (keys.some((k) => formatPath(k.path) === formatPath(r.path))) {
      problems.push({
        where,
        path: `sweep.${dot}`,
        message: `sweeps the same key as ${keys.find((k) => formatPath(k.path) === formatPath(r.path))?.dot}: give each key once`,
      });
      ok = false;
      continue;
    }
    const inside = keys.find((k) => isPrefix(k.path, r.path) || isPrefix(r.path, k.path));
    if (inside) {
      problems.push({
        where,
        path: `sweep.${dot}`,
        message: `overlaps the sweep of ${inside.dot} (one lies inside the other): one of them would be ignored`,
      });
      ok = false;
      continue;
    }
    keys.push({ dot, path: r.path, values });
  }
  const count = keys.reduce((n, k) => n * k.values.length, 1);
  if (count > limits.maxSweepPoints) {
    problems.push({
      where: locate(['sweep'], true),
      path: 'sweep',
      message: `${count} sweep points (${keys.map((k) => k.values.length).join(' x ')}) exceed limits.maxSweepPoints = ${limits.maxSweepPoints}; sweep fewer values or raise the limit under limits:`,
    });
    return undefined;
  }
  return ok ? keys : undefined;
}

function isPrefix(a: readonly PathKey[], b: readonly PathKey[]): boolean {
  return a.length <= b.length && a.every((k, i) => b[i] === k);
}

/** The i-th combination of the sweep lists (the last key varies fastest). */
function combo(keys: readonly SweepKey[], i: number): unknown[] {
  const out = new Array<unknown>(keys.length);
  let rest = i;
  for (let k = keys.length - 1; k >= 0; k--) {
    const vs = (keys[k] as SweepKey).values;
    out[k] = vs[rest % vs.length];
    rest = Math.floor(rest / vs.length);
  }
  return out;
}

/** Whether `got` (parsed, defaults filled) still holds everything the sweep put there. */
export function holds(got: unknown, want: unknown): boolean {
  if (want === null || typeof want !== 'object')
    return Object.is(got, want) || (typeof want === 'number' && got === want);
  if (got === null || typeof got !== 'object') return false;
  if (Array.isArray(want))
    return Array.isArray(got) && got.length === want.length && want.every((w, i) => holds(got[i], w));
  return Object.keys(want).every(
    (k) =>
      Object.hasOwn(got, k) &&
      holds((got as Record<string, unknown>)[k], (want as Record<string, unknown>)[k]),
  );
}

export interface ExpandContext {
  obj: Record<string, unknown>;
  top: PipelineSpec | undefined;
  registry: PluginRegistry;
  limits: Limits;
  locate: Locate;
  problems: Problem[];
  /** plugins were not loaded: unknown stage names are not reported */
  namesUnknowable: boolean;
}

/**
 * Step 4 of loadPipeline: every sweep point's pipeline, scenario and stages, validated; the
 * problems of every point are collected (located at the sweep key when the swept value caused
 * them). Parsing is cached by content, so that a large sweep over one key validates quickly.
 */
export function expandSweeps(cx: ExpandContext, keys: readonly SweepKey[]): SweepPoint[] {
  const { problems } = cx;
  const count = keys.reduce((n, k) => n * k.values.length, 1);
  const scenarioCache = new Map<string, { data?: Scenario; problems: Problem[] }>();
  const stagesCache = new Map<string, { stages?: ResolvedStage[]; problems: Problem[] }>();
  const arraysCache = new Map<string, Problem[]>();
  const runSwept = keys.some((k) => k.path[0] === 'run');
  const points: SweepPoint[] = [];
  for (let pi = 0; pi < count; pi++) {
    const values = combo(keys, pi);
    const pointObj = keys.length ? structuredClone(cx.obj) : cx.obj;
    const named: Record<string, unknown> = {};
    let setOk = true;
    keys.forEach((s, k) => {
      const err = setAtPath(pointObj, s.path, values[k]);
      if (err) {
        problems.push({
          where: cx.locate(['sweep', s.dot], true),
          path: `sweep.${s.dot}`,
          message: `cannot be swept here: ${err}`,
        });
        setOk = false;
      }
      Object.defineProperty(named, s.dot, {
        value: values[k],
        enumerable: true,
        writable: true,
        configurable: true,
      });
    });
    if (!setOk) continue;
    const pointLocate: Locate = (path, key) => {
      const sw = keys.find((s) => isPrefix(s.path, path));
      return sw ? cx.locate(['sweep', sw.dot], true) : cx.locate(path, key);
    };
    // The pipeline at this point: parsed again only when a run key is swept (else only its
    // scenario and stages differ from the top level's).
    let pointSpec: PipelineSpec;
    let pointOk = true;
    if (runSwept || !cx.top) {
      const pp = pipelineSchema.safeParse(pointObj);
      if (!pp.success && cx.top) problems.push(...zodProblems(pp.error, [], pointLocate, pipelineKeysAt));
      pointOk = pp.success;
      pointSpec = pp.success ? pp.data : lenientSpec(pointObj);
    } else {
      const stagesParsed = keys.some((k) => k.path[0] === 'stages')
        ? pipelineSchema.shape.stages.safeParse(pointObj.stages)
        : { success: true as const, data: cx.top.stages };
      if (!stagesParsed.success) {
        problems.push(...zodProblems(stagesParsed.error, ['stages'], pointLocate, (p) => pipelineKeysAt(p)));
        continue;
      }
      pointSpec = { ...cx.top, scenario: pointObj.scenario, stages: stagesParsed.data };
    }
    // Scenario.
    const scenarioInput = pointSpec.scenario ?? {};
    const sKey = JSON.stringify(scenarioInput);
    let sc = scenarioCache.get(sKey);
    if (!sc) {
      const r = scenarioSchemaFor(scenarioInput).safeParse(scenarioInput);
      sc = r.success
        ? { data: r.data, problems: [] }
        : { problems: zodProblems(r.error, ['scenario'], pointLocate, (p) => scenarioKeysAt(p.slice(1))) };
      scenarioCache.set(sKey, sc);
    }
    problems.push(...sc.problems);
    // Stages.
    const tKey = JSON.stringify(pointSpec.stages);
    let st = stagesCache.get(tKey);
    if (!st) {
      const found: Problem[] = [];
      const stages = resolveStages(pointSpec, cx.registry, pointLocate, found, cx.namesUnknowable);
      st = stages ? { stages, problems: found } : { problems: found };
      stagesCache.set(tKey, st);
    }
    problems.push(...st.problems);
    if (!pointOk || !sc.data || !st.stages) continue;
    // A swept value that the parsed point no longer holds was shadowed by another setting.
    for (let k = 0; k < keys.length; k++) {
      const s = keys[k] as SweepKey;
      const shadow = shadowedBy(s, values[k], sc.data, st.stages, pointSpec);
      if (shadow)
        problems.push({ where: cx.locate(['sweep', s.dot], true), path: `sweep.${s.dot}`, message: shadow });
    }
    const aKey = `${sKey}|${tKey}`;
    let arr = arraysCache.get(aKey);
    if (!arr) {
      arr = arrayProblems(sc.data, st.stages, cx.limits, pointLocate);
      arraysCache.set(aKey, arr);
    }
    problems.push(...arr);
    const spec: PipelineSpec = { ...pointSpec, scenario: sc.data };
    points.push({
      index: pi,
      values: named,
      key: JSON.stringify(named),
      spec,
      scenario: sc.data,
      stages: st.stages,
    });
  }
  return points;
}

/** Why the swept value does not reach the run at this point, or undefined when it does. */
function shadowedBy(
  s: SweepKey,
  value: unknown,
  scenario: Scenario,
  stages: readonly ResolvedStage[],
  spec: PipelineSpec,
): string | undefined {
  const [head, idx, part, ...rest] = s.path;
  if (head === 'scenario') {
    const got = getAtPath(scenario, s.path.slice(1));
    if (!holds(got, value))
      return `the swept value ${JSON.stringify(value)} does not reach the scenario (${describeShadow(s.path.slice(1), scenario)}): another setting decides it`;
    return undefined;
  }
  if (head === 'run')
    return holds(spec.run.frames, value) ? undefined : 'the swept value does not reach run.frames';
  if (head === 'stages') {
    const stage = stages.find((x) => x.index === idx);
    if (!stage) return undefined;
    if (part === 'params') {
      for (const v of stage.variants) {
        if (!holds(getAtPath(v.params, rest), value)) {
          return v.name
            ? `variant '${v.name}' of stage '${stage.id}' sets ${rest.join('.')} itself, so this sweep would be ignored there: sweep stages.${stage.id}.variants.${v.name}.${rest.join('.')} instead`
            : `the swept value does not reach stage '${stage.id}' (${rest.join('.')})`;
        }
      }
    } else if (part === 'variants') {
      const [name, ...inner] = rest;
      const v = stage.variants.find((x) => x.name === name);
      if (v && inner.length && !holds(getAtPath(v.params, inner), value))
        return `the swept value does not reach variant '${String(name)}' of stage '${stage.id}'`;
    }
  }
  return undefined;
}

function describeShadow(path: readonly PathKey[], scenario: Scenario): string {
  if (path[0] === 'targets') {
    const random = !Array.isArray(scenario.targets);
    return random ? 'the targets are drawn at random here' : 'the targets are a fixed list here';
  }
  return `the scenario has no ${path.join('.')}`;
}
