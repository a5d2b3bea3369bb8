// One listening connection per database handle (src/db/notifications.ts): every channel
// listened through it shares the connection and its barrier; each channel's notices reach
// that channel's listeners only; a lost connection tells every listener (their caches drop
// what they hold), is made again, and listens on every channel again; the last close ends it.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, listenerName, type Channel } from '../src/db/notifications.js';
import { eventually } from './processes.js';
import { runtimeDatabase, type Database } from '../src/db/database.js';
import { freshDatabase, type TestDatabase } from './harness.js';

const url = process.env.TEST_DATABASE_URL;

if (!url && process.env.CI === 'true') {
  describe('listening on PostgreSQL', () => {
    it('needs TEST_DATABASE_URL in CI', () => {
      throw new Error(
        'CI=true but TEST_DATABASE_URL is unset: the shared listening connection would go untested.',
      );
    });
  });
}

describe.skipIf(!url)('one listening connection for every channel (PostgreSQL)', () => {
  let t: TestDatabase;
  let admin: pg.Client;
  let name: string;
  let db: Database; // the runtime handle, as the application's
  beforeAll(async () => {
    t = await freshDatabase('postgres');
    db = runtimeDatabase(t.db);
    name = new URL(t.url!).pathname.slice(1);
    admin = new pg.Client({ connectionString: t.url });
    await admin.connect();
  });
  afterAll(async () => {
    await admin.end();
    await t.drop();
  });

  const listeners = async () =>
    (
      await admin.query<{ pid: number }>(
        'SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = $2',
        [name, listenerName],
      )
    ).rows.map((r) => r.pid);

  it('shares one connection, keeps each channel to its listeners, comes back after a loss', async () => {
    const heard: Record<'a' | 'b', string[]> = { a: [], b: [] };
    const a = (await listen(db, 'cpor_test_a', (p) => heard.a.push(p)))!;
    const b = (await listen(db, 'cpor_test_b', (p) => heard.b.push(p)))!;
    expect(a.live && b.live).toBe(true);
    expect(await listeners()).toHaveLength(1);

    const notify = async (channel: string, payload: string, on: Channel) => {
      await admin.query('SELECT pg_notify($1, $2)', [channel, payload]);
      await on.caughtUp(); // committed before the barrier: heard when it resolves
    };
    await notify('cpor_test_a', 'one', b); // one barrier serves every channel
    await notify('cpor_test_b', 'two', a);
    expect(heard).toEqual({ a: ['one'], b: ['two'] });

    // The connection is lost: both listeners hear it (an empty notice), then it is made again.
    const [pid] = await listeners();
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    await eventually(() => heard.a.at(-1) === '' && heard.b.at(-1) === '', 10_000, 'the loss heard');
    await eventually(() => a.live && b.live, 10_000, 'listening again');
    const again = await listeners();
    expect(again).toHaveLength(1);
    expect(again[0]).not.toBe(pid);
    await notify('cpor_test_b', 'three', b);
    await notify('cpor_test_a', 'four', a);
    expect(heard.a.at(-1)).toBe('four');
    expect(heard.b.at(-1)).toBe('three');

    // Closing one keeps the other listening; the last close ends the connection.
    await a.close();
    await notify('cpor_test_b', 'five', b);
    expect(heard.b.at(-1)).toBe('five');
    expect(await listeners()).toHaveLength(1);
    await b.close();
    await eventually(async () => (await listeners()).length === 0, 10_000, 'the connection ended');
    expect(b.live).toBe(false);
  });
});
