import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtinRegistry } from '../../src/builtins.js';
import { pipelineJsonSchema } from '../../src/core/pipeline-json-schema.js';

describe('schema/pipeline.schema.json', () => {
  it('is generated from the same zod schemas that validate pipelines (run `npm run schema` after changing a parameter)', () => {
    const generated = pipelineJsonSchema(builtinRegistry());
    const committed = JSON.parse(readFileSync('schema/pipeline.schema.json', 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(generated)));
  });

  it('specialises stages by name with their parameters and defaults', () => {
    const s = pipelineJsonSchema(builtinRegistry()) as {
      properties: {
        stages: {
          items: {
            anyOf: Array<{
              properties: {
                uses: { const: string };
                params: { properties: Record<string, { default?: unknown }> };
              };
            }>;
          };
        };
      };
    };
    const echo = s.properties.stages.items.anyOf.find((e) => e.properties.uses.const === 'echo-generator')!;
    expect(echo.properties.params.properties.noise!.default).toBe(true);
  });
});
