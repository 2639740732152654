import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import { IsacflowError } from '../../core/errors.js';

/** Who coordinates a pipeline's queue now (one coordinator per queue at a time). */
export const leaseKey = (queue: string) => `isacflow:coordinator:${queue}`;

const TTL_MS = 15_000;
const RENEW_MS = 5_000;

interface Holder {
  token: string;
  host: string;
  pid: number;
  since: string;
}

// compare-and-renew, compare-and-delete, compare-and-replace: only the holder's token may
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const REPLACE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('set', KEYS[1], ARGV[2], 'PX', ARGV[3]) else return false end`;

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * A claim on a pipeline's queue by one coordinator (a Redis key with a 15 s expiry, renewed every
 * 5 s). Two coordinators of the same pipeline at once would share its jobs (same deterministic
 * ids): one removing a finished job, or the whole queue at its end, while the other still waits
 * for it would make the other queue it again (a job run twice) or fail. So the second is refused.
 * The claim of a killed coordinator lapses after 15 s; on the same host, a dead holder's claim is
 * taken over at once (so `run --resume` right after a kill works).
 */
export class CoordinatorLease {
  private timer?: NodeJS.Timeout;

  private constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly value: string,
  ) {
    this.timer = setInterval(() => {
      void this.redis.eval(RENEW, 1, this.key, this.value, String(TTL_MS)).catch(() => undefined);
    }, RENEW_MS);
    this.timer.unref();
  }

  static async take(redis: Redis, queue: string): Promise<CoordinatorLease> {
    const key = leaseKey(queue);
    const holder: Holder = {
      token: randomUUID(),
      host: hostname(),
      pid: process.pid,
      since: new Date().toISOString(),
    };
    const value = JSON.stringify(holder);
    if ((await redis.set(key, value, 'PX', TTL_MS, 'NX')) === 'OK')
      return new CoordinatorLease(redis, key, value);
    const heldText = await redis.get(key);
    let held: Holder | undefined;
    try {
      held = heldText ? (JSON.parse(heldText) as Holder) : undefined;
    } catch {
      held = undefined;
    }
    if (heldText === null) return CoordinatorLease.take(redis, queue); // lapsed in between
    if (held && held.host === holder.host && !alive(held.pid)) {
      if ((await redis.eval(REPLACE, 1, key, heldText, value, String(TTL_MS))) === 'OK')
        return new CoordinatorLease(redis, key, value);
      return CoordinatorLease.take(redis, queue);
    }
    const who = held ? `on ${held.host}, pid ${held.pid}, since ${held.since}` : 'unknown';
    throw new IsacflowError(
      'io',
      `another coordinator is running this pipeline on the queue ${queue} (${who}): two at once would share its jobs. Wait for it to finish (a killed one's claim lapses within ${TTL_MS / 1000} s), or change the pipeline (e.g. run.seed) to run a separate copy`,
    );
  }

  async release(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.redis.eval(RELEASE, 1, this.key, this.value).catch(() => undefined);
  }
}
