import { builtinRegistry } from '../builtins.js';
import { IsacflowError } from '../core/errors.js';
import { loadPipeline, type ResolvedPipeline } from '../core/pipeline-loader.js';
import { constructionProblems } from '../core/stage-factory.js';
import { materialise, renameIn, type Materialised, type RunSnapshot } from './snapshot.js';

/** An IsacflowError with materialised paths replaced by the user's names. */
export function renamedError(e: unknown, names: Materialised['names']): unknown {
  if (!IsacflowError.is(e)) return e;
  const err = e;
  return new IsacflowError(
    err.kind,
    err.problems.map((p) => ({
      where: renameIn(p.where, names),
      path: p.path,
      message: renameIn(p.message, names),
    })),
    { cause: e },
  );
}

/**
 * Loads a pipeline from a run's input snapshot instead of the user's files: the loader reads
 * content-addressed copies, and every location it reports (stage positions, errors) names the
 * original files. The result carries the original file name, hash and --set values.
 */
export async function loadFromSnapshot(
  s: RunSnapshot,
  opts: { construct?: boolean } = {},
): Promise<ResolvedPipeline> {
  const m = materialise(s);
  const registry = builtinRegistry();
  let resolved: ResolvedPipeline;
  try {
    resolved = await loadPipeline(m.file, {
      sets: s.sets,
      sweeps: s.sweeps ?? [],
      registry,
      ...(opts.construct ? { tryConstruct: (p) => constructionProblems(p, registry) } : {}),
    });
  } catch (e) {
    throw renamedError(e, m.names);
  }
  for (const p of resolved.points) for (const st of p.stages) st.where = renameIn(st.where, m.names);
  for (const pl of resolved.plugins) pl.resolved = renameIn(pl.resolved, m.names);
  for (const [from, to] of m.names)
    for (const [k, v] of registry.origin)
      if (v.includes(from)) registry.origin.set(k, renameIn(v, [[from, to]]));
  return { ...resolved, file: s.file, hash: s.pipelineHash, sets: [...s.sets] };
}
