import { createHash } from 'node:crypto';
import { stringify } from 'yaml';
import { scenarioSchemaFor } from '../isac/scenario-schema.js';
import { constructionProblems } from './construct-check.js';
import { IsacflowError, type Problem } from './errors.js';
import { DEFAULT_LIMITS, type Limits } from './limits.js';
import { lenientSpec } from './lenient-spec.js';
import { locator, type LoadState, type Locate } from './load-state.js';
import { outputProblems } from './output-checks.js';
import { applyOverrides } from './overrides.js';
import { checkPluginFile, loadPluginModule, type LoadedPlugin } from './plugin-loader.js';
import { resolveSource, type ResolvedSource } from '../sources/resolve-source.js';
import type { PluginRegistry } from './plugin-registry.js';
import { pipelineKeysAt, pipelineSchema, pluginEntry, type PipelineSpec } from './pipeline-schema.js';
import { readPipeline } from './pipeline-read.js';
import { expandSweeps, sweepKeys, sweepLocator, type SweepKey, type SweepPoint } from './sweep-expand.js';
import type { FileLimits } from './user-file.js';
import { zodProblems } from './zod-problems.js';

export type { ResolvedStage } from './stage-resolve.js';
export type { SweepPoint } from './sweep-expand.js';
export { loadPluginModule } from './plugin-loader.js';
export { displayPath } from './display-path.js';

export interface ResolvedPipeline {
  file: string;
  /** pipeline after scenario inlining, --set and --sweep, with defaults: rerunning it reproduces the run */
  spec: PipelineSpec;
  resolvedYaml: string;
  hash: string;
  rootSeed: number;
  points: SweepPoint[];
  registry: PluginRegistry;
  plugins: LoadedPlugin[];
  sets: string[];
  /** the `--sweep` arguments it was loaded with */
  sweeps: string[];
  /** things the user should know (e.g. a sweep replaced by --set); the CLI prints them on stderr */
  notices: string[];
  /** the frame source (`source:`), with what it told at validation */
  source?: ResolvedSource;
}

export interface LoadOptions {
  /** `--set dot.path=value` overrides, applied after the file is read */
  sets?: string[];
  /** `--sweep dot.path=[a, b]`: sets or replaces the sweep of a key */
  sweeps?: string[];
  registry: PluginRegistry;
  /** construct every stage once per distinct params/scenario (catches errors found at construction); default true */
  construct?: boolean;
  /** instead of the built-in construction check: problems found constructing one point's stages */
  tryConstruct?: (point: SweepPoint) => Problem[];
  /** file size and read-time limits (default from the environment) */
  fileLimits?: FileLimits;
  /** replaces the pipeline's `source:` (isacflow stream --source) */
  source?: { uses: string; params?: Record<string, unknown> };
}

/**
 * Reads, validates and resolves a pipeline file in named steps: read -> apply overrides -> load
 * plugins -> expand sweeps -> finalise. Every problem is collected and reported at once as
 * `file:line:col  path  message` (or the --set/--sweep argument); nothing runs before this succeeds.
 */
export async function loadPipeline(file: string, opts: LoadOptions): Promise<ResolvedPipeline> {
  const state = await readPipeline(file, opts.fileLimits);
  if (opts.source) state.obj.source = opts.source;
  await applyOverrides(state, opts.sets ?? [], opts.sweeps ?? [], opts.fileLimits);
  const locate = locator(state);
  const top = checkTopLevel(state, locate);
  const plugins = await loadPlugins(state, top, opts.registry, locate);
  // Step 3b. The frame source: a recording's system and AP geometry replace the scenario's (src/sources).
  const source =
    top && plugins ? resolveSource(state.obj, top, opts.registry, locate, state.problems) : undefined;
  const partial: SweepPoint[] = [];
  const { points, keys } = expand(state, top, plugins, opts.registry, locate, partial, source);
  return finalise(state, top, points, partial, plugins, opts, sweepLocator(keys, locate), source);
}

/** The top-level shape of the pipeline (names, run, sweep lists, stage entries, outputs, limits). */
function checkTopLevel(state: LoadState, locate: Locate): PipelineSpec | undefined {
  const top = pipelineSchema.safeParse(state.obj);
  if (top.success) return top.data;
  state.problems.push(...zodProblems(top.error, [], locate, pipelineKeysAt));
  return undefined;
}

/**
 * Step 3: the plugins the pipeline names, imported only once the pipeline file itself is valid
 * (plugins are code: a broken or hostile pipeline gets no further than its own problems).
 * Undefined when they were not loaded.
 */
