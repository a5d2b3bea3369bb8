// Webhooks from several processes (issue 12 point 1): on PostgreSQL, two senders with their
// own connection pools drain one database while partners keep commenting; every event reaches
// the receiver exactly once (nothing fails here) and each claim's events arrive in order.
// PGlite has one connection, so it cannot race: this file runs on the server only, and CI
// (which sets TEST_DATABASE_URL) must never skip it silently.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, runtimeDatabase } from '../src/db/database.js';
import type { Deps } from '../src/deps.js';
import { sendDueWebhooks } from '../src/webhooks/webhook-sender.js';
import { client, freshDatabase, m365Claim, seedWorld, testApp, type TestApp, type World } from './harness.js';
import { startReceiver, type Receiver } from './webhook-receiver.js';

const url = process.env.TEST_DATABASE_URL;
const claims = 12;
const comments = 4;

if (!url && process.env.CI === 'true') {
  describe('webhooks from two senders on PostgreSQL', () => {
    it('needs TEST_DATABASE_URL in CI', () => {
      throw new Error('CI=true but TEST_DATABASE_URL is unset: the webhook sender race would not run.');
    });
  });
}

describe.skipIf(!url)('webhooks from two senders on PostgreSQL', () => {
  let rx: Receiver;
  let t: TestApp;
  let second: Deps;
  let w: World;
  let closeSecond: () => Promise<void>;

  beforeAll(async () => {
    rx = await startReceiver();
    rx.delayMs = 5;
    const database = await freshDatabase('postgres', 8);
    t = await testApp('postgres', { database });
    // A second sender: its own pool on the same database, as a second process would have.
    const db = await openDatabase({ url: database.url, poolSize: 8 });
    second = { ...t.deps, db: runtimeDatabase(db) };
    closeSecond = () => db.destroy();
    w = await seedWorld(t);
  });
  afterAll(async () => {
    await closeSecond?.();
    await t?.close();
    await rx?.close();
  });

  it('delivers every event once, in order per claim, while events keep coming', async () => {
    const partner = client(t.app, w.tokens.partnerA);
    const hook = await partner.post('/api/v1/webhooks', { url: rx.url('/race'), events: ['*'] });
    expect(hook.statusCode).toBe(201);
    const ids: string[] = [];
    for (let i = 0; i < claims; i++) {
      const res = await partner.post('/api/v1/claims', m365Claim({ name: `Race ${i}` }));
      expect(res.statusCode).toBe(201);
      ids.push(res.json<{ id: string }>().id);
    }
    let writing = true;
    const senders = [t.deps, second].map(async (deps) => {
      while (writing) await sendDueWebhooks(deps);
      await sendDueWebhooks(deps);
    });
    // Comments on every claim, round after round, while both senders drain.
    for (let n = 0; n < comments; n++)
      await Promise.all(
        ids.map(async (id) =>
          expect((await partner.post(`/api/v1/claims/${id}/comments`, { text: `c${n}` })).statusCode).toBe(
            201,
          ),
        ),
      );
    writing = false;
    await Promise.all(senders);
    await sendDueWebhooks(t.deps);

    const rows = await t.database.db.selectFrom('webhook_deliveries').select(['status']).execute();
    expect(rows).toHaveLength(claims * (1 + comments));
    expect(rows.every((r) => r.status === 'delivered')).toBe(true);
    expect(rx.received).toHaveLength(claims * (1 + comments));
    expect(new Set(rx.received.map((r) => r.headers['cpor-delivery'])).size).toBe(rx.received.length);
    for (const id of ids) {
      const got = rx.received.filter((r) => r.event.data.claimId === id);
      expect(got.map((r) => (r.event.type === 'claim.created' ? 'created' : r.event.data.text))).toEqual([
        'created',
        ...Array.from({ length: comments }, (_, n) => `c${n}`),
      ]);
      const seqs = got.map((r) => Number(r.event.data.historySeq));
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    }
  });
});
