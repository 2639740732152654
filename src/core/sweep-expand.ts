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
import type { ResolvedSource } from '../sources/resolve-source.js';
import type { FrameSource } from '../sources/source-types.js';
import { sourceStageProblems } from '../sources/truth-check.js';
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
  /** the pipeline's frame source when it names one (`source:`); absent = simulated frames */
  source?: FrameSource;
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
  /** receives invalid points' scenario and valid stages (so that they are constructed too) */
  partial?: SweepPoint[];
  /** the frame source (`source:`): what it provides, whether frames carry the truth */
  source?: ResolvedSource;
}

/**
 * Step 4 of loadPipeline: every sweep point's pipeline, scenario and stages, validated; the
 * problems of every point are collected (located at the sweep key when the swept value caused
 * them). A point's scenario depends only on the values of the scenario keys, its stages only on
 * the stage keys, its run only on run.frames: each part is built and validated once per distinct
 * value combination, so that a large sweep validates quickly.
 */
export function expandSweeps(cx: ExpandContext, keys: readonly SweepKey[]): SweepPoint[] {
  const { problems } = cx;
  const base = cx.top ?? lenientSpec(cx.obj);
  const count = keys.reduce((n, k) => n * k.values.length, 1);
  const part = (head: string) => keys.flatMap((k, i) => (k.path[0] === head ? [i] : []));
  const scenarioKeys = part('scenario');
  const stageKeys = part('stages');
  const runKeys = part('run');
  const pointLocate = sweepLocator(keys, cx.locate);
  const truthFree = cx.source !== undefined && !cx.source.info.truth;
  /** Applies the swept values of `idx` to a copy of obj[head]; undefined (problems pushed) when one cannot be set. */
  const applied = (head: string, idx: number[], values: unknown[]): unknown => {
    const holder: Record<string, unknown> = { [head]: structuredClone(cx.obj[head]) };
    let ok = true;
    for (const i of idx) {
      const s = keys[i] as SweepKey;
      const err = setAtPath(holder, s.path, values[i]);
      if (err) {
        problems.push({
          where: cx.locate(['sweep', s.dot], true),
          path: `sweep.${s.dot}`,
          message: `cannot be swept here: ${err}`,
        });
        ok = false;
      }
    }
    return ok ? holder[head] : undefined;
  };
  const scenarios = new Map<string, Scenario | undefined>();
  const stageLists = new Map<
    string,
    { entries: PipelineSpec['stages']; stages: ResolvedStage[] } | undefined
  >();
  const goodStages = new Map<string, ResolvedStage[]>();
  const runs = new Map<string, PipelineSpec['run'] | undefined>();
  const checked = new Set<string>();
  const points: SweepPoint[] = [];
  for (let pi = 0; pi < count; pi++) {
    const values = combo(keys, pi);
    // Scenario.
    const sKey = JSON.stringify(scenarioKeys.map((i) => values[i]));
    if (!scenarios.has(sKey)) {
      const input = (scenarioKeys.length ? applied('scenario', scenarioKeys, values) : cx.obj.scenario) ?? {};
      const r = scenarioSchemaFor(input, { truthFree }).safeParse(input);
      if (!r.success)
        problems.push(...zodProblems(r.error, ['scenario'], pointLocate, (p) => scenarioKeysAt(p.slice(1))));
      scenarios.set(sKey, r.success ? r.data : undefined);
    }
    // Stages.
    const tKey = JSON.stringify(stageKeys.map((i) => values[i]));
    if (!stageLists.has(tKey)) {
      let entries: PipelineSpec['stages'] | undefined = base.stages;
      if (stageKeys.length) {
        const raw = applied('stages', stageKeys, values);
        const r = raw === undefined ? undefined : pipelineSchema.shape.stages.safeParse(raw);
        if (r && !r.success && cx.top)
          problems.push(...zodProblems(r.error, ['stages'], pointLocate, pipelineKeysAt));
        entries = r?.success ? r.data : undefined;
      }
      const good: ResolvedStage[] = [];
      const stages = entries
        ? resolveStages(
            { ...base, stages: entries },
            cx.registry,
            pointLocate,
            problems,
            cx.namesUnknowable,
            good,
            cx.source?.info.provides,
          )
        : undefined;
      if (stages && cx.source) problems.push(...sourceStageProblems(stages, cx.source.info, cx.source.uses));
      goodStages.set(tKey, good);
      stageLists.set(tKey, entries && stages ? { entries, stages } : undefined);
    }
    // Run.
    const rKey = JSON.stringify(runKeys.map((i) => values[i]));
    if (!runs.has(rKey)) {
      let run: PipelineSpec['run'] | undefined = base.run;
      if (runKeys.length) {
        const raw = applied('run', runKeys, values);
        const r = raw === undefined ? undefined : pipelineSchema.shape.run.safeParse(raw);
        if (r && !r.success) problems.push(...zodProblems(r.error, ['run'], pointLocate, pipelineKeysAt));
        run = r?.success ? r.data : undefined;
      }
      runs.set(rKey, run);
    }
    const scenario = scenarios.get(sKey);
    const st = stageLists.get(tKey);
    const run = runs.get(rKey);
    if (!scenario || !st || !run || !cx.top) {
      // Not a runnable point; its valid stages are still constructed by the validation.
      const good = goodStages.get(tKey) ?? [];
      if (scenario && good.length && cx.partial)
        cx.partial.push({
          index: pi,
          values: {},
          key: '',
          spec: { ...base, scenario },
          scenario,
          stages: good,
        });
      continue;
    }
    const spec: PipelineSpec = { ...cx.top, scenario, stages: st.entries, run };
    // A swept value that the parsed point no longer holds was shadowed by another setting; arrays
    // must fit the limits. Both depend on the scenario and the stages only.
    const cKey = `${sKey}|${tKey}|${rKey}`;
    if (!checked.has(cKey)) {
      checked.add(cKey);
      for (let k = 0; k < keys.length; k++) {
        const s = keys[k] as SweepKey;
        const shadow = shadowedBy(s, values[k], scenario, st.stages, spec);
        if (shadow)
          problems.push({
            where: cx.locate(['sweep', s.dot], true),
            path: `sweep.${s.dot}`,
            message: shadow,
          });
      }
      problems.push(...arrayProblems(scenario, st.stages, cx.limits, pointLocate));
    }
    const named: Record<string, unknown> = {};
    keys.forEach((s, k) =>
      Object.defineProperty(named, s.dot, {
        value: values[k],
        enumerable: true,
        writable: true,
        configurable: true,
      }),
    );
    points.push({
      index: pi,
      values: named,
      key: JSON.stringify(named),
      spec,
      scenario,
      stages: st.stages,
      ...(cx.source ? { source: cx.source.instance } : {}),
    });
  }
  return points;
}

/** Locates a path at the sweep key that sets it (or inside it), else where `locate` says. */
export function sweepLocator(keys: readonly SweepKey[], locate: Locate): Locate {
  return (path, key) => {
    const sw = keys.find((s) => isPrefix(s.path, path));
    return sw ? locate(['sweep', sw.dot], true) : locate(path, key);
  };
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
