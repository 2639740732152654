import type { Problem } from './errors.js';
import type { PluginLookup, StageManifest } from './plugin.js';
import { keyOf, typeOf, UNTYPED, type PortRef } from './port.js';
import { stagesAdding } from './stage-providers.js';

/** A stage of the chain as the check needs it. */
export interface ChainStage {
  index: number;
  id: string;
  uses: string;
  where: string;
  manifest: Pick<StageManifest, 'reads' | 'adds'>;
}

/**
 * Checks a chain of stages by port: every port a stage reads must be added by an earlier stage, and
 * where the reader and the latest adder both give a type (typed ports, not plain field names) the
 * types must agree. Returns one problem per refused read, located at the reading stage.
 */
export function chainProblems(
  stages: readonly ChainStage[],
  registry: PluginLookup,
  /** fields the frame source provides before the first stage (a recording's echoes) */
  provided: readonly string[] = [],
): Problem[] {
  const problems: Problem[] = [];
  const available = new Map<string, { port: PortRef; id: string; uses: string }>(
    provided.map((key) => [key, { port: key, id: 'source', uses: 'the frame source' }]),
  );
  for (const s of stages) {
    for (const need of s.manifest.reads) {
      const key = keyOf(need);
      const have = available.get(key);
      if (!have) {
        const providers = stagesAdding(registry, key);
        problems.push({
          where: s.where,
          path: `stages[${s.index}]`,
          message: `stage '${s.id}' (${s.uses}) reads '${key}' but no earlier stage adds it${providers.length ? `; put a stage that adds it (${providers.join(', ')}) before it` : ''}`,
        });
        continue;
      }
      const want = typeOf(need);
      const got = typeOf(have.port);
      if (want !== UNTYPED && got !== UNTYPED && want !== got) {
        problems.push({
          where: s.where,
          path: `stages[${s.index}]`,
          message: `stage '${s.id}' (${s.uses}) reads '${key}' as ${want}, but stage '${have.id}' (${have.uses}) adds '${key}' as ${got}; use a stage that adds ${want}, or read the port stage '${have.id}' declares`,
        });
      }
    }
    for (const a of s.manifest.adds) available.set(keyOf(a), { port: a, id: s.id, uses: s.uses });
  }
  return problems;
}
