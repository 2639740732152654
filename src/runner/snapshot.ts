import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { IsacflowError } from '../core/errors.js';
import { displayPath, type ResolvedPipeline } from '../core/pipeline-loader.js';
import { bundlePluginFile } from '../core/ts-import.js';

/** One input file of a run, read once at the start. */
export interface SnapshotFile {
  /** 'plugin-import': a local file a plugin imports (bundled into the plugin's `bundle`) */
  role: 'pipeline' | 'scenario' | 'plugin' | 'plugin-import';
  /** absolute path on the machine that started the run */
  path: string;
  /** the path as the run's messages show it (relative to the working folder when inside it) */
  display: string;
  sha256: string;
  content: string;
  /**
   * A plugin file bundled with the local files it imports (one ES module, source map to the
   * original files): what workers import. Absent in snapshots of earlier versions.
   */
  bundle?: string;
}

/**
 * The inputs of a run: the pipeline file, its scenario file and every plugin file, with the
 * `--set` values. Workers (threads, queue workers, a resumed run) load the pipeline from this,
 * never from the user's files, so an edit during a run changes nothing.
 */
export interface RunSnapshot {
  version: 1;
  /** sha256 of everything below: names the snapshot wherever it is stored */
  id: string;
  pipelineHash: string;
  /** the pipeline path as given (manifest.pipelineFile) */
  file: string;
  sets: string[];
  /** the --sweep arguments */
  sweeps?: string[];
  files: SnapshotFile[];
}

export const sha256 = (text: string | Uint8Array): string => createHash('sha256').update(text).digest('hex');

const pathLike = (s: string) => s.startsWith('.') || s.startsWith('/') || s.startsWith('~') || isAbsolute(s);
const expandHome = (s: string) =>
  s === '~' ? homedir() : s.startsWith('~/') ? join(homedir(), s.slice(2)) : s;

function readInput(role: SnapshotFile['role'], path: string, display: string): SnapshotFile {
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch (e) {
    throw new IsacflowError('io', [
      { where: display, path: '', message: `cannot read ${role} file: ${(e as Error).message}` },
    ]);
  }
  return { role, path, display, sha256: sha256(content), content };
}

/**
 * Reads the files a pipeline was loaded from (right after loading it): the pipeline, the scenario
 * file it names and every plugin file, each plugin bundled with the local files it imports
 * (esbuild, as TypeScript plugins are loaded); those files are listed with their sha256 too, so a
 * resume notices a changed helper file as it does a changed plugin.
 */
export async function takeSnapshot(resolved: ResolvedPipeline): Promise<RunSnapshot> {
  const file = resolve(resolved.file);
  const pipeline = readInput('pipeline', file, resolved.file);
  const files: SnapshotFile[] = [pipeline];
  const scenario = (
    parseDocument(pipeline.content).toJS({ maxAliasCount: 1000 }) as { scenario?: unknown } | null
  )?.scenario;
  if (typeof scenario === 'string') {
    const p = resolve(dirname(file), expandHome(scenario));
    if (existsSync(p) && statSync(p).isFile()) files.push(readInput('scenario', p, displayPath(p)));
  }
  for (const plugin of resolved.plugins) {
    if (!pathLike(plugin.spec)) continue; // an installed package, not a user's file
    const p = resolve(plugin.resolved);
    const { bundle, inputs } = await bundleOf(p, plugin.resolved);
    files.push({ ...readInput('plugin', p, plugin.resolved), bundle });
    for (const dep of inputs)
      if (dep !== p && !files.some((f) => f.path === dep))
        files.push(readInput('plugin-import', dep, displayPath(dep)));
  }
  return finishSnapshot({
    pipelineHash: resolved.hash,
    file: resolved.file,
    sets: [...resolved.sets],
    sweeps: [...(resolved.sweeps ?? [])],
    files,
  });
}

async function bundleOf(file: string, display: string): Promise<{ bundle: string; inputs: string[] }> {
  try {
    const b = await bundlePluginFile(file);
    return { bundle: b.code, inputs: b.inputs };
  } catch (e) {
    const first = (e as { errors?: Array<{ text: string }> }).errors?.[0]?.text ?? (e as Error).message;
    throw new IsacflowError('io', [
      { where: display, path: '', message: `cannot bundle the plugin with its imports: ${first}` },
    ]);
  }
}

function finishSnapshot(s: Omit<RunSnapshot, 'version' | 'id'>): RunSnapshot {
  const body = {
    version: 1 as const,
    pipelineHash: s.pipelineHash,
    file: s.file,
    sets: s.sets,
    ...(s.sweeps && s.sweeps.length ? { sweeps: s.sweeps } : {}),
    files: s.files,
  };
  return { ...body, id: sha256(JSON.stringify(body)) };
}

