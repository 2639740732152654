import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseYamlValue, stringify } from 'yaml';
import type { z } from 'zod';
import { scenarioKeysAt, scenarioSchemaFor } from '../isac/scenario-schema.js';
import type { Scenario } from '../isac/scenario-types.js';
import { suggestion } from './did-you-mean.js';
import { IsacflowError, type Problem } from './errors.js';
import type { AnyManifest, StageManifest } from './plugin.js';
import type { PluginRegistry } from './plugin-registry.js';
import { pipelineKeysAt, pipelineSchema, stageEntrySchema, type PipelineSpec } from './pipeline-schema.js';
import { summaryOptionsSchema } from '../results/summary-options.js';
import { pathStartsWith, resolveDotPath, setAtPath } from './dot-path.js';
import { YamlSource } from './yaml-source.js';
import { pluginApi } from '../plugin-api.js';
import { formatPath, zodProblems, type PathKey } from './zod-problems.js';
import { resolveSource, type ResolvedSource } from '../sources/resolve-source.js';
import { sourceStageProblems } from '../sources/truth-check.js';
import type { FrameSource } from '../sources/source-types.js';

export interface ResolvedStage {
  index: number;
  id: string;
  uses: string;
  manifest: StageManifest;
  /** one entry when the stage has no variants (name ''), else one per variant (merged params) */
  variants: Array<{ name: string; params: unknown }>;
  where: string;
}

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

export interface ResolvedPipeline {
  file: string;
  /** pipeline after scenario inlining and --set, with defaults: rerunning it reproduces the run */
  spec: PipelineSpec;
  resolvedYaml: string;
  hash: string;
  rootSeed: number;
  points: SweepPoint[];
  registry: PluginRegistry;
  plugins: Array<{ spec: string; resolved: string; names: string[] }>;
  sets: string[];
  /** the frame source (`source:`), with what it told at validation */
  source?: ResolvedSource;
}

export interface LoadOptions {
  /** `--set dot.path=value` overrides, applied after the file is read */
  sets?: string[];
  registry: PluginRegistry;
  /** called to construct every stage once for every point (catches errors found at construction) */
  tryConstruct?: (point: SweepPoint) => Problem[];
  /** replaces the pipeline's `source:` (isacflow stream --source) */
  source?: { uses: string; params?: Record<string, unknown> };
}

type Locate = (path: readonly PathKey[], key?: boolean) => string;

/**
 * Reads, validates and resolves a pipeline file. Every problem in the file is collected and
 * reported at once as `file:line:col  path  message`; nothing runs before this succeeds.
 */
