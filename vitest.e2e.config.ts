// End-to-end tests (`npm run test:e2e`): the real server and Debian's Chromium, one file at
// a time. Kept apart from `npm test`, which stays fast and browser-free.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    testTimeout: 180_000,
    hookTimeout: 240_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    // Steps share one story: a failure must not hide behind retries.
    retry: 0,
  },
});
