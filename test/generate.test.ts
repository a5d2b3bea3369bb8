// `cpor generate --claims N --due M` (api.md "Command line", issue 14 point 3) through the
// binary, on the embedded database and on the PostgreSQL server: the counts, the rules the
// database and the domain hold every claim to, and every history chain.
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/db/database.js';
import { statuses } from '../src/domain/claim.js';
import { dbTargets } from './harness.js';
import { cpor, emptyDatabase } from './cli-run.js';

const claims = 60;
const due = 4;

const rows = async <T>(db: Database, q: ReturnType<typeof sql<T>>) => (await q.execute(db)).rows;

describe('cpor generate: usage', () => {
  it('--claims is required and must be a whole number (exit 2)', async () => {
    expect((await cpor(['generate'], {})).code).toBe(2);
    const bad = await cpor(['generate', '--claims', 'many'], {});
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--claims takes a whole number');
  });
});

describe.each(dbTargets())('cpor generate on %s', (target) => {
  let database: Awaited<ReturnType<typeof emptyDatabase>> | undefined;
  let db: Database | undefined;
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it(
    `loads ${claims} claims and ${due} due consent windows that hold every rule`,
    { timeout: 240_000 },
    async () => {
      database = await emptyDatabase(target);
      const made = await cpor(['generate', '--claims', String(claims), '--due', String(due)], database.env);
      expect(made.code, made.stderr).toBe(0);
      expect(made.stdout).toContain(`${claims + due} claims (`);
      expect(made.stdout).toContain(`${due} deadlines due now`);
      // Every chain verifies, recomputed by the program's own check.
      const verified = await cpor(['verify-history'], database.env);
      expect(verified.code, verified.stdout + verified.stderr).toBe(0);
      expect(verified.stdout).toContain(`${claims + due} claims`);
      expect(verified.stdout).toContain(' 0 broken chains');

      db = await openDatabase(
        database.env.DATABASE_URL
          ? { url: database.env.DATABASE_URL }
          : { dataDir: join(database.env.CPOR_DATA_DIR!, 'db') },
      );
      const byStatus = await rows(
        db,
        sql<{ status: string; n: number }>`
      SELECT status, count(*)::int AS n FROM claims GROUP BY status`,
      );
      expect(byStatus.reduce((n, r) => n + r.n, 0)).toBe(claims + due);
      // Every status, ended included (the first claims go to each status in turn).
      expect(byStatus.map((r) => r.status).sort()).toEqual([...statuses].sort());

      // R-UNIQ-2: one association in force per tenant + workload and per subscription...
      expect(
        await rows(
          db,
          sql`SELECT tenant_id, product_id FROM associations
        WHERE ended_at IS NULL AND subscription_id IS NULL GROUP BY 1, 2 HAVING count(*) > 1`,
        ),
      ).toEqual([]);
      expect(
        await rows(
          db,
          sql`SELECT subscription_id FROM associations
        WHERE ended_at IS NULL AND subscription_id IS NOT NULL GROUP BY 1 HAVING count(*) > 1`,
        ),
      ).toEqual([]);
      // ...an approved claim holds each of its products, and only an approved claim holds any.
      expect(
        await rows(
          db,
          sql`SELECT c.id, c.status,
          (SELECT count(*) FROM claim_products p WHERE p.claim_id = c.id)::int AS products,
          (SELECT count(*) FROM associations a WHERE a.claim_id = c.id AND a.ended_at IS NULL)::int AS held
        FROM claims c
        WHERE (c.status = 'approved') <> ((SELECT count(*) FROM associations a
                 WHERE a.claim_id = c.id AND a.ended_at IS NULL) > 0)
           OR (c.status = 'approved' AND (SELECT count(*) FROM claim_products p WHERE p.claim_id = c.id)
                 <> (SELECT count(*) FROM associations a WHERE a.claim_id = c.id AND a.ended_at IS NULL))`,
        ),
      ).toEqual([]);
      // The running deadline a claim shows is its one open deadline of that kind, and a pending
      // consent has its window open until consent_ends_at.
      expect(
        await rows(
          db,
          sql`SELECT c.id FROM claims c WHERE c.due_at IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM deadlines d WHERE d.claim_id = c.id AND d.kind = c.due_kind AND d.due_at = c.due_at
          AND d.fired_at IS NULL AND d.cancelled_at IS NULL)
        AND c.status NOT IN ('approved', 'rejected', 'ended', 'draft')
        AND NOT EXISTS (SELECT 1 FROM deadlines d WHERE d.claim_id = c.id AND d.kind = c.due_kind
          AND d.outcome = 'sla_overdue')`,
        ),
      ).toEqual([]);
      expect(
        await rows(
          db,
          sql`SELECT c.id FROM claims c WHERE c.status = 'approved' AND c.consent_state = 'pending'
        AND (SELECT count(*) FROM deadlines d WHERE d.claim_id = c.id AND d.kind = 'consent_window'
          AND d.due_at = c.consent_ends_at AND d.fired_at IS NULL AND d.cancelled_at IS NULL) <> 1`,
        ),
      ).toEqual([]);
      // The due windows are there for the scheduler: approved claims whose consent window passed.
      const [open] = await rows(
        db,
        sql<{ n: number; windows: number }>`
      SELECT count(*)::int AS n, count(*) FILTER (WHERE kind = 'consent_window')::int AS windows
      FROM deadlines WHERE fired_at IS NULL AND cancelled_at IS NULL AND due_at <= now()`,
      );
      expect(open?.windows).toBeGreaterThanOrEqual(due);
      expect(open?.n).toBe(open?.windows);
      // Each history starts with the claim's creation; each submitted claim has its PoE.
      expect(
        await rows(db, sql`SELECT claim_id FROM claim_history WHERE seq = 1 AND type <> 'created'`),
      ).toEqual([]);
      expect(
        await rows(
          db,
          sql`SELECT id FROM claims c WHERE c.status <> 'draft'
        AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.claim_id = c.id)`,
        ),
      ).toEqual([]);
    },
  );
});
