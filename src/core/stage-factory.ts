import { Container } from 'inversify';
import type { Scenario } from '../isac/scenario-types.js';
import { IsacflowError, type Problem } from './errors.js';
import type { Stage } from './plugin.js';
import type { PluginRegistry } from './plugin-registry.js';
import type { ResolvedStage, SweepPoint } from './pipeline-loader.js';
import { TOKENS } from './tokens.js';

export interface BuiltStage {
  id: string;
  uses: string;
  variants: Array<{ name: string; instance: Stage }>;
  where: string;
}

/**
 * Builds the stage instances of one sweep point through inversify: a root container holds the
 * registry and the scenario; each stage (and variant) gets a child container that binds its
 * params and id, so a stage class receives exactly what it `@inject`s.
 */
export function buildStages(point: SweepPoint, registry: PluginRegistry): BuiltStage[] {
  const root = new Container();
  root.bind<PluginRegistry>(TOKENS.PluginRegistry).toConstantValue(registry);
  root.bind<Scenario>(TOKENS.Scenario).toConstantValue(point.scenario);
  return point.stages.map((s: ResolvedStage) => ({
    id: s.id,
    uses: s.uses,
    where: s.where,
    variants: s.variants.map((v) => {
      const c = new Container({ parent: root });
      c.bind(TOKENS.StageParams).toConstantValue(v.params);
      c.bind(TOKENS.StageId).toConstantValue(s.id);
      c.bind(TOKENS.Stage).to(s.manifest.stage);
      try {
        return { name: v.name, instance: c.get<Stage>(TOKENS.Stage) };
      } catch (e) {
        if (IsacflowError.is(e)) {
          throw new IsacflowError(
            e.kind,
            e.problems.map((p) => ({
              ...p,
              where: p.where || s.where,
              path: p.path || `stages[${s.index}]${v.name ? `.variants.${v.name}` : ''}`,
            })),
          );
        }
        throw new IsacflowError(
          'invalid-pipeline',
          [
            {
              where: s.where,
              path: `stages[${s.index}]`,
              message: `stage '${s.id}' (${s.uses}) could not be constructed: ${(e as Error).message}`,
            },
          ],
          { cause: e },
        );
      }
    }),
  }));
}

/** Construction problems of a point (for validation), empty when every stage builds. */
export function constructionProblems(point: SweepPoint, registry: PluginRegistry): Problem[] {
  try {
    buildStages(point, registry);
    return [];
  } catch (e) {
    if (IsacflowError.is(e)) return e.problems;
    throw e;
  }
}
