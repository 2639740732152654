import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../package-root.js';

/** Folders of the isacflow package a pipeline can name as `isacflow/<folder>/...`. */
const BUNDLED: Record<string, string> = {
  scenarios: join('pipelines', 'scenarios'),
  pipelines: 'pipelines',
};

/**
 * A path into the files shipped with isacflow: `isacflow/scenarios/paper-default.yaml` is the
 * scenario of the paper, `isacflow/pipelines/fig9-armse.yaml` a built-in pipeline. Returns the
 * absolute file, or undefined when `spec` is not of that form (or a file of that name exists
 * relative to `baseDir`: a user's own folder called isacflow wins).
 */
export function resolveBundledPath(spec: string, baseDir: string): string | undefined {
  const m = /^isacflow\/([^/]+)\/(.+)$/.exec(spec.replace(/\\/g, '/'));
  if (!m) return undefined;
  if (existsSync(join(baseDir, spec))) return undefined;
  const folder = BUNDLED[m[1] as string];
  if (!folder) return undefined;
  return join(packageRoot, folder, m[2] as string);
}
