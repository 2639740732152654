import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** redis://127.0.0.1:PORT of the test run's own redis-server, '' when there is none */
    redisUrl: string;
  }
}

const BINARY = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((p) => existsSync(p));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = connect(port, '127.0.0.1');
    c.once('connect', () => {
      c.write('PING\r\n');
    });
    c.once('data', (d) => {
      c.destroy();
      resolve(d.toString().startsWith('+PONG'));
    });
    c.once('error', () => resolve(false));
  });
}

let server: ChildProcess | undefined;

/**
 * Starts a throw-away redis-server (no persistence) on a free local port for the queue tests and
 * stops it afterwards. Without the binary, off CI, the queue tests are skipped with a notice; on
 * CI (CI=true) that is an error.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (!BINARY) {
    const notice =
      'redis-server not found: the queue tests are skipped (install it with: apt-get install redis-server)';
    if (process.env.CI === 'true')
      throw new Error(`${notice.replace('are skipped', 'cannot run')}; CI must run them`);
    process.stderr.write(`\n${notice}\n`);
    project.provide('redisUrl', '');
    return async () => undefined;
  }
  const port = await freePort();
  server = spawn(
    BINARY,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  for (let i = 0; i < 100 && !(await answers(port)); i++) await new Promise((r) => setTimeout(r, 50));
  if (!(await answers(port))) throw new Error(`redis-server did not start on port ${port}`);
  project.provide('redisUrl', `redis://127.0.0.1:${port}`);
  return async () => {
    server?.kill('SIGTERM');
    await new Promise((r) => server?.once('exit', r));
  };
}
