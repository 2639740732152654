import type { Problem } from '../core/errors.js';
import type { ResolvedStage } from '../core/pipeline-loader.js';
import { keyOf } from '../core/port.js';
import type { SourceInfo } from './source-types.js';

/**
 * Validation of a chain against its frame source: a stage that needs the true targets is refused
 * when the source has none (with the stage's own reason and what to use instead), and a stage that
 * adds a field the source already delivers (echo-generator on recorded echoes) is refused.
 */
export function sourceStageProblems(
  stages: readonly ResolvedStage[],
  info: SourceInfo,
  sourceName: string,
): Problem[] {
  const problems: Problem[] = [];
  const from = `the source '${sourceName}' (${info.origin})`;
  for (const s of stages) {
    const clash = s.manifest.adds.map(keyOf).filter((a) => info.provides.includes(a));
    if (clash.length) {
      problems.push({
        where: s.where,
        path: `stages[${s.index}]`,
        message: `stage '${s.id}' (${s.uses}) adds '${clash.join("', '")}', which ${from} already delivers with every frame: remove the stage`,
      });
      continue;
    }
    if (info.truth || !s.manifest.needsTruth) continue;
    for (const v of s.variants) {
      const need = s.manifest.needsTruth;
      const reason = typeof need === 'function' ? need(v.params) : 'it works on the true targets';
      if (!reason) continue;
      const variant = v.name ? ` (variant '${v.name}')` : '';
      problems.push({
        where: s.where,
        path: `stages[${s.index}]${v.name ? `.variants.${v.name}` : ''}`,
        message: `stage '${s.id}' (${s.uses})${variant} needs the true targets, but ${from} has none: ${reason}`,
      });
    }
  }
  return problems;
}
