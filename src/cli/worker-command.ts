import { IsacflowError } from '../core/errors.js';
import { QueueWorker } from '../runner/queue/queue-worker.js';
import { parseQueueUrl } from '../runner/queue/queue-url.js';

export interface WorkerCommandOptions {
  queue: string;
  concurrency?: string;
  lockDuration?: string;
  logJobs?: boolean;
}

function wholeNumber(text: string, option: string, min: number): number {
  const n = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || n < min)
    throw new IsacflowError('invalid-option', [
      { where: `${option} ${text}`, path: '', message: `must be a whole number >= ${min}` },
    ]);
  return n;
}

/**
 * `isacflow worker --queue URL`: runs queued trials of any pipeline until SIGINT/SIGTERM, then
 * finishes the jobs it holds and exits. Anyone who can write to this Redis can make it run code.
 */
export async function workerCommand(o: WorkerCommandOptions): Promise<void> {
  const { url } = parseQueueUrl(o.queue);
  const worker = await QueueWorker.start({
    url,
    ...(o.concurrency !== undefined ? { concurrency: wholeNumber(o.concurrency, '--concurrency', 1) } : {}),
    ...(o.lockDuration !== undefined
      ? { lockDuration: wholeNumber(o.lockDuration, '--lock-duration', 1000) }
      : {}),
    ...(o.logJobs ? { logJobs: true } : {}),
  });
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      process.stderr.write(`isacflow worker: ${signal}: finishing the jobs in hand, then stopping\n`);
      void worker.close().then(resolve);
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}
