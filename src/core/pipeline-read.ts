import { resolveBundledPath } from './bundled-path.js';
import { dirname } from 'node:path';
import { displayPath } from './display-path.js';
import { IsacflowError, type Problem } from './errors.js';
import type { LoadState } from './load-state.js';
import { resolveUserPath, type FileLimits } from './user-file.js';
import { YamlSource } from './yaml-source.js';

/**
 * Step 1 of loadPipeline: reads the pipeline file (and a scenario it names by path, relative to
 * the pipeline file or ~/...) safely, and turns it into plain data. Problems that leave nothing to
 * check (the pipeline unreadable, not YAML, not a mapping, unsafe) are thrown at once; a scenario
 * file's problems are collected and the default scenario stands in for it.
 */
export async function readPipeline(fileArg: string, limits?: FileLimits): Promise<LoadState> {
  const file = resolveUserPath(process.cwd(), fileArg);
  const display = displayPath(file);
  const src = await YamlSource.readUser(file, display, 'pipeline', '', limits);
  if (!(src instanceof YamlSource)) throw new IsacflowError('io', [src]);
  const obj = plainData(src, 'invalid-pipeline');
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    throw new IsacflowError('invalid-pipeline', [
      {
        where: src.locate([]),
        path: '',
        message: 'a pipeline must be a YAML mapping (isacflow: 1, name, stages, ...)',
      },
    ]);
  }
  const state: LoadState = {
    file,
    display,
    baseDir: dirname(file),
    src,
    obj: obj as Record<string, unknown>,
    problems: [],
    setPaths: [],
    cliSweeps: new Map(),
    notices: [],
  };
  await inlineScenario(state, state.baseDir, state.src.locate(['scenario']), limits);
  return state;
}

/**
 * A `scenario:` that is a path is replaced by the file's content (its own source kept for
 * positions); anything but a path, a mapping or nothing is a problem.
 */
export async function inlineScenario(
  state: LoadState,
  baseDir: string,
  where: string,
  limits?: FileLimits,
): Promise<void> {
  const sc = state.obj.scenario;
  if (sc === undefined || sc === null) return;
  if (typeof sc !== 'string') {
    if (typeof sc !== 'object' || Array.isArray(sc)) {
      state.problems.push({
        where,
        path: 'scenario',
        message: `must be a path to a scenario YAML file or the scenario inline as a mapping (got ${Array.isArray(sc) ? 'a list' : typeof sc})`,
      });
      state.obj.scenario = {};
    }
    return;
  }
  const target = resolveBundledPath(sc, baseDir) ?? resolveUserPath(baseDir, sc);
  const scenarioSrc = await YamlSource.readUser(target, sc, 'scenario', where, limits);
  state.obj.scenario = {};
  if (!(scenarioSrc instanceof YamlSource)) {
    const notFound = scenarioSrc.message.includes('not found');
    if (!notFound) state.problems.push(scenarioSrc);
    else
      state.problems.push({
        ...scenarioSrc,
        message: `${scenarioSrc.message} (resolved to ${displayPath(target)}; give a path relative to the pipeline file${baseDir === process.cwd() ? ' or the current folder' : ''}, ~/ for the home folder, or the scenario inline)`,
      });
    return;
  }
  try {
    const value = plainData(scenarioSrc, 'invalid-scenario');
    if (value !== null && value !== undefined && (typeof value !== 'object' || Array.isArray(value))) {
      state.problems.push({
        where: scenarioSrc.locate([]),
        path: 'scenario',
        message: 'a scenario file must hold a YAML mapping (system, aps, targets, snr, seed)',
      });
      return;
    }
    state.obj.scenario = value ?? {};
    state.scenarioSrc = scenarioSrc;
  } catch (e) {
    if (!IsacflowError.is(e)) throw e;
    state.problems.push(...e.problems);
  }
}

/** The document as plain data, or an error with every syntax and structure problem located. */
function plainData(src: YamlSource, kind: 'invalid-pipeline' | 'invalid-scenario'): unknown {
  const problems: Problem[] = [...src.syntaxProblems()];
  if (problems.length === 0) problems.push(...src.structureProblems());
  if (problems.length) throw new IsacflowError(kind, problems);
  const r = src.toJSChecked();
  if ('problem' in r) throw new IsacflowError(kind, [r.problem]);
  return r.value;
}
