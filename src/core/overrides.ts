import { getAtPath, pathStartsWith, resolveDotPath, setAtPath } from './dot-path.js';
import type { LoadState } from './load-state.js';
import { inlineScenario } from './pipeline-read.js';
import type { FileLimits } from './user-file.js';
import { formatPath, type PathKey } from './zod-problems.js';
import { YamlSource } from './yaml-source.js';

/**
 * Step 2 of loadPipeline: the command line's `--set dot.path=value` and `--sweep dot.path=[a, b]`.
 * A --set on a swept key (or on a mapping holding one) replaces that sweep by the single value; a
 * --sweep sets or replaces the sweep of its key. Both say so in `state.notices`.
 */
export async function applyOverrides(
  state: LoadState,
  sets: readonly string[],
  sweeps: readonly string[],
  limits?: FileLimits,
): Promise<void> {
  for (const s of sweeps) applySweep(state, s);
  for (const s of sets) await applySet(state, s, limits);
}

function splitArg(
  state: LoadState,
  flag: '--set' | '--sweep',
  s: string,
): { key: string; value: unknown; text: string } | undefined {
  const text = `${flag} ${s}`;
  const eq = s.indexOf('=');
  if (eq <= 0) {
    const example = flag === '--set' ? '--set scenario.snr.db=5' : "--sweep 'scenario.snr.db=[0, 10]'";
    state.problems.push({ where: text, path: '', message: `must be dot.path=value, e.g. ${example}` });
    return undefined;
  }
  const key = s.slice(0, eq).trim();
  const parsed = parseCliValue(s.slice(eq + 1));
  if ('error' in parsed) {
    state.problems.push({ where: text, path: key, message: parsed.error });
    return undefined;
  }
  return { key, value: parsed.value, text };
}

/** A YAML value from the command line, or why it is not one. */
export function parseCliValue(text: string): { value: unknown } | { error: string } {
  const src = new YamlSource('value', text);
  const syntax = src.syntaxProblems();
  if (syntax.length)
    return {
      error: `the value is not valid YAML (${(syntax[0]?.message ?? '').replace(/^YAML syntax: /, '')}); quote it for the shell, e.g. 'run.trials=[1, 2]'`,
    };
  const structure = src.structureProblems();
  if (structure.length) return { error: `the value ${structure[0]?.message ?? 'is not allowed'}` };
  const r = src.toJSChecked();
  if ('problem' in r) return { error: `the value ${r.problem.message}` };
  return { value: r.value };
}

/** The concrete paths of the sweep keys now in the pipeline, by key. */
function sweepPaths(state: LoadState): Array<{ dot: string; path: PathKey[] | undefined }> {
  const sw = state.obj.sweep;
  if (sw === null || typeof sw !== 'object' || Array.isArray(sw)) return [];
  return Object.keys(sw).map((dot) => {
    const r = resolveDotPath(state.obj, dot);
    return { dot, path: 'path' in r ? r.path : undefined };
  });
}

function deleteSweep(state: LoadState, dot: string): void {
  delete (state.obj.sweep as Record<string, unknown>)[dot];
}

function applySweep(state: LoadState, s: string): void {
  const a = splitArg(state, '--sweep', s);
  if (!a) return;
  if (!Array.isArray(a.value) || a.value.length === 0) {
    state.problems.push({
      where: a.text,
      path: a.key,
      message: "must give a non-empty list of values, e.g. --sweep 'scenario.snr.db=[0, 10, 20]'",
    });
    return;
  }
  const r = resolveDotPath(state.obj, a.key);
  if ('error' in r) {
    state.problems.push({ where: a.text, path: a.key, message: r.error });
    return;
  }
  let sw = state.obj.sweep;
  if (sw === undefined || sw === null) {
    sw = {};
    state.obj.sweep = sw;
  }
  if (typeof sw !== 'object' || Array.isArray(sw)) {
    state.problems.push({
      where: a.text,
      path: 'sweep',
      message: "the pipeline's sweep: is not a mapping, so --sweep cannot add to it",
    });
    return;
  }
  for (const other of sweepPaths(state)) {
    if (other.path && formatPath(other.path) === formatPath(r.path)) {
      deleteSweep(state, other.dot);
      state.notices.push(`${a.text}: replaces the pipeline's sweep of ${other.dot}`);
      state.cliSweeps.delete(other.dot);
    }
  }
  Object.defineProperty(sw, a.key, { value: a.value, writable: true, enumerable: true, configurable: true });
  state.cliSweeps.set(a.key, a.text);
}

async function applySet(state: LoadState, s: string, limits?: FileLimits): Promise<void> {
  const a = splitArg(state, '--set', s);
  if (!a) return;
  const r = resolveDotPath(state.obj, a.key);
  if ('error' in r) {
    state.problems.push({ where: a.text, path: a.key, message: r.error });
    return;
  }
  if (r.path[0] === 'sweep') {
    state.problems.push({
      where: a.text,
      path: a.key,
      message: "use --sweep 'dot.path=[a, b]' to set or replace a sweep",
    });
    return;
  }
  const scenarioFile = r.path.length === 1 && r.path[0] === 'scenario' && typeof a.value === 'string';
  for (const sw of scenarioFile ? [] : sweepPaths(state)) {
    if (!sw.path) continue;
    if (pathStartsWith(sw.path, r.path)) {
      // The sweep keeps its key (so plots and summaries over it still work) with the one value.
      const single = getAtPath(a.value, sw.path.slice(r.path.length));
      const was = sweepCount(state, sw.dot);
      state.cliSweeps.delete(sw.dot);
      if (single === undefined) {
        deleteSweep(state, sw.dot);
        state.notices.push(`${a.text}: replaces the sweep of ${sw.dot} (${was}); it is no longer swept`);
      } else {
        Object.defineProperty(state.obj.sweep, sw.dot, {
          value: [single],
          writable: true,
          enumerable: true,
          configurable: true,
        });
        state.cliSweeps.set(sw.dot, a.text);
        state.notices.push(
          `${a.text}: replaces the sweep of ${sw.dot} (${was}) by the single value ${JSON.stringify(single)}`,
        );
      }
    } else if (pathStartsWith(r.path, sw.path)) {
      state.problems.push({
        where: a.text,
        path: a.key,
        message: `lies inside the swept key ${sw.dot}: every sweep point replaces it; --set ${sw.dot}=... replaces the sweep, or --sweep changes it`,
      });
      return;
    }
  }
  const err = setAtPath(state.obj, r.path, a.value);
  if (err) {
    state.problems.push({ where: a.text, path: a.key, message: err });
    return;
  }
  state.setPaths.push({ path: r.path, text: a.text });
  if (scenarioFile) {
    // --set scenario=other.yaml: a path from the command line is relative to the current folder.
    state.scenarioSrc = undefined;
    await inlineScenario(state, process.cwd(), a.text, limits);
  }
}

function sweepCount(state: LoadState, dot: string): string {
  const v = (state.obj.sweep as Record<string, unknown> | undefined)?.[dot];
  return Array.isArray(v) ? `${v.length} value(s)` : 'its values';
}
