// The proof under faults in its short, bounded form (issue 11 point 5); `npm run faults` runs
// it in full (docs/reliability.md). PostgreSQL only: in CI, TEST_DATABASE_URL is set, and
// without it this test fails rather than pass unseen.
import { describe, expect, it } from 'vitest';
import { runFaults } from './faults/fault-run.js';
import { serverDatabase } from './harness.js';

describe('mixed writes while the server is killed (SIGKILL) and restarted', () => {
  it(
    'loses no acknowledged write, keeps every chain, creates once per key',
    { timeout: 600_000 },
    async () => {
      if (!process.env.TEST_DATABASE_URL && process.env.CI) throw new Error('CI without TEST_DATABASE_URL');
      if (!process.env.TEST_DATABASE_URL) return; // a developer's machine without PostgreSQL
      const database = await serverDatabase();
      try {
        const figures = await runFaults({
          databaseUrl: database.url,
          kills: Number(process.env.CPOR_FAULT_KILLS ?? 3),
          clients: 4,
          lifeMs: [1500, 4000],
          seed: 11,
        });
        console.log(`faults: ${JSON.stringify(figures)}`);
        expect(figures.kills).toBeGreaterThanOrEqual(1);
        expect(figures.acknowledged).toBeGreaterThan(10);
        expect(figures.invariantsChecked).toBeGreaterThan(figures.claims);
        expect(figures.violations).toEqual([]);
      } finally {
        await database.drop();
      }
    },
  );
});
