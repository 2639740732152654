import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { extname, isAbsolute, resolve } from 'node:path';
import { IsacflowError } from './errors.js';

/** How much of a user's file isacflow reads, and for how long (configurable by environment). */
export interface FileLimits {
  /** largest pipeline, scenario or plugin file, bytes (ISACFLOW_MAX_FILE_BYTES, default 10 MB) */
  maxBytes: number;
  /** longest wait for one file (ISACFLOW_READ_TIMEOUT_MS, default 10 s) */
  timeoutMs: number;
}

export function fileLimits(env: NodeJS.ProcessEnv = process.env): FileLimits {
  return {
    maxBytes: positiveEnv(env, 'ISACFLOW_MAX_FILE_BYTES', 10 * 1024 * 1024),
    timeoutMs: positiveEnv(env, 'ISACFLOW_READ_TIMEOUT_MS', 10_000),
  };
}

function positiveEnv(env: NodeJS.ProcessEnv, name: string, def: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0)
    throw new IsacflowError('invalid-option', [
      { where: name, path: '', message: `must be a positive number (got '${raw}')` },
    ]);
  return n;
}

/** `~` and `~/...` (also `~\...`) expand to the home folder; anything else is returned as is. */
export function expandHome(p: string): string {
  if (p === '~') return homedir();
  if (p.startsWith('~/') || p.startsWith('~\\')) return resolve(homedir(), p.slice(2));
  return p;
}

/** A path a user wrote in a file (or on the command line): `~` expanded, relative to `baseDir`. */
export function resolveUserPath(baseDir: string, p: string): string {
  const e = expandHome(p);
  return isAbsolute(e) ? e : resolve(baseDir, e);
}

/** Whether a module specifier names a file (a path) rather than a package. */
export function isPathSpecifier(spec: string): boolean {
  return (
    spec.startsWith('.') ||
    spec.startsWith('/') ||
    spec === '~' ||
    spec.startsWith('~/') ||
    spec.startsWith('~\\') ||
    isAbsolute(spec)
  );
}

export type UserFileKind = 'pipeline' | 'scenario' | 'plugin';

const EXTENSIONS: Record<UserFileKind, readonly string[]> = {
  pipeline: ['.yaml', '.yml'],
  scenario: ['.yaml', '.yml'],
  plugin: ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'],
};

/**
 * Checks that `file` is something isacflow may read as a `kind`: the right extension (so that a
 * file that is not YAML or code is never parsed, and its content never quoted in a message), a
 * regular file (a FIFO, device or folder is refused: it could block or never end) and no larger
 * than the limit. The reasons never quote the file's content.
 */
export async function checkUserFile(
  file: string,
  kind: UserFileKind,
  limits: FileLimits = fileLimits(),
): Promise<void> {
  checkUserFileSync(file, kind, limits);
}

function checkUserFileSync(file: string, kind: UserFileKind, limits: FileLimits): void {
  const ext = extname(file).toLowerCase();
  if (!EXTENSIONS[kind].includes(ext)) {
    throw new Error(
      `a ${kind} file must end in ${EXTENSIONS[kind].join(', ')} (got '${ext || 'no extension'}')`,
    );
  }
  let st;
  try {
    st = statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw Object.assign(
      new Error(
        code === 'ENOENT'
          ? 'not found'
          : code === 'EACCES'
            ? 'permission denied'
            : `cannot read it (${code ?? 'error'})`,
      ),
      { code },
    );
  }
  if (!st.isFile()) throw new Error(`not a regular file (${fileType(st)}): give a ${kind} file`);
  if (st.size > limits.maxBytes)
    throw new Error(
      `${mb(st.size)} is larger than the ${mb(limits.maxBytes)} limit (ISACFLOW_MAX_FILE_BYTES)`,
    );
}

/**
 * Reads a user's pipeline, scenario or plugin file as UTF-8 text after checkUserFile, without
 * blocking on a FIFO swapped in meanwhile (O_NONBLOCK, checked again on the open file), with a
 * size cap and a time limit. Throws a plain Error whose message is the reason (the caller locates it).
 */
export async function readUserFile(
  file: string,
  kind: UserFileKind,
  limits: FileLimits = fileLimits(),
): Promise<string> {
  checkUserFileSync(file, kind, limits);
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw new Error(`cannot open it (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new Error(`not a regular file (${fileType(st)}): give a ${kind} file`);
    // A regular file (not a FIFO or device) is read in chunks up to the cap; the deadline bounds
    // a slow file system.
    const deadline = Date.now() + limits.timeoutMs;
    const buf = Buffer.alloc(Math.min(st.size, limits.maxBytes) + 1);
    let n = 0;
    for (;;) {
      const got = readSync(fd, buf, n, buf.length - n, n);
      if (got === 0) break;
      n += got;
      if (n >= buf.length)
        throw new Error(
          `grew past the ${mb(limits.maxBytes)} limit while being read (ISACFLOW_MAX_FILE_BYTES)`,
        );
      if (Date.now() > deadline)
        throw new Error(`reading it took longer than ${limits.timeoutMs} ms (ISACFLOW_READ_TIMEOUT_MS)`);
    }
    const bytes = buf.subarray(0, n);
    if (bytes.includes(0)) throw new Error(`not a text file (it holds NUL bytes): give a ${kind} file`);
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new Error(`not UTF-8 text: give a ${kind} file`);
    }
  } finally {
    closeSync(fd);
  }
}

function fileType(st: {
  isDirectory(): boolean;
  isFIFO(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isSocket(): boolean;
}): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSocket()) return 'a socket';
  return 'not a file';
}

function mb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${bytes} bytes`;
}
