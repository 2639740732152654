import {
  appendFileSync,
  closeSync,
  createReadStream,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { IsacflowError } from '../core/errors.js';
import type { FrameRecord } from '../core/frame.js';
import { checkRecord } from '../results/read-records.js';
import { LOCK_DIR, LOCK_OWNER, lockRunFolder } from './run-lock.js';
import type { RunSnapshot, SnapshotFile } from './snapshot.js';

export interface Manifest {
  name: string;
  description?: string;
  started: string;
  finished?: string;
  seed: number;
  pipelineHash: string;
  pipelineFile: string;
  versions: {
    isacflow: string;
    node: string;
    plugins: Array<{ spec: string; resolved: string; names: string[] }>;
  };
  command: string[];
  workers: number;
  /** 'in-process', 'worker threads' or 'queue' (with the queue name; never its URL) */
  executor?: { kind: string; queue?: string; chunk?: number };
  trialsPerPoint: number;
  frames: number;
  points: Array<Record<string, unknown>>;
  /** the input files read once at the start (content in snapshot.json) */
  inputs?: Array<Pick<SnapshotFile, 'role' | 'display' | 'sha256'> & { bytes: number }>;
  snapshotId?: string;
  resumed?: string[];
  /** `isacflow stream`: the frame source and its queue */
  source?: { uses: string; origin: string; queue: number; policy: string };
}

/** Files an isacflow run writes into its folder (anything else there is not the run's). */
const RUN_FILES = new Set([
  'manifest.json',
  'records.jsonl',
  'pipeline.resolved.yaml',
  'snapshot.json',
  'summary.json',
  'summary.csv',
  'report.html',
  'stream.json',
  'plots',
  LOCK_DIR,
  LOCK_OWNER,
]);

function ioError(dir: string, what: string, e: unknown): IsacflowError {
  const code = (e as NodeJS.ErrnoException).code;
  const reason =
    code === 'ENOTDIR' || code === 'EEXIST'
      ? 'a file is in the way (give a folder path)'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied (choose a folder you can write to)'
        : code === 'EROFS'
          ? 'read-only file system'
          : (e as Error).message;
  return new IsacflowError('io', `${dir}: cannot ${what}: ${reason}`);
}

/**
 * The run folder of shared/spec/results.md. records.jsonl is appended trial by trial; the
 * manifest and other files are replaced atomically (write, then rename). A folder is written only
 * by the process holding its lock (run.lock).
 */
export class RunFolder {
  private release?: () => Promise<void>;

  private constructor(readonly dir: string) {}

  /**
   * A folder for a new run: created when missing; an existing non-empty folder must be a run of the
   * same pipeline (its files are then replaced) unless `force` (only the run's own files are written).
   */
  static create(dir: string, pipelineHash: string, force = false): RunFolder {
    if (existsSync(dir)) {
      if (!statSync(dir).isDirectory())
        throw new IsacflowError('io', `${dir}: is a file, not a folder; give --out a folder path`);
      const entries = readdirSync(dir);
      if (entries.length > 0 && !force) {
        const m = RunFolder.peekManifest(dir);
        const foreign = entries.filter((e) => !RUN_FILES.has(e) && !e.startsWith('.')).slice(0, 5);
        if (!m && foreign.length === 0 && !entries.includes('summary.json')) {
          // only the files of a run that stopped before its manifest: that run's own files
        } else if (!m) {
          throw new IsacflowError(
            'io',
            `${dir}: folder is not empty and is not an isacflow run (${foreign.length ? `holds ${foreign.join(', ')}` : 'no manifest.json'}); choose an empty or new folder, or add --force to write the run's files there (nothing else is touched)`,
          );
        }
        if (m && m.pipelineHash !== pipelineHash) {
          throw new IsacflowError(
            'io',
            `${dir}: folder holds a run of another pipeline ('${m.name}', hash ${String(m.pipelineHash).slice(0, 12)}); use --resume to continue it, choose another --out, or add --force to replace its run files`,
          );
        }
      }
    }
    try {
      mkdirSync(join(dir, 'plots'), { recursive: true });
    } catch (e) {
      throw ioError(dir, 'create the run folder', e);
    }
    const f = new RunFolder(dir);
    f.checkWritable();
    return f;
  }

  /** An existing run folder (resume, report): never created. */
  static open(dir: string, purpose: string): RunFolder {
    if (!existsSync(dir))
      throw new IsacflowError('io', `${dir}: no such folder; ${purpose} needs the folder of an earlier run`);
    if (!statSync(dir).isDirectory()) throw new IsacflowError('io', `${dir}: is a file, not a run folder`);
    return new RunFolder(dir);
  }

  private checkWritable(): void {
    const probe = this.path(`.write-test-${process.pid}`);
    try {
      writeFileSync(probe, '');
      rmSync(probe, { force: true });
    } catch (e) {
      throw ioError(this.dir, 'write into the run folder', e);
    }
  }

  /** Takes the folder's exclusive lock (refused while another live run holds it). */
  async lock(command: string): Promise<void> {
    this.release = await lockRunFolder(this.dir, command);
  }

  async unlock(): Promise<void> {
    const r = this.release;
    this.release = undefined;
    await r?.();
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  /** Atomically replaces a file of the run. */
  write(name: string, text: string | Uint8Array): void {
    const tmp = this.path(`.${name}.${process.pid}.tmp`);
    try {
      writeFileSync(tmp, text);
      renameSync(tmp, this.path(name));
    } catch (e) {
      throw ioError(this.dir, `write ${name}`, e);
    }
  }

  writeManifest(m: Manifest): void {
    this.write('manifest.json', JSON.stringify(m, null, 2) + '\n');
  }

  private static peekManifest(dir: string): Manifest | undefined {
    try {
      return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
    } catch {
      return undefined;
    }
  }

  /** The manifest, undefined when there is none; a damaged one is an error naming the file. */
  readManifest(): Manifest | undefined {
    const p = this.path('manifest.json');
    if (!existsSync(p)) return undefined;
    let m: unknown;
    try {
      m = JSON.parse(readFileSync(p, 'utf8'));
    } catch (e) {
      throw new IsacflowError('io', [
        {
          where: p,
          path: '',
          message: `not valid JSON (${(e as Error).message}); the file is damaged or truncated, so this folder cannot be resumed: start a new run with --out`,
        },
      ]);
    }
    const mm = m as Partial<Manifest> | null;
    if (
      !mm ||
      typeof mm !== 'object' ||
      typeof mm.pipelineHash !== 'string' ||
      typeof mm.started !== 'string'
    ) {
      throw new IsacflowError('io', [
        {
          where: p,
          path: '',
          message: 'not an isacflow manifest (pipelineHash and started missing); start a new run with --out',
        },
      ]);
    }
    return mm as Manifest;
  }

  writeSnapshot(s: RunSnapshot): void {
    this.write('snapshot.json', JSON.stringify(s) + '\n');
  }

  readSnapshot(): RunSnapshot | undefined {
    const p = this.path('snapshot.json');
    if (!existsSync(p)) return undefined;
    try {
      return JSON.parse(readFileSync(p, 'utf8')) as RunSnapshot;
    } catch (e) {
      throw new IsacflowError('io', [
        {
          where: p,
          path: '',
          message: `not valid JSON (${(e as Error).message}); the snapshot of the run's inputs is damaged`,
        },
      ]);
    }
  }

  appendRecords(records: readonly FrameRecord[]): void {
    if (records.length === 0) return;
    try {
      appendFileSync(this.path('records.jsonl'), records.map((r) => JSON.stringify(r) + '\n').join(''));
    } catch (e) {
      throw ioError(this.dir, 'append to records.jsonl', e);
    }
  }

  /** Starts records.jsonl empty. */
  clearRecords(): void {
    this.write('records.jsonl', '');
  }

  /**
   * Streams the records on disk, one at a time (memory does not grow with the file). A torn last
   * line (a killed run) is skipped; any other line that is not a record (JSON object with point,
   * trial and frame) is an error naming file:line.
   */
  async *records(): AsyncGenerator<FrameRecord> {
    const p = this.path('records.jsonl');
    if (!existsSync(p)) return;
    const size = statSync(p).size;
    const endsWithNewline = size === 0 || readLastByte(p) === 0x0a;
    const rl = createInterface({ input: createReadStream(p, 'utf8'), crlfDelay: Infinity });
    let n = 0;
    let pending: { line: string; n: number } | undefined;
    const parse = (line: string, at: number, last: boolean): FrameRecord | undefined => {
      if (line.trim() === '') return undefined;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (e) {
        if (last && !endsWithNewline) return undefined; // torn by a kill
        throw new IsacflowError('io', [
          { where: `${p}:${at}`, path: '', message: `not a JSON record: ${(e as Error).message}` },
        ]);
      }
      return checkRecord(value, `${p}:${at}`);
    };
    for await (const line of rl) {
      n++;
      if (pending) {
        const r = parse(pending.line, pending.n, false);
        if (r) yield r;
      }
      pending = { line, n };
    }
    if (pending) {
      const r = parse(pending.line, pending.n, true);
      if (r) yield r;
    }
  }

  /** All records on disk (for the summary, which needs them together). */
  async readRecords(): Promise<FrameRecord[]> {
    const out: FrameRecord[] = [];
    for await (const r of this.records()) out.push(r);
    return out;
  }
}

function readLastByte(p: string): number {
  const fd = openSync(p, 'r');
  try {
    const b = Buffer.alloc(1);
    readSync(fd, b, 0, 1, Math.max(0, fstatSync(fd).size - 1));
    return b[0] as number;
  } finally {
    closeSync(fd);
  }
}
