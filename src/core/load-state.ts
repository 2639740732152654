import type { Problem } from './errors.js';
import type { YamlSource } from './yaml-source.js';
import type { PathKey } from './zod-problems.js';

export type Locate = (path: readonly PathKey[], key?: boolean) => string;

/**
 * What loadPipeline's steps (read -> apply overrides -> load plugins -> expand sweeps -> finalise)
 * pass along: the raw pipeline object, where its parts came from, and every problem found so far.
 */
export interface LoadState {
  /** absolute path of the pipeline file */
  file: string;
  /** the pipeline file as shown in messages */
  display: string;
  /** folder that relative paths in the pipeline start from */
  baseDir: string;
  src: YamlSource;
  /** the scenario's own file when `scenario:` named one */
  scenarioSrc?: YamlSource;
  /** the pipeline as plain data, scenario inlined, overrides applied */
  obj: Record<string, unknown>;
  problems: Problem[];
  /** `--set` paths (concrete) and their argument text, for locating what they set */
  setPaths: Array<{ path: PathKey[]; text: string }>;
  /** sweep keys set from the command line (`--sweep`) and their argument text */
  cliSweeps: Map<string, string>;
  /** what the user should know (printed on stderr by the CLI), e.g. a sweep replaced by --set */
  notices: string[];
}

/** `file:line:col` (or the --set / --sweep argument) of a path of the pipeline object. */
export function locator(state: LoadState): Locate {
  return (path, key = false) => {
    if (path[0] === 'sweep' && typeof path[1] === 'string') {
      const cli = state.cliSweeps.get(path[1]);
      if (cli !== undefined) return cli;
    }
    const fromSet = [...state.setPaths]
      .reverse()
      .find((p) => p.path.length <= path.length && p.path.every((k, i) => path[i] === k));
    if (fromSet) return fromSet.text;
    if (state.scenarioSrc && path[0] === 'scenario') return state.scenarioSrc.locate(path.slice(1), key);
    return state.src.locate(path, key);
  };
}
