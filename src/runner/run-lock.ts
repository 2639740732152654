import { existsSync, readFileSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { IsacflowError } from '../core/errors.js';

/** Who holds a run folder (run.lock.json beside the lock directory). */
export interface LockOwner {
  pid: number;
  host: string;
  since: string;
  command: string;
}

/** A lock not refreshed for this long is stale (its holder died on another machine). */
const STALE_MS = 30_000;
export const LOCK_DIR = 'run.lock';
export const LOCK_OWNER = 'run.lock.json';

function readOwner(dir: string): LockOwner | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, LOCK_OWNER), 'utf8')) as LockOwner;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function describe(o: LockOwner | undefined): string {
  return o ? `process ${o.pid} on ${o.host} (since ${o.since}: ${o.command})` : 'another process';
}

/**
 * Takes the exclusive lock of a run folder (proper-lockfile: an atomic mkdir of run.lock, its
 * mtime refreshed while the run lives). A lock whose holder is a dead process on this host, or
 * that was not refreshed for 30 s, is stale and taken over; otherwise the run is refused.
 * Returns the release function.
 */
export async function lockRunFolder(dir: string, command: string): Promise<() => Promise<void>> {
  const lockPath = join(dir, LOCK_DIR);
  const owner = readOwner(dir);
  if (existsSync(lockPath) && owner && owner.host === hostname()) {
    if (owner.pid !== process.pid && alive(owner.pid)) throw refused(dir, owner);
    // Its holder died: the lock is stale. (Only when run.lock.json was written for this lock
    // directory, not left behind by an older run while a new holder is taking the lock.)
    const lockBorn = statSync(lockPath).birthtimeMs;
    if (lockBorn > 0 && statSync(join(dir, LOCK_OWNER)).mtimeMs >= lockBorn) rmdirSync(lockPath);
  }
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(dir, {
      lockfilePath: lockPath,
      stale: STALE_MS,
      realpath: false,
      onCompromised: (e) =>
        process.stderr.write(
          `isacflow: warning: the lock of ${dir} was lost (${e.message}); another process may write there\n`,
        ),
    });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ELOCKED') throw refused(dir, readOwner(dir));
    throw new IsacflowError('io', `${dir}: cannot lock the run folder: ${(e as Error).message}`);
  }
  const mine: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString(), command };
  writeFileSync(join(dir, LOCK_OWNER), JSON.stringify(mine) + '\n');
  return async () => {
    rmSync(join(dir, LOCK_OWNER), { force: true });
    await release().catch(() => undefined);
  };
}

function refused(dir: string, owner: LockOwner | undefined): IsacflowError {
  return new IsacflowError(
    'io',
    `${dir}: this run folder is in use by ${describe(owner)}; wait for it to finish, or stop it first (a lock of a dead process is taken over; on another machine after ${STALE_MS / 1000} s)`,
  );
}
