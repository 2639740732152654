import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts', 'stages/**/*.test.ts', 'plugins/**/*.test.ts'],
    setupFiles: ['./test/setup.ts'],
    // a throw-away redis-server for the queue tests (test/runner/queue.test.ts)
    globalSetup: ['./test/global-setup-redis.ts'],
    testTimeout: 120_000,
    pool: 'forks',
  },
});
