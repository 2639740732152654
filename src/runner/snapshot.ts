import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { IsacflowError } from '../core/errors.js';
import { displayPath, type ResolvedPipeline } from '../core/pipeline-loader.js';

/** One input file of a run, read once at the start. */
export interface SnapshotFile {
  role: 'pipeline' | 'scenario' | 'plugin';
  /** absolute path on the machine that started the run */
  path: string;
  /** the path as the run's messages show it (relative to the working folder when inside it) */
  display: string;
  sha256: string;
  content: string;
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
 * file it names and every plugin file.
 */
export function takeSnapshot(resolved: ResolvedPipeline): RunSnapshot {
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
    files.push(readInput('plugin', p, plugin.resolved));
  }
  return finishSnapshot({
    pipelineHash: resolved.hash,
    file: resolved.file,
    sets: [...resolved.sets],
    sweeps: [...(resolved.sweeps ?? [])],
    files,
  });
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
    finishSnapshot({ pipelineHash: s.pipelineHash, file: s.file, sets: s.sets, ...(s.sweeps ? { sweeps: s.sweeps } : {}), files: s.files }).id === s.id;
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
  roles: Array<SnapshotFile['role']> = ['plugin'],
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
 * (so the pipeline's relative scenario and plugin paths resolve to the copies). Absolute and `~`
 * paths in the pipeline text are pointed at the copies; nothing else in the text changes, so
 * line numbers stay those of the user's file.
 */
export function materialise(s: RunSnapshot): Materialised {
  const root = join(cacheRoot(), s.id);
  const at = (p: string) => join(root, resolve(p));
  const pipeline = s.files.find((f) => f.role === 'pipeline');
  if (!pipeline) throw new IsacflowError('io', 'the input snapshot holds no pipeline file');
  const copies = new Map(s.files.map((f) => [f.path, at(f.path)]));
  const text = repointPaths(pipeline.content, dirname(pipeline.path), copies);
  for (const f of s.files) writeIfDifferent(at(f.path), f.role === 'pipeline' ? text : f.content);
  const names = s.files.map((f): [string, string] => [at(f.path), f.display]);
  names.sort((a, b) => b[0].length - a[0].length);
  return { file: at(pipeline.path), names };
}

/** Replaces absolute/`~` scenario and plugin paths by their copies, in place in the YAML text. */
function repointPaths(text: string, baseDir: string, copies: Map<string, string>): string {
  const doc = parseDocument(text);
  if (!isMap(doc.contents)) return text;
  const edits: Array<{ from: number; to: number; value: string }> = [];
  const visit = (node: unknown) => {
    if (!isScalar(node) || typeof node.value !== 'string' || !node.range) return;
    const v = node.value;
    if (!(v.startsWith('~') || isAbsolute(v))) return; // relative paths resolve to the mirrored copy
    const copy = copies.get(resolve(baseDir, expandHome(v)));
    if (copy) edits.push({ from: node.range[0], to: node.range[1], value: JSON.stringify(copy) });
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