export async function loadPipeline(file: string, opts: LoadOptions): Promise<ResolvedPipeline> {
  const display = displayPath(file);
  const src = YamlSource.read(file, display);
  const syntax = src.syntaxProblems();
  if (syntax.length) throw new IsacflowError('invalid-pipeline', syntax);
  const raw = src.toJS();
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new IsacflowError('invalid-pipeline', [{ where: src.locate([]), path: '', message: 'a pipeline must be a YAML mapping (isacflow: 1, name, stages, ...)' }]);
  }
  const obj = raw as Record<string, unknown>;
  if (opts.source) obj.source = opts.source;
  const problems: Problem[] = [];

  // 1. Scenario given by path: inline it, remembering its own source for positions.
  let scenarioSrc: YamlSource | undefined;
  if (typeof obj.scenario === 'string') {
    const scenarioFile = resolve(dirname(file), obj.scenario);
    if (!existsSync(scenarioFile)) {
      problems.push({ where: src.locate(['scenario']), path: 'scenario', message: `scenario file not found: ${obj.scenario} (resolved to ${displayPath(scenarioFile)}); give a path relative to the pipeline file, or the scenario inline` });
      obj.scenario = {};
    } else {
      scenarioSrc = YamlSource.read(scenarioFile, displayPath(scenarioFile));
      const sp = scenarioSrc.syntaxProblems();
      if (sp.length) throw new IsacflowError('invalid-scenario', sp);
      obj.scenario = scenarioSrc.toJS() ?? {};
    }
  }

  // 2. --set overrides.
  const setPaths: Array<{ path: PathKey[]; text: string }> = [];
  for (const s of opts.sets ?? []) {
    const eq = s.indexOf('=');
    if (eq <= 0) {
      problems.push({ where: `--set ${s}`, path: '', message: "must be dot.path=value, e.g. --set scenario.snr.db=5" });
      continue;
    }
    const key = s.slice(0, eq).trim();
    const value = parseYamlValue(s.slice(eq + 1));
    const r = resolveDotPath(obj, key);
    if ('error' in r) {
      problems.push({ where: `--set ${s}`, path: key, message: r.error });
      continue;
    }
    setAtPath(obj, r.path, value);
    setPaths.push({ path: r.path, text: `--set ${s}` });
  }

  const locate: Locate = (path, key = false) => {
    const fromSet = setPaths.find((p) => pathStartsWith(path, p.path));
    if (fromSet) return fromSet.text;
    if (scenarioSrc && path[0] === 'scenario') return scenarioSrc.locate(path.slice(1), key);
    return src.locate(path, key);
  };

  // 3. Top-level shape. Problems are collected; validation goes on with what can be read.
  const top = pipelineSchema.safeParse(obj);
  if (!top.success) problems.push(...zodProblems(top.error, [], locate, pipelineKeysAt));
  const spec: PipelineSpec = top.success ? top.data : lenientSpec(obj);

  // 4. Plugins (before stages, so that plugin stages and solvers are known).
  const plugins: ResolvedPipeline['plugins'] = [];
  for (let i = 0; i < spec.plugins.length; i++) {
    const p = spec.plugins[i] as string;
    try {
      plugins.push(await loadPluginModule(p, dirname(file), opts.registry));
    } catch (e) {
      problems.push({ where: locate(['plugins', i]), path: `plugins[${i}]`, message: (e as Error).message });
    }
  }

  // 4b. Frame source: a recording's system and AP geometry replace the scenario's (src/sources).
  const source = resolveSource(obj, spec, opts.registry, locate, problems);
  const truthFree = source !== undefined && !source.info.truth;

  // 5. Sweep keys resolve to paths.
  const sweepPaths: Array<{ dot: string; path: PathKey[]; values: unknown[] }> = [];
  for (const [dot, values] of Object.entries(spec.sweep)) {
    const r = resolveDotPath(obj, dot);
    if ('error' in r) problems.push({ where: locate(['sweep', dot], true), path: `sweep.${dot}`, message: r.error });
    else if (r.path[0] !== 'scenario' && r.path[0] !== 'stages' && r.path[0] !== 'run') {
      problems.push({ where: locate(['sweep', dot], true), path: `sweep.${dot}`, message: `can only sweep keys under scenario, stages or run (got '${dot}')` });
    } else sweepPaths.push({ dot, path: r.path, values });
  }

  // 6. Each sweep point: apply values, validate scenario and stages.
  const combos = cartesian(sweepPaths.map((s) => s.values));
  const points: SweepPoint[] = [];
  for (let pi = 0; pi < combos.length; pi++) {
    const combo = combos[pi] as unknown[];
    const pointObj = structuredClone(obj);
    const values: Record<string, unknown> = {};
    sweepPaths.forEach((s, k) => {
      setAtPath(pointObj, s.path, combo[k]);
      values[s.dot] = combo[k];
    });
    const pointLocate: Locate = (path, key) => {
      const sw = sweepPaths.find((s) => pathStartsWith(path, s.path));
      return sw ? locate(['sweep', sw.dot], true) : locate(path, key);
    };
    const pp = pipelineSchema.safeParse(pointObj);
    if (!pp.success && top.success) problems.push(...zodProblems(pp.error, [], pointLocate, pipelineKeysAt));
    const pointSpec = pp.success ? pp.data : lenientSpec(pointObj);
    const scen = scenarioSchemaFor(pointSpec.scenario ?? {}, { truthFree }).safeParse(pointSpec.scenario ?? {});
    if (!scen.success) problems.push(...zodProblems(scen.error, ['scenario'], pointLocate, (p) => scenarioKeysAt(p.slice(1))));
    const stages = resolveStages(pointSpec, opts.registry, pointLocate, problems, source?.info.provides);
    if (stages && source) problems.push(...sourceStageProblems(stages, source.info, source.uses));
    if (!pp.success || !scen.success || !stages) continue;
    const point: SweepPoint = { index: pi, values, key: JSON.stringify(values), spec: { ...pp.data, scenario: scen.data }, scenario: scen.data, stages, ...(source ? { source: source.instance } : {}) };
    points.push(point);
  }
  if (problems.length === 0 && opts.tryConstruct) {
    for (const p of points) problems.push(...opts.tryConstruct(p));
  }
  if (problems.length) throw new IsacflowError('invalid-pipeline', dedupe(problems));

  const first = points[0] as SweepPoint;
  const resolvedSpec: PipelineSpec = { ...spec, scenario: structuredClone((scenarioSchemaFor(obj.scenario ?? {}, { truthFree }).parse(obj.scenario ?? {}))) };
  const resolvedYaml = stringify(resolvedSpec, { lineWidth: 0 });
  const rootSeed = spec.run.seed ?? first.scenario.seed;
  return {
    file,
    spec: resolvedSpec,
    resolvedYaml,
    hash: createHash('sha256').update(resolvedYaml).digest('hex'),
    rootSeed,
    points,
    registry: opts.registry,
    plugins,
    sets: opts.sets ?? [],
    ...(source ? { source } : {}),
  };
}

