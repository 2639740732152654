import { cpSync, existsSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { IsacflowError } from '../core/errors.js';
import { packageRoot } from '../package-root.js';

/** The starter study `isacflow init` copies (shipped in the package; its plugins are tested fixtures). */
export const initTemplateDir = join(packageRoot, 'templates', 'init');

/**
 * `isacflow init DIR`: writes a starter study into DIR (created; refused when it holds files) —
 * pipeline.yaml, scenario.yaml, one plugin of each main kind in plugins/, tsconfig.json,
 * package.json and a three-line README. `isacflow run DIR/pipeline.yaml` works at once.
 */
export async function initCommand(dir: string): Promise<void> {
  const target = resolve(dir);
  if (existsSync(target) && readdirSync(target).length > 0) {
    throw new IsacflowError(
      'io',
      `${dir}: the folder is not empty; give a new or empty folder for the study`,
    );
  }
  cpSync(initTemplateDir, target, { recursive: true });
  const files = listFiles(target).map((f) => `  ${relative(process.cwd(), f) || f}`);
  const shown = relative(process.cwd(), target) || '.';
  process.stdout.write(
    `wrote a starter study:\n${files.join('\n')}\nnext:\n  npx isacflow run ${join(shown, 'pipeline.yaml')}\n  (npm install isacflow there, then npx tsc -p ${shown} type-checks the plugins)\n`,
  );
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)]));
}
