// R-HIST-1 made checkable (issue 11 point 2, api.md "Claims"): each claim's history is a hash
// chain that an outsider can recompute from the API's answer alone, the server verifies on
// request, and the database refuses to extend out of order.
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimInReview } from './claim-steps.js';
import { client, dbTargets, seedWorld, databaseOfOld, testApp, type TestApp, type World } from './harness.js';

interface Entry {
  seq: number;
  at: string;
  type: string;
  actor: { id: string | null; name: string; role: string };
  data: unknown;
  prevHash: string | null;
  hash: string;
}

/** The chain as api.md defines it, recomputed here without the server's code. */
function outsiderHash(claimId: string, e: Entry): string {
  const body = canonicalize({ actor: e.actor, at: e.at, claimId, data: e.data, seq: e.seq, type: e.type });
  return createHash('sha256')
    .update(`${e.prevHash ?? ''}${body}`)
    .digest('hex');
}

describe.each(dbTargets())('hash-chained history on %s', (target) => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await testApp(target);
    w = await seedWorld(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('each entry links to the one before and hashes as api.md says; verify finds it whole', async () => {
    const id = await claimInReview(t, w, 'Chained');
    const reviewer = client(t.app, w.tokens.reviewer);
    const history = (await reviewer.get(`/api/v1/claims/${id}/history`)).json<{ items: Entry[] }>().items;
    expect(history.length).toBeGreaterThanOrEqual(4);
    history.forEach((e, i) => {
      expect(e.seq).toBe(i + 1);
      expect(e.prevHash).toBe(i === 0 ? null : history[i - 1]!.hash);
      expect(e.hash).toBe(outsiderHash(id, e));
    });
    const verdict = await reviewer.get(`/api/v1/claims/${id}/history/verify`);
    expect(verdict.statusCode).toBe(200);
    expect(verdict.json()).toEqual({ valid: true, length: history.length, brokenAt: null });
    // Another organization's partner: the claim does not exist for it (R-ROLE-2).
    expect(
      (await client(t.app, w.tokens.partnerB).get(`/api/v1/claims/${id}/history/verify`)).statusCode,
    ).toBe(404);
  });

  it('an entry rewritten behind the server is named by verify, and the next entries still link to it', async () => {
    const id = await claimInReview(t, w, 'Tampered');
    const db = t.database.db;
    await sql`ALTER TABLE claim_history DISABLE TRIGGER claim_history_no_change`.execute(db);
    await sql`UPDATE claim_history SET data = '{"reason":"rewritten"}' WHERE claim_id = ${id} AND seq = 2`.execute(
      db,
    );
    await sql`ALTER TABLE claim_history ENABLE TRIGGER claim_history_no_change`.execute(db);
    const reviewer = client(t.app, w.tokens.reviewer);
    const length = (await reviewer.get(`/api/v1/claims/${id}/history`)).json<{ items: Entry[] }>().items
      .length;
    expect((await reviewer.get(`/api/v1/claims/${id}/history/verify`)).json()).toEqual({
      valid: false,
      length,
      brokenAt: 2,
    });
  });

  it('the database refuses an entry that does not follow the last one, and a second first entry', async () => {
    const id = await claimInReview(t, w, 'Forked');
    const last = await sql<{ seq: number; hash: string }>`
      SELECT seq, hash FROM claim_history WHERE claim_id = ${id} ORDER BY seq DESC LIMIT 1`.execute(
      t.database.db,
    );
    const { seq, hash } = last.rows[0]!;
    const insert = (s: number, prev: string | null) =>
      sql`INSERT INTO claim_history (claim_id, at, type, actor_id, actor_name, actor_role, data, seq, prev_hash, hash)
          VALUES (${id}, now(), 'commented', NULL, 'x', 'reviewer', '{}', ${s}, ${prev}, ${'0'.repeat(64)})`.execute(
        t.database.db,
      );
    await expect(insert(seq + 2, hash)).rejects.toThrow(/must follow/);
    await expect(insert(seq + 1, 'f'.repeat(64))).rejects.toThrow(/must follow/);
    // A second first entry: refused by the unique (claim_id, seq) index (migration 0015).
    await expect(insert(1, null)).rejects.toThrow(/must follow|claim_history_claim_seq/);
    // The right link goes in (its hash is the server's business; verify would name it).
    await insert(seq + 1, hash);
    const reviewer = client(t.app, w.tokens.reviewer);
    expect((await reviewer.get(`/api/v1/claims/${id}/history/verify`)).json()).toMatchObject({
      valid: false,
      brokenAt: seq + 1,
    });
  });
});

describe.each(dbTargets())('the history chain migration on %s', (target) => {
  it('chains the entries a database already holds, in their order', async () => {
    // A database as it was before migration 0006, with a claim and three entries.
    const { db, migrateToLatest, close } = await databaseOfOld(target);
    try {
      for (const type of ['created', 'edited', 'commented'])
        await sql`INSERT INTO claim_history (claim_id, at, type, actor_id, actor_name, actor_role, data)
                  VALUES ('c1', now(), ${type}, 'u1', 'U', 'partner_global_admin', ${JSON.stringify({ type })})`.execute(
          db,
        );
      const rest = await migrateToLatest();
      expect(rest.error).toBeUndefined();
      const { rows } = await sql<{ seq: number; type: string; prev_hash: string | null; hash: string }>`
        SELECT seq, type, prev_hash, hash FROM claim_history ORDER BY seq`.execute(db);
      expect(rows.map((r) => [r.seq, r.type])).toEqual([
        [1, 'created'],
        [2, 'edited'],
        [3, 'commented'],
      ]);
      expect(rows[0]!.prev_hash).toBeNull();
      expect(rows[1]!.prev_hash).toBe(rows[0]!.hash);
      expect(rows[2]!.prev_hash).toBe(rows[1]!.hash);
      const { verifyStoredHistory } = await import('../src/claims/claims-queries.js');
      expect(await verifyStoredHistory(db, 'c1')).toEqual({ valid: true, length: 3, brokenAt: null });
    } finally {
      await close();
    }
  });
});
