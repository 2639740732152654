import { Redis } from 'ioredis';
import { IsacflowError } from '../../core/errors.js';
import type { FrameRecord } from '../../core/frame.js';
import type { SerialError } from '../executors/trial-executor.js';
import { redactIn, redactUrl } from './queue-url.js';

/** Redis set of the queues that have work (workers watch it to find new pipelines). */
export const ACTIVE_QUEUES = 'isacflow:queues';
/** A run's input snapshot, by its content hash. */
export const snapshotKey = (id: string) => `isacflow:snapshot:${id}`;
/** One queue per pipeline (hash). */
export const queueName = (pipelineHash: string) => `isacflow-${pipelineHash.slice(0, 16)}`;

/** What a job carries: which trials of which pipeline, and where its input snapshot is. */
export interface TrialJobData {
  pipelineHash: string;
  snapshotId: string;
  pointIndex: number;
  trials: number[];
}

/** What a job returns: one record list per trial of the job. */
export type TrialJobResult = FrameRecord[][];

/** Deterministic job id: (pipeline hash, point, first trial, trials in the job). */
export const jobId = (pipelineHash: string, pointIndex: number, firstTrial: number, count: number) =>
  `${pipelineHash.slice(0, 16)}-p${pointIndex}-t${firstTrial}-n${count}`;

/** failedReason of a job that failed for a user's error: a marker, then the error as JSON. */
export const USER_ERROR = 'isacflow-user-error:';

export function userErrorReason(e: SerialError): string {
  return USER_ERROR + JSON.stringify(e);
}

export function parseUserError(reason: string | undefined): SerialError | undefined {
  if (!reason?.startsWith(USER_ERROR)) return undefined;
  try {
    return JSON.parse(reason.slice(USER_ERROR.length)) as SerialError;
  } catch {
    return undefined;
  }
}

/**
 * A client for BullMQ (maxRetriesPerRequest null, as BullMQ requires), checked to answer within
 * `timeoutMs`. Connection errors are reported without the URL's credentials.
 */
export async function connectRedis(url: string, timeoutMs = 5000): Promise<Redis> {
  const redis = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true });
  let lastError = '';
  redis.on('error', (e: Error) => {
    lastError = redactIn(e.message, url);
  });
  try {
    await Promise.race([
      redis.connect().then(() => redis.ping()),
      new Promise((_, reject) => setTimeout(() => reject(new Error('no answer')), timeoutMs).unref()),
    ]);
  } catch (e) {
    redis.disconnect();
    throw new IsacflowError(
      'io',
      `cannot reach the queue at ${redactUrl(url)}: ${lastError || redactIn((e as Error).message, url)} (is redis-server running there?)`,
    );
  }
  return redis;
}