/** Checks a snapshot read back (run folder, Redis) against its own id; throws naming the source. */
export function verifySnapshot(s: RunSnapshot, source: string): RunSnapshot {
  const ok =
    s?.version === 1 &&
    Array.isArray(s.files) &&
    s.files.every((f) => typeof f.content === 'string' && sha256(f.content) === f.sha256) &&
    finishSnapshot({
      pipelineHash: s.pipelineHash,
      file: s.file,
      sets: s.sets,
      ...(s.sweeps ? { sweeps: s.sweeps } : {}),
      files: s.files,
    }).id === s.id;
  if (!ok)
    throw new IsacflowError(
      'io',
      `${source}: the input snapshot is damaged (its content does not match its sha256)`,
    );
  return s;
}

/** Files of the snapshot whose content on disk now differs (missing files are not reported). */
export function changedOnDisk(
  s: RunSnapshot,
  roles: Array<SnapshotFile['role']> = ['plugin', 'plugin-import'],
): SnapshotFile[] {
  return s.files.filter(
    (f) => roles.includes(f.role) && existsSync(f.path) && sha256(readFileSync(f.path)) !== f.sha256,
  );
}

/** Per-user cache folder for materialised snapshots (mode 0700). */
function cacheRoot(): string {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 'user';
  const root = join(tmpdir(), `isacflow-snapshots-${uid}`);
  mkdirSync(root, { recursive: true, mode: 0o700 });
  return root;
}

function writeIfDifferent(path: string, content: string): void {
  if (existsSync(path) && sha256(readFileSync(path)) === sha256(content)) return;
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(tmp, content);
  renameSync(tmp, path); // atomic: a concurrent reader sees the old or the new file, never half
}

export interface Materialised {
  /** the pipeline file to load */
  file: string;
  /** (materialised display path, original display path) pairs, longest first */
  names: Array<[string, string]>;
}

/**
 * Writes the snapshot into a content-addressed folder that mirrors the original absolute paths
 * (so the pipeline's relative scenario path resolves to the copy). Plugins are written as their
 * bundles (`<copy>.mjs`, holding the local files they import) and the pipeline's plugin entries,
 * like absolute and `~` paths, are pointed at them; nothing else in the text changes, so line
 * numbers stay those of the user's file.
 */
export function materialise(s: RunSnapshot): Materialised {
  const root = join(cacheRoot(), s.id);
  const at = (p: string) => join(root, resolve(p));
  const pipeline = s.files.find((f) => f.role === 'pipeline');
  if (!pipeline) throw new IsacflowError('io', 'the input snapshot holds no pipeline file');
  const target = (f: SnapshotFile) => (f.bundle !== undefined ? `${at(f.path)}.mjs` : at(f.path));
  const copies = new Map<string, { path: string; always: boolean }>();
  for (const f of s.files)
    if (f.role !== 'plugin-import') copies.set(f.path, { path: target(f), always: f.bundle !== undefined });
  const text = repointPaths(pipeline.content, dirname(pipeline.path), copies);
  for (const f of s.files) {
    if (f.role === 'plugin-import') continue; // inside its plugin's bundle
    writeIfDifferent(target(f), f.role === 'pipeline' ? text : (f.bundle ?? f.content));
  }
  // bundles carry source maps to the user's files: stack frames then name those
  if (s.files.some((f) => f.bundle !== undefined)) process.setSourceMapsEnabled(true);
  const names = s.files.map((f): [string, string] => [target(f), f.display]);
  names.sort((a, b) => b[0].length - a[0].length);
  return { file: at(pipeline.path), names };
}

/**
 * Replaces the scenario and plugin paths that must name their copies, in place in the YAML text:
 * absolute and `~` paths, and every path of a bundled plugin (`always`).
 */
function repointPaths(
  text: string,
  baseDir: string,
  copies: Map<string, { path: string; always: boolean }>,
): string {
  const doc = parseDocument(text);
  if (!isMap(doc.contents)) return text;
  const edits: Array<{ from: number; to: number; value: string }> = [];
  const visit = (node: unknown) => {
    if (isMap(node)) return visit(node.get('module', true));
    if (!isScalar(node) || typeof node.value !== 'string' || !node.range) return;
    const v = node.value;
    if (!pathLike(v)) return;
    const copy = copies.get(resolve(baseDir, expandHome(v)));
    if (!copy) return;
    if (!copy.always && !(v.startsWith('~') || isAbsolute(v))) return; // resolves to the mirrored copy
    edits.push({ from: node.range[0], to: node.range[1], value: JSON.stringify(copy.path) });
  };
  visit(doc.contents.get('scenario', true));
  const plugins = doc.contents.get('plugins', true) as Node | undefined;
  if (isSeq(plugins)) for (const item of plugins.items) visit(item);
  let out = text;
  for (const e of edits.sort((a, b) => b.from - a.from))
    out = out.slice(0, e.from) + e.value + out.slice(e.to);
  return out;
}

/** Replaces materialised paths in a message by the user's own names. */
export function renameIn(text: string, names: Materialised['names']): string {
  let out = text;
  for (const [from, to] of names) out = out.split(from).join(to);
  return out;
}
