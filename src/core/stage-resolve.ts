import { chainProblems } from './port-chain.js';
import type { z } from 'zod';
import { suggestion } from './did-you-mean.js';
import type { Problem } from './errors.js';
import type { Locate } from './load-state.js';
import type { StageManifest } from './plugin.js';
import type { PluginRegistry } from './plugin-registry.js';
import type { PipelineSpec } from './pipeline-schema.js';
import { formatPath, zodProblems, type PathKey } from './zod-problems.js';

export interface ResolvedStage {
  index: number;
  id: string;
  uses: string;
  manifest: StageManifest;
  /** one entry when the stage has no variants (name ''), else one per variant (merged params) */
  variants: Array<{ name: string; params: unknown }>;
  where: string;
}

/**
 * Resolves the stage list of a pipeline: names known, ids unique, params valid for every variant,
 * and each stage's inputs added by an earlier stage. Every problem is collected; undefined when
 * there was any. With `namesUnknowable` (plugins were not loaded) an unknown stage name is not
 * reported, as a plugin might have defined it.
 */
export function resolveStages(
  spec: PipelineSpec,
  registry: PluginRegistry,
  locate: Locate,
  problems: Problem[],
  namesUnknowable = false,
  /** receives the stages that resolved, also when others did not (for construction checks) */
  good: ResolvedStage[] = [],
  /** fields the frame source adds to every frame before the first stage (`source:`) */
  provided: readonly string[] = [],
): ResolvedStage[] | undefined {
  const out: ResolvedStage[] = [];
  const ids = new Map<string, number>();
  let ok = true;
  let chainKnown = true;
  spec.stages.forEach((entry, i) => {
    const id = entry.id ?? entry.uses;
    const where = locate(['stages', i, 'uses']);
    if (ids.has(id)) {
      problems.push({
        where: locate(['stages', i, entry.id ? 'id' : 'uses']),
        path: `stages[${i}].id`,
        message: `duplicate stage id '${id}' (also stages[${ids.get(id)}]); give each stage its own id`,
      });
      ok = false;
    }
    ids.set(id, i);
    if (!registry.has('stage', entry.uses)) {
      const names = registry.names('stage');
      if (!namesUnknowable)
        problems.push({
          where,
          path: `stages[${i}].uses`,
          message: `unknown stage '${entry.uses}'${suggestion(entry.uses, names)} (isacflow list shows all: ${names.join(', ')})`,
        });
      ok = false;
      chainKnown = false;
      return;
    }
    const manifest = registry.manifest('stage', entry.uses);
    const variants: ResolvedStage['variants'] = [];
    const variantEntries = entry.variants
      ? Object.entries(entry.variants)
      : [['', {}] as [string, Record<string, unknown>]];
    for (const [name, vparams] of variantEntries) {
      const merged = { ...entry.params, ...vparams };
      const r = (manifest.params as z.ZodType).safeParse(merged);
      if (!r.success) {
        ok = false;
        for (const p of zodProblems(r.error, [])) {
          const key = p.path.split(/[.[]/)[0] ?? '';
          const inVariant = name !== '' && Object.hasOwn(vparams, key);
          const path: PathKey[] = inVariant
            ? ['stages', i, 'variants', name, key]
            : ['stages', i, 'params', ...(key ? [key] : [])];
          const unknown = /^unknown key '([^']+)'/.exec(p.message);
          const keys = Object.keys(
            ((manifest.params as unknown as { shape?: object }).shape ?? {}) as object,
          );
          const message = unknown
            ? `unknown parameter '${unknown[1]}' of stage '${entry.uses}'${suggestion(unknown[1] as string, keys)} (parameters: ${keys.join(', ')})`
            : `${entry.uses}: ${p.message}`;
          problems.push({
            where: locate(path, !!unknown),
            path:
              formatPath(path) +
              (p.path.includes('.') || p.path.includes('[') ? p.path.slice(key.length) : ''),
            message,
          });
        }
        continue;
      }
      variants.push({ name, params: r.data });
    }
    const resolved = { index: i, id, uses: entry.uses, manifest, variants, where };
    out.push(resolved);
    if (variants.length > 0) good.push({ ...resolved });
  });
  if (chainKnown) {
    const chain = chainProblems(out, registry, provided); // reads/adds by port and type (port-chain.ts)
    problems.push(...chain);
    if (chain.length > 0) ok = false;
  }
  return ok ? out : undefined;
}
