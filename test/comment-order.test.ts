// A claim's comments in the order they were written (migration 0023): the comments a database
// already holds are numbered in the order they were shown, (created_at, id), and every comment
// written after takes a higher number. The API's side (one instant, paged): lists-paging.test.ts.
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { databaseOfOld, dbTargets } from './harness.js';

describe.each(dbTargets())('the comment order migration on %s', (target) => {
  it('numbers the comments a database holds in the order they were shown, and the next ones after', async () => {
    const { db, migrateToLatest, close } = await databaseOfOld(target, ['c1', 'c2']);
    try {
      // Inserted out of their order: two at one instant (the id broke the tie), one earlier.
      const rows: [string, string, string][] = [
        ['k2', 'c1', '2026-05-01T10:00:00Z'],
        ['k3', 'c2', '2026-05-01T09:00:00Z'],
        ['k1', 'c1', '2026-05-01T10:00:00Z'],
        ['k0', 'c1', '2026-05-01T08:00:00Z'],
      ];
      for (const [id, claim, at] of rows)
        await sql`INSERT INTO comments (id, claim_id, author_id, author_name, author_role, text, created_at)
                  VALUES (${id}, ${claim}, 'u1', 'U', 'partner', ${id}, ${at}::timestamptz)`.execute(db);
      expect((await migrateToLatest()).error).toBeUndefined();
      const order = async () =>
        (
          await sql<{ id: string; claim_id: string }>`SELECT id, claim_id FROM comments ORDER BY seq`.execute(
            db,
          )
        ).rows.map((r) => r.id);
      expect(await order()).toEqual(['k0', 'k3', 'k1', 'k2']);
      // The next comment, at an earlier instant still, comes after them all; a number is not
      // the caller's to choose.
      await sql`INSERT INTO comments (id, claim_id, author_id, author_name, author_role, text, created_at)
                VALUES ('k4', 'c1', 'u1', 'U', 'partner', 'k4', '2020-01-01T00:00:00Z')`.execute(db);
      expect(await order()).toEqual(['k0', 'k3', 'k1', 'k2', 'k4']);
      await expect(
        sql`INSERT INTO comments (id, claim_id, author_id, author_name, author_role, text, created_at, seq)
            VALUES ('k5', 'c1', 'u1', 'U', 'partner', 'k5', now(), 1)`.execute(db),
      ).rejects.toThrow(/seq/);
    } finally {
      await close();
    }
  });
});
