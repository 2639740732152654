import { z } from 'zod';
import { scenarioSchema } from '../isac/scenario-schema.js';
import { pipelineSchema, stageEntrySchema } from './pipeline-schema.js';
import type { PluginRegistry } from './plugin-registry.js';

type Json = Record<string, unknown>;

const toJs = (s: z.ZodType): Json => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Json;

/**
 * JSON Schema of the pipeline format generated from the same zod schemas that validate it, with
 * `stages[]` specialised per stage name (params of that stage) and the scenario inline form.
 */
export function pipelineJsonSchema(registry: PluginRegistry): Json {
  const root = toJs(pipelineSchema);
  const props = root.properties as Record<string, Json>;
  props.scenario = {
    anyOf: [{ type: 'string', description: 'path to a scenario YAML file' }, toJs(scenarioSchema)],
  };
  const entry = toJs(stageEntrySchema);
  const stageVariants = registry.names('stage').map((name) => {
    const m = registry.manifest('stage', name);
    const params = toJs(m.params);
    delete params.$schema;
    const e = structuredClone(entry) as Json;
    const ep = e.properties as Record<string, Json>;
    ep.uses = { const: name, description: m.summary };
    ep.params = params;
    ep.variants = { type: 'object', additionalProperties: { ...params, required: [] } };
    return e;
  });
  props.stages = { type: 'array', minItems: 1, items: { anyOf: stageVariants } };
  return { $schema: 'https://json-schema.org/draft/2020-12/schema', title: 'isacflow pipeline', ...root };
}
