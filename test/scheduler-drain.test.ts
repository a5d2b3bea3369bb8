// Two scheduler processes (`npm run worker`) against one PostgreSQL server drain 2,400 due
// deadlines: none fired twice, none missed (issue 3 "Done when"; SKIP LOCKED in
// src/deadlines/). PostgreSQL only: PGlite has one connection and one process.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { dueDeadlineCount, freshDatabase, type TestDatabase } from './harness.js';
import { eventually, spawnCpor, type Child } from './processes.js';
import { cpor, emptyDatabase } from './cli-run.js';
import { openDatabase } from '../src/db/database.js';

// More than one batch (1,000, src/deadlines/scheduler.ts), so that both processes get some.
const total = 2400;

describe.skipIf(!process.env.TEST_DATABASE_URL)('two schedulers on PostgreSQL', () => {
  let database: TestDatabase | undefined;
  let dir = '';
  const workers: Child[] = [];
  afterAll(async () => {
    for (const w of workers) await w.crash();
    await database?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it(`drain ${total} due deadlines, each fired exactly once`, { timeout: 150_000 }, async () => {
    database = await freshDatabase('postgres');
    const { db, url } = database;
    dir = await mkdtemp(join(tmpdir(), 'cpor-drain-'));
    await sql`INSERT INTO organizations (id, name, created_at) VALUES ('org', 'Org', now())`.execute(db);
    await sql`INSERT INTO users (id, email, name, password_hash, organization_id, roles, created_at)
      VALUES ('u', 'u@x.example', 'U', 'x', 'org', '["global_admin"]', now())`.execute(db);
    // Half the claims wait for the partner (the deadline rejects them, R-TIME-2), half for a
    // reviewer (the deadline records an overdue SLA).
    await sql`INSERT INTO claims (id, organization_id, status, version, created_by, created_at, updated_at,
        due_at, due_kind)
      SELECT 'c' || g, 'org', CASE WHEN g % 2 = 0 THEN 'partner_action_required' ELSE 'submitted' END,
        1, 'u', now(), now(), now() - interval '1 minute',
        CASE WHEN g % 2 = 0 THEN 'partner_response' ELSE 'review_start_sla' END
      FROM generate_series(1, ${total}) AS g`.execute(db);

    const env = {
      DATABASE_URL: url ?? '',
      CPOR_DATA_DIR: dir,
      CPOR_SCHEDULER_INTERVAL_MS: '100',
      CPOR_LOG_LEVEL: 'info',
    };
    for (let i = 0; i < 2; i++) workers.push(spawnCpor('src/worker.ts', env));
    for (const w of workers) await w.waitFor(/scheduler \S+ started/);

    // Due now, written while both processes poll.
    await sql`INSERT INTO deadlines (id, claim_id, kind, due_at, created_at)
      SELECT 'd' || substr(id, 2), id, due_kind, due_at, now() FROM claims`.execute(db);
    const started = Date.now();
    const open = () => dueDeadlineCount(db);
    await eventually(async () => (await open()) === 0, 100_000, 'every deadline fired');
    const seconds = (Date.now() - started) / 1000;

    const byProcess = await sql<{ fired_by: string; n: string }>`
      SELECT fired_by, count(*) AS n FROM deadlines WHERE fired_at IS NOT NULL GROUP BY fired_by`.execute(db);
    console.log(
      `${total} deadlines drained in ${seconds.toFixed(1)} s by 2 processes:`,
      byProcess.rows.map((r) => `${r.fired_by}=${r.n}`).join(', '),
    );
    expect(byProcess.rows).toHaveLength(2);
    const outcomes = await sql<{ outcome: string; n: string }>`
      SELECT outcome, count(*) AS n FROM deadlines WHERE fired_at IS NOT NULL GROUP BY outcome ORDER BY outcome`.execute(
      db,
    );
    expect(outcomes.rows.map((r) => [r.outcome, Number(r.n)])).toEqual([
      ['expire_partner_response: rejected', total / 2],
      ['sla_overdue', total / 2],
    ]);
    // Each deadline left exactly one history event behind.
    const events = await sql<{ type: string; n: string; claims: string }>`
      SELECT type, count(*) AS n, count(DISTINCT claim_id) AS claims FROM claim_history
      GROUP BY type ORDER BY type`.execute(db);
    expect(events.rows.map((r) => [r.type, Number(r.n), Number(r.claims)])).toEqual([
      ['expire_partner_response', total / 2, total / 2],
      ['sla_overdue', total / 2, total / 2],
    ]);
    const rejected = await sql<{ n: string }>`
      SELECT count(*) AS n FROM claims WHERE status = 'rejected' AND status_reason = 'no_partner_response'`.execute(
      db,
    );
    expect(Number(rejected.rows[0]?.n)).toBe(total / 2);
    for (const w of workers) expect(w.output()).not.toMatch(/failed/);
  });
  it(
    'drain the due consent windows of `cpor generate` in batches: each completed once, every chain whole',
    { timeout: 300_000 },
    async () => {
      const dueWindows = 600;
      const data = await emptyDatabase('postgres');
      const env = { ...data.env, CPOR_SCHEDULER_INTERVAL_MS: '100', CPOR_LOG_LEVEL: 'debug' };
      const db = await openDatabase({ url: data.env.DATABASE_URL! });
      const two: Child[] = [];
      try {
        const made = await cpor(['generate', '--claims', '40', '--due', String(dueWindows)], data.env);
        expect(made.code, made.stderr).toBe(0);
        const open = async () =>
          Number(
            (
              await sql<{ n: string }>`SELECT count(*) AS n FROM deadlines
              WHERE fired_at IS NULL AND cancelled_at IS NULL AND due_at <= now()`.execute(db)
            ).rows[0]?.n,
          );
        const due = await open();
        expect(due).toBeGreaterThanOrEqual(dueWindows);
        for (let i = 0; i < 2; i++) two.push(spawnCpor('src/worker.ts', env));
        await eventually(async () => (await open()) === 0, 200_000, 'every due window fired');
        for (const w of two) await w.stop();
        // Each fired once, by one of the two; each claim's consent completed once, its
        // associations with it; batches, not one transaction each.
        const fired = await sql<{ fired_by: string; n: string }>`SELECT fired_by, count(*) AS n FROM deadlines
        WHERE fired_at IS NOT NULL AND fired_by <> 'cpor generate' GROUP BY fired_by`.execute(db);
        expect(fired.rows.reduce((n, r) => n + Number(r.n), 0)).toBe(due);
        const events = await sql<{ claims: string; n: string }>`SELECT count(DISTINCT claim_id) AS claims,
        count(*) AS n FROM claim_history WHERE type = 'complete_consent' AND actor_role = 'system'
        AND at >= (SELECT min(fired_at) FROM deadlines WHERE fired_by <> 'cpor generate')`.execute(db);
        expect([Number(events.rows[0]?.claims), Number(events.rows[0]?.n)]).toEqual([due, due]);
        const pending = await sql<{ n: string }>`SELECT count(*) AS n FROM associations a JOIN claims c
        ON c.id = a.claim_id WHERE c.consent_state = 'completed' AND a.consent_state = 'pending'
        AND a.ended_at IS NULL`.execute(db);
        expect(Number(pending.rows[0]?.n)).toBe(0);
        expect(two.map((w) => w.output()).join('')).toMatch(
          /deadlines fired: \d+ complete_consent: approved/,
        );
        for (const w of two) expect(w.output()).not.toMatch(/one by one|failed/);
        const verified = await cpor(['verify-history'], data.env);
        expect(verified.code, verified.stdout).toBe(0);
      } finally {
        for (const w of two) await w.crash();
        await db.destroy();
        await data.drop();
      }
    },
  );
});