async function loadPlugins(
  state: LoadState,
  top: PipelineSpec | undefined,
  registry: PluginRegistry,
  locate: Locate,
): Promise<LoadedPlugin[] | undefined> {
  if (!top || state.problems.length > 0) {
    // Not imported; their files are checked all the same (no code runs).
    const entries = Array.isArray(state.obj.plugins) ? (state.obj.plugins as unknown[]) : [];
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i];
      const module =
        typeof e === 'string'
          ? e
          : e !== null && typeof e === 'object' && typeof (e as { module?: unknown }).module === 'string'
            ? (e as { module: string }).module
            : undefined;
      if (module === undefined) continue;
      await checkPluginFile(module, state.baseDir).catch((err: Error) =>
        state.problems.push({ where: locate(['plugins', i]), path: `plugins[${i}]`, message: err.message }),
      );
    }
    return undefined;
  }
  const loaded: LoadedPlugin[] = [];
  for (let i = 0; i < top.plugins.length; i++) {
    const { module, override } = pluginEntry(
      top.plugins[i] as string | { module: string; override?: boolean },
    );
    try {
      loaded.push(await loadPluginModule(module, state.baseDir, registry, { override }));
    } catch (e) {
      state.problems.push({
        where: locate(['plugins', i]),
        path: `plugins[${i}]`,
        message: e instanceof Error ? e.message : String(e),
      });
    }
  }
  return loaded;
}

/** Step 4: the sweep points, each validated. */
function expand(
  state: LoadState,
  top: PipelineSpec | undefined,
  plugins: LoadedPlugin[] | undefined,
  registry: PluginRegistry,
  locate: Locate,
  partial: SweepPoint[],
  source: ResolvedSource | undefined,
): { points: SweepPoint[]; keys: SweepKey[] } {
  const spec = top ?? lenientSpec(state.obj);
  const limits: Limits = top?.limits ?? spec.limits ?? DEFAULT_LIMITS;
  const keys = sweepKeys(spec, state.obj, limits, locate, state.problems);
  if (!keys) return { points: [], keys: [] };
  const namesUnknowable =
    plugins === undefined &&
    spec.plugins.length + (Array.isArray(state.obj.plugins) ? state.obj.plugins.length : 0) > 0;
  const points = expandSweeps(
    {
      obj: state.obj,
      top,
      registry,
      limits,
      locate,
      problems: state.problems,
      namesUnknowable,
      partial,
      ...(source ? { source } : {}),
    },
    keys,
  );
  const first = points[0];
  if (top && first) {
    const branches = first.stages.reduce((n, s) => n * Math.max(1, s.variants.length), 1);
    const frames = points.reduce((n, p) => n + p.spec.run.frames, 0) * top.run.trials * branches;
    if (frames > limits.maxFrameRuns) {
      state.problems.push({
        where: locate(['run', 'trials']),
        path: 'run.trials',
        message: `the run would compute ${frames} frames (${points.length} point(s) x ${top.run.trials} trial(s) x frames${branches > 1 ? ` x ${branches} variant branches` : ''}), more than limits.maxFrameRuns = ${limits.maxFrameRuns}; run fewer or raise the limit under limits:`,
      });
    }
  }
  return { points, keys };
}

/** Step 5: construction and output checks, then the resolved pipeline (YAML, hash, seed). */
function finalise(
  state: LoadState,
  top: PipelineSpec | undefined,
  points: SweepPoint[],
  partial: SweepPoint[],
  plugins: LoadedPlugin[] | undefined,
  opts: LoadOptions,
  locate: Locate,
  source: ResolvedSource | undefined,
): ResolvedPipeline {
  const { problems } = state;
  if (top) problems.push(...outputProblems(top, locate));
  // Stages are constructed even when other parts have problems (one pass reports everything), but
  // not when plugins were not loaded (the pipeline file itself is invalid).
  if (opts.construct !== false && plugins !== undefined) {
    if (opts.tryConstruct) {
      if (problems.length === 0) for (const p of points) problems.push(...opts.tryConstruct(p));
    } else problems.push(...constructionProblems([...points, ...partial], opts.registry, locate));
  }
  if (problems.length || !top || points.length === 0) {
    if (problems.length === 0)
      problems.push({ where: state.display, path: '', message: 'no valid sweep point' });
    throw new IsacflowError('invalid-pipeline', dedupe(problems));
  }
  const first = points[0] as SweepPoint;
  const base = state.obj.scenario ?? {};
  const truthFree = source !== undefined && !source.info.truth;
  const scenario = scenarioSchemaFor(base, { truthFree }).safeParse(base);
  // The base scenario may be invalid only where every point's sweep replaces it (e.g. a swept key with no default).
  const resolvedSpec: PipelineSpec = {
    ...top,
    scenario: scenario.success ? structuredClone(scenario.data) : structuredClone(base),
  };
  const resolvedYaml = stringify(resolvedSpec, { lineWidth: 0 });
  return {
    file: state.file,
    spec: resolvedSpec,
    resolvedYaml,
    hash: createHash('sha256').update(resolvedYaml).digest('hex'),
    rootSeed: top.run.seed ?? first.scenario.seed,
    points,
    registry: opts.registry,
    plugins: plugins ?? [],
    sets: opts.sets ?? [],
    sweeps: opts.sweeps ?? [],
    notices: state.notices,
    ...(source ? { source } : {}),
  };
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
