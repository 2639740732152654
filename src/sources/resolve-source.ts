import { IsacflowError, type Problem } from '../core/errors.js';
import { suggestion } from '../core/did-you-mean.js';
import type { PluginRegistry } from '../core/plugin-registry.js';
import type { PipelineSpec } from '../core/pipeline-schema.js';
import type { FrameSource, SourceInfo } from './source-types.js';

export interface ResolvedSource {
  uses: string;
  instance: FrameSource;
  info: SourceInfo;
}

type Locate = (path: readonly (string | number)[], key?: boolean) => string;

/**
 * Builds the pipeline's frame source (`source: { uses, params }`) and applies what it knows to the
 * raw pipeline before the scenario is validated: the system and AP geometry (and SNR, seed) of a
 * recording replace the scenario's, a truth-free source needs no targets (`targets: []`), and a
 * recording's trials and frames are the defaults of run.trials and run.frames. Problems are added
 * to `problems`; returns undefined when there is no `source:` or it cannot be built.
 */
export function resolveSource(
  obj: Record<string, unknown>,
  spec: PipelineSpec,
  registry: PluginRegistry,
  locate: Locate,
  problems: Problem[],
): ResolvedSource | undefined {
  const raw = obj.source as { uses?: unknown; params?: unknown } | undefined;
  if (raw === undefined || raw === null || typeof raw !== 'object' || typeof raw.uses !== 'string')
    return undefined; // shape errors: pipeline schema
  const uses = raw.uses;
  if (!registry.has('source', uses)) {
    const names = registry.names('source');
    problems.push({
      where: locate(['source', 'uses']),
      path: 'source.uses',
      message: `unknown source '${uses}'${suggestion(uses, names)} (known: ${names.join(', ')}; a source plugin may add more)`,
    });
    return undefined;
  }
  let instance: FrameSource;
  try {
    const params = registry.parseParams('source', uses, raw.params ?? {}, locate(['source', 'params']));
    instance = registry.manifest('source', uses).create(params, { registry }) as FrameSource;
  } catch (e) {
    if (!(e instanceof IsacflowError)) throw e;
    for (const p of e.problems) {
      problems.push({
        where: p.where || locate(['source', 'params']),
        path: p.path ? `source.${p.path.replace(/^source\./, '')}` : 'source',
        message: `source '${uses}': ${p.message}`,
      });
    }
    return undefined;
  }
  const info = instance.info();
  const scen =
    obj.scenario && typeof obj.scenario === 'object' && !Array.isArray(obj.scenario)
      ? (obj.scenario as Record<string, unknown>)
      : {};
  if (info.scenario) {
    scen.system = info.scenario.system;
    scen.aps = info.scenario.aps;
    if (scen.snr === undefined && info.scenario.snr) scen.snr = info.scenario.snr;
    if (scen.seed === undefined && info.scenario.seed !== undefined) scen.seed = info.scenario.seed;
  }
  if (!info.truth && scen.targets === undefined) scen.targets = [];
  obj.scenario = scen;
  const run = (obj.run && typeof obj.run === 'object' ? obj.run : {}) as Record<string, unknown>;
  if (run.trials === undefined && info.trials !== undefined) {
    run.trials = info.trials;
    spec.run.trials = info.trials;
  }
  if (run.frames === undefined && info.frames !== undefined) {
    run.frames = info.frames;
    spec.run.frames = info.frames;
  }
  obj.run = run;
  // a recording has so many trials and frames per trial: asking for more would leave trials short
  for (const key of ['trials', 'frames'] as const) {
    const have = info[key];
    const want = run[key];
    if (have !== undefined && typeof want === 'number' && want > have) {
      problems.push({
        where: locate(['run', key]),
        path: `run.${key}`,
        message: `is ${want} but the recording (${info.origin}) has ${have} ${key === 'trials' ? 'trial(s)' : 'frame(s) per trial'}; give at most ${have} or leave run.${key} out`,
      });
    }
  }
  return { uses, instance, info };
}