function resolveStages(spec: PipelineSpec, registry: PluginRegistry, locate: Locate, problems: Problem[], provided: readonly string[] = []): ResolvedStage[] | undefined {
  const out: ResolvedStage[] = [];
  const ids = new Map<string, number>();
  const available = new Map<string, string>(provided.map((f) => [f, 'source'])); // data field -> stage id that adds it
  let ok = true;
  spec.stages.forEach((entry, i) => {
    const id = entry.id ?? entry.uses;
    const where = locate(['stages', i, 'uses']);
    if (ids.has(id)) {
      problems.push({ where: locate(['stages', i, entry.id ? 'id' : 'uses']), path: `stages[${i}].id`, message: `duplicate stage id '${id}' (also stages[${ids.get(id)}]); give each stage its own id` });
      ok = false;
    }
    ids.set(id, i);
    if (!registry.has('stage', entry.uses)) {
      const names = registry.names('stage');
      problems.push({ where, path: `stages[${i}].uses`, message: `unknown stage '${entry.uses}'${suggestion(entry.uses, names)} (isacflow list shows all: ${names.join(', ')})` });
      ok = false;
      return;
    }
    const manifest = registry.manifest('stage', entry.uses);
    const variants: ResolvedStage['variants'] = [];
    const variantEntries = entry.variants ? Object.entries(entry.variants) : [['', {}] as [string, Record<string, unknown>]];
    for (const [name, vparams] of variantEntries) {
      const merged = { ...entry.params, ...vparams };
      const r = (manifest.params as z.ZodType).safeParse(merged);
      if (!r.success) {
        ok = false;
        for (const p of zodProblems(r.error, [])) {
          const key = p.path.split(/[.[]/)[0] ?? '';
          const inVariant = name !== '' && key in vparams;
          const path: PathKey[] = inVariant ? ['stages', i, 'variants', name, key] : ['stages', i, 'params', ...(key ? [key] : [])];
          const unknown = /^unknown key '([^']+)'/.exec(p.message);
          const keys = Object.keys(((manifest.params as unknown as { shape?: object }).shape ?? {}) as object);
          const message = unknown ? `unknown parameter '${unknown[1]}' of stage '${entry.uses}'${suggestion(unknown[1] as string, keys)} (parameters: ${keys.join(', ')})` : `${entry.uses}: ${p.message}`;
          problems.push({ where: locate(path, !!unknown), path: formatPath(path) + (p.path.includes('.') || p.path.includes('[') ? p.path.slice(key.length) : ''), message });
        }
        continue;
      }
      variants.push({ name, params: r.data });
    }
    for (const need of manifest.reads) {
      if (!available.has(need)) {
        const providers = registry
          .all()
          .filter((m): m is StageManifest => m.kind === 'stage' && (m as StageManifest).adds.includes(need))
          .map((m) => m.name);
        problems.push({
          where,
          path: `stages[${i}]`,
          message: `stage '${id}' (${entry.uses}) reads '${need}' but no earlier stage adds it${providers.length ? `; put a stage that adds it (${providers.join(', ')}) before it` : ''}`,
        });
        ok = false;
      }
    }
    for (const a of manifest.adds) available.set(a, id);
    out.push({ index: i, id, uses: entry.uses, manifest, variants, where });
  });
  return ok ? out : undefined;
}

