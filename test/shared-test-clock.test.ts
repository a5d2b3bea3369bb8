// Issue 14 point 5: with CPOR_TEST_CLOCK=1 the test clock is kept in the database
// (src/deadlines/shared-test-clock.ts): two API processes on one PostgreSQL server tell the
// same time, and a move made through one is the time of the other on its very next request.
import { afterAll, describe, expect, it } from 'vitest';
import type { RunningServer } from './processes.js';
import { twoServers, type TwoServers } from './two-servers.js';

describe.skipIf(!process.env.TEST_DATABASE_URL)('one test clock for two processes', () => {
  let two: TwoServers | null = null;
  afterAll(async () => {
    await two?.stop();
  });

  it("a move through one process is the other process's time at once", { timeout: 180_000 }, async () => {
    two = await twoServers('admin@clock.example', 'clock-password-1', { CPOR_TEST_CLOCK: '1' });
    const { a, b } = two;
    const token = await two.signIn();
    const now = async (s: RunningServer) => (await s.call(token, 'GET', '/test-clock')).now as string;
    // The second process joined the first one's clock.
    expect(await now(b)).toBe(await now(a));
    const moved = (await a.call(token, 'POST', '/test-clock/advance', { days: 5 })).now as string;
    expect(await now(b)).toBe(moved);
    const again = (await b.call(token, 'POST', '/test-clock/advance', { hours: 3 })).now as string;
    expect(new Date(again).getTime() - new Date(moved).getTime()).toBe(3 * 3_600_000);
    expect(await now(a)).toBe(again);
  });
});
