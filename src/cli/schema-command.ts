import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { builtinRegistry } from '../builtins.js';
import { pipelineJsonSchema } from '../core/pipeline-json-schema.js';

export async function schemaCommand(out: string): Promise<void> {
  const schema = pipelineJsonSchema(builtinRegistry());
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(schema, null, 2) + '\n');
  process.stdout.write(
    `wrote ${out} (add "# yaml-language-server: $schema=${out}" at the top of a pipeline for completion)\n`,
  );
}