/** Imports a plugin module and registers every manifest it exports. */
export async function loadPluginModule(specifier: string, baseDir: string, registry: PluginRegistry): Promise<{ spec: string; resolved: string; names: string[] }> {
  const isPath = specifier.startsWith('.') || specifier.startsWith('/') || isAbsolute(specifier);
  const target = isPath ? resolve(baseDir, specifier) : specifier;
  if (isPath && !existsSync(target)) throw new Error(`plugin module not found: ${specifier} (resolved to ${displayPath(target)})`);
  let mod: Record<string, unknown>;
  try {
    if (isPath) {
      // tsx's tsImport loads a TypeScript or JavaScript file as an ES module wherever it lives (no
      // package.json needed).
      const { tsImport } = await import('tsx/esm/api');
      mod = unwrapInterop((await tsImport(pathToFileURL(target).href, import.meta.url)) as Record<string, unknown>);
    } else {
      mod = (await import(isPath ? pathToFileURL(target).href : target)) as Record<string, unknown>;
    }
  } catch (e) {
    const syntax = isPath ? await syntaxError(target) : undefined;
    const reason = syntax ?? (e as Error).message.split('\n')[0];
    throw new Error(`plugin ${specifier} failed to load: ${reason}`, { cause: e });
  }
  const manifests: AnyManifest[] = [];
  const visit = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (isManifest(v)) manifests.push(v);
  };
  if (typeof mod.default === 'function' && !isManifest(mod.default)) {
    // A factory plugin: `export default (api) => manifests`, needing nothing installed (src/plugin-api.ts).
    try {
      visit(await (mod.default as (api: unknown) => unknown)(pluginApi));
    } catch (e) {
      throw new Error(`plugin ${specifier} failed to load: its default export threw: ${(e as Error).message}`, { cause: e });
    }
  }
  Object.entries(mod).forEach(([k, v]) => {
    if (k !== 'default' || !(typeof v === 'function')) visit(v);
  });
  if (manifests.length === 0) {
    throw new Error(`plugin ${specifier} exports no plugin manifest (export a defineSolver/defineStage/definePlugin result, or a default function (api) => manifests)`);
  }
  registry.registerAll(manifests, isPath ? displayPath(target) : specifier);
  return { spec: specifier, resolved: isPath ? displayPath(target) : specifier, names: manifests.map((m) => `${m.kind}:${m.name}`) };
}

/** A TypeScript file compiled as CommonJS arrives as { default: module.exports }: take the exports. */
function unwrapInterop(mod: Record<string, unknown>): Record<string, unknown> {
  const d = mod.default;
  const keys = Object.keys(mod).filter((k) => k !== 'module.exports');
  if (keys.length === 1 && d !== null && typeof d === 'object' && !isManifest(d) && !Array.isArray(d)) return d as Record<string, unknown>;
  return mod;
}

/** The first syntax error of a TypeScript/JavaScript file as `line:col message`, if any (esbuild). */
async function syntaxError(file: string): Promise<string | undefined> {
  try {
    const { transform } = await import('esbuild');
    const { readFileSync } = await import('node:fs');
    await transform(readFileSync(file, 'utf8'), { loader: file.endsWith('.js') || file.endsWith('.mjs') ? 'js' : 'ts', sourcefile: file });
    return undefined;
  } catch (e) {
    const errs = (e as { errors?: Array<{ text: string; location?: { line: number; column: number } }> }).errors;
    const first = errs?.[0];
    if (!first) return undefined;
    return `syntax error at ${displayPath(file)}:${first.location?.line ?? 0}:${(first.location?.column ?? 0) + 1}: ${first.text}`;
  }
}

function isManifest(v: unknown): v is AnyManifest {
  if (v === null || typeof v !== 'object') return false;
  const m = v as Record<string, unknown>;
  return typeof m.kind === 'string' && typeof m.name === 'string' && typeof m.params === 'object' && m.params !== null && (typeof m.create === 'function' || typeof m.stage === 'function');
}

/**
 * Best-effort reading of a pipeline whose top level is invalid, so that the scenario and the
 * stages can still be checked and every problem reported at once.
 */
function lenientSpec(obj: Record<string, unknown>): PipelineSpec {
  const stagesRaw = Array.isArray(obj.stages) ? obj.stages : [];
  const stages = stagesRaw.flatMap((e) => {
    const r = stageEntrySchema.safeParse(e);
    return r.success ? [r.data] : [];
  });
  const sweep = obj.sweep && typeof obj.sweep === 'object' && !Array.isArray(obj.sweep) ? (obj.sweep as Record<string, unknown>) : {};
  return {
    isacflow: 1,
    name: 'invalid',
    plugins: Array.isArray(obj.plugins) ? obj.plugins.filter((p): p is string => typeof p === 'string') : [],
    scenario: obj.scenario,
    run: { trials: 1, frames: 1, workers: 'auto' },
    sweep: Object.fromEntries(Object.entries(sweep).filter(([, v]) => Array.isArray(v) && v.length > 0)) as Record<string, unknown[]>,
    stages,
    outputs: { plots: [], report: true, summary: summaryOptionsSchema.parse({}), sections: [] },
  };
}

function cartesian(lists: unknown[][]): unknown[][] {
  let out: unknown[][] = [[]];
  for (const l of lists) out = out.flatMap((prefix) => l.map((v) => [...prefix, v]));
  return out;
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = `${p.where}|${p.path}|${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function displayPath(p: string): string {
  const r = relative(process.cwd(), p);
  return r.startsWith('..') || isAbsolute(r) ? p : r;
}

