// Issue 11 point 1 (api.md "The database as a second wall"): organization-owned rows are
// visible to the application only through row-level security. These tests make the code
// above the database err on purpose (a query without its organization filter, a repository
// asked for every organization, a write to another organization's claim) through the very
// read and write paths the application uses (withCaller, inTransaction, the runtime handle),
// and the database still shows the caller nothing foreign.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listPlan, pageOfClaimIds } from '../src/claims/claims-repository.js';
import { organizationsWithLocations, usersByEmail } from '../src/people/people-repository.js';
import { inTransaction, withCaller, type Caller } from '../src/db/transaction.js';
import { systemActor, type Actor } from '../src/domain/actor.js';
import { claimInReview, submittedClaim } from './claim-steps.js';
import {
  client,
  contactVerified,
  dbTargets,
  freshDatabase,
  seedWorld,
  testApp,
  type TestApp,
  type World,
} from './harness.js';

/** The tables whose rows hang from a claim (migration 0008b). */
const underClaims = [
  'claim_products',
  'documents',
  'comments',
  'claim_history',
  'deadlines',
  'consent_uses',
  'outbox',
  'webhook_deliveries',
] as const;
/** The tables whose rows belong to an organization (migration 0008b). */
const owned = ['claims', ...underClaims, 'associations', 'webhooks', 'api_tokens', 'sessions'] as const;
/** People and what belongs to one (migration 0014b). */
const people = [
  'users',
  'organizations',
  'partner_locations',
  'idempotency_keys',
  'sign_in_attempts',
  'overdue_digests',
] as const;
type Owned = (typeof owned)[number] | (typeof people)[number] | 'settings';

const partnerOf = (organizationId: string, id: string | null = null): Actor => ({
  kind: 'user',
  id,
  name: 'partner',
  roles: ['global_admin'],
  organizationId,
});
const reviewerActor: Actor = {
  kind: 'user',
  id: null,
  name: 'reviewer',
  roles: ['reviewer'],
  organizationId: null,
};

describe.each(dbTargets())('row-level security on %s', (target) => {
  let t: TestApp;
  let w: World;
  let claimA: string;
  let claimB: string;

  /** What the owner (no policy applies to it) counts in a table. */
  const ownerCount = async (table: Owned, where = sql`true`) => {
    const { rows } = await sql<{
      n: string;
    }>`SELECT count(*) AS n FROM ${sql.table(table)} WHERE ${where}`.execute(t.database.db);
    return Number(rows[0]!.n);
  };
  const userIdOf = async (email: string) =>
    (await sql<{ id: string }>`SELECT id FROM users WHERE email = ${email}`.execute(t.database.db)).rows[0]!
      .id;
  /** What a caller counts in a table through the application's read path. */
  const callerCount = (who: Actor | Caller, table: Owned) =>
    withCaller(t.deps.db, who, async (q) => {
      const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(q);
      return Number(rows[0]!.n);
    });

  beforeAll(async () => {
    t = await testApp(target);
    w = await seedWorld(t);
    const reviewer = client(t.app, w.tokens.reviewer);
    claimA = await claimInReview(t, w, 'Alpha');
    claimB = await submittedClaim(t, w, 'Beta', { mpnId: '2345678' }, 'partnerB');
    expect((await reviewer.post(`/api/v1/claims/${claimB}/start-review`)).statusCode).toBe(200);
    for (const id of [claimA, claimB]) {
      expect(
        (await reviewer.post(`/api/v1/claims/${id}/comments`, { text: 'Looked at it.' })).statusCode,
      ).toBe(201);
      expect((await reviewer.post(`/api/v1/claims/${id}/approve`, contactVerified)).statusCode).toBe(200);
    }
    // A hook of each organization, with a delivery, written by the owner.
    for (const [org, claim] of [
      [w.orgA.id, claimA],
      [w.orgB.id, claimB],
    ] as const) {
      await sql`INSERT INTO webhooks (id, organization_id, url, events, secret, created_by, created_at)
                VALUES (${`hook-${org}`}, ${org}, 'https://hooks.example/x', '["*"]', 's', 'u', now())`.execute(
        t.database.db,
      );
      await sql`INSERT INTO webhook_deliveries (id, webhook_id, claim_id, event_id, event_type, seq, idx, body, status,
                  created_at, next_attempt_at, retry_until)
                VALUES (${`d-${org}`}, ${`hook-${org}`}, ${claim}, 'e1', 'claim.approved', 1, 0, '{}', 'pending',
                  now(), now(), now())`.execute(t.database.db);
    }
    // A browser session of each organization (the tokens came with seedWorld).
    for (const email of ['global@a.example', 'incentives@b.example']) {
      const res = await client(t.app).post('/api/v1/auth/login', { email, password: 'test-password-1' });
      expect(res.statusCode).toBe(200);
    }
    // An Idempotency-Key of a user of each organization, a digest day, the signing secret.
    await sql`INSERT INTO idempotency_keys (user_id, key, request_hash, status_code, response, created_at, resource_id)
              SELECT id, 'key-' || email, 'h', 201, '{}', now(), '' FROM users
              WHERE email IN ('global@a.example', 'incentives@b.example')`.execute(t.database.db);
    await sql`INSERT INTO overdue_digests (day, up_to, claim_count, recipients, created_at)
              VALUES ('2026-03-04', now(), 0, 0, now())`.execute(t.database.db);
    await sql`INSERT INTO settings (key, value, created_at) VALUES ('secret', 'the-signing-secret', now())
              ON CONFLICT (key) DO NOTHING`.execute(t.database.db);
    await sql`INSERT INTO settings (key, value, created_at) VALUES ('not-a-secret', 'x', now())`.execute(
      t.database.db,
    );
    await sql`INSERT INTO consent_uses (token_hash, claim_id, used_at, action)
              VALUES ('h-a', ${claimA}, now(), 'view'), ('h-b', ${claimB}, now(), 'view')`.execute(
      t.database.db,
    );
  });
  afterAll(async () => {
    await t?.close();
  });

  it('every organization-owned table has rows of both organizations (so that the checks below can fail)', async () => {
    for (const table of [...owned, ...people, 'settings'] as const)
      expect(await ownerCount(table), table).toBeGreaterThan(0);
    expect(await ownerCount('claims', sql`organization_id = ${w.orgB.id}`)).toBe(1);
    expect(await ownerCount('associations', sql`organization_id = ${w.orgB.id}`)).toBe(1);
  });

  it('every table with a claim or an organization column is under row-level security', async () => {
    // Users and locations too since migration 0014b (sign-in reads a user through a function).
    const exempt: string[] = [];
    const { rows } = await sql<{ table: string; rls: boolean }>`
      SELECT DISTINCT c.relname AS table, c.relrowsecurity AS rls
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_attribute a ON a.attrelid = c.oid AND NOT a.attisdropped
      WHERE n.nspname = 'public' AND c.relkind = 'r'
        AND a.attname IN ('claim_id', 'organization_id', 'webhook_id')`.execute(t.database.db);
    expect(rows.length).toBeGreaterThan(5);
    const unguarded = rows.filter((r) => !r.rls && !exempt.includes(r.table)).map((r) => r.table);
    expect(unguarded).toEqual([]);
    for (const table of [...owned, ...people, 'settings']) {
      const { rows: policies } = await sql<{ n: string }>`
        SELECT count(*) AS n FROM pg_policies WHERE tablename = ${table} AND 'cpor_app' = ANY (roles)`.execute(
        t.database.db,
      );
      expect(Number(policies[0]!.n), table).toBeGreaterThanOrEqual(1);
    }
  });

  it('with no caller set, nothing organization-owned is visible: the runtime handle, and a caller of no scope', async () => {
    const role = await sql<{ who: string }>`SELECT current_user AS who`.execute(t.deps.db);
    expect(role.rows[0]!.who).toBe('cpor_app');
    for (const table of [...owned, ...people]) {
      expect(await t.deps.db.selectFrom(table).selectAll().execute(), table).toEqual([]);
      expect(await callerCount({ scope: 'none' }, table), table).toBe(0);
    }
    // The settings but the consent links' signing secret.
    const settings = await t.deps.db.selectFrom('settings').select('key').execute();
    expect(settings.map((r) => r.key)).toEqual(['not-a-secret']);
    // What is not an organization's stays readable: the catalog.
    expect((await t.deps.db.selectFrom('products').select('id').execute()).length).toBeGreaterThan(0);
  });

  it('a query without its organization filter sees only the caller organization, table by table', async () => {
    for (const [org, other] of [
      [w.orgA.id, w.orgB.id],
      [w.orgB.id, w.orgA.id],
    ] as const) {
      const mine = await withCaller(t.deps.db, partnerOf(org), (q) =>
        q.selectFrom('claims').select(['id', 'organization_id']).execute(),
      );
      expect(mine.length).toBeGreaterThan(0);
      expect(mine.every((c) => c.organization_id === org)).toBe(true);
      const theirs = await ownerCount('claims', sql`organization_id = ${other}`);
      expect(theirs).toBeGreaterThan(0);
      const ownClaims = sql`claim_id IN (SELECT id FROM claims WHERE organization_id = ${org})`;
      for (const table of underClaims)
        expect(await callerCount(partnerOf(org), table), table).toBe(await ownerCount(table, ownClaims));
      for (const table of ['associations', 'webhooks'] as const)
        expect(await callerCount(partnerOf(org), table), table).toBe(
          await ownerCount(table, sql`organization_id = ${org}`),
        );
      const ownUsers = sql`user_id IN (SELECT id FROM users WHERE organization_id = ${org})`;
      for (const table of ['api_tokens', 'sessions'] as const)
        expect(await callerCount(partnerOf(org), table), table).toBe(await ownerCount(table, ownUsers));
      // People (0014b): its organization's users and locations, its own organization, its own keys.
      const me = await userIdOf(org === w.orgA.id ? 'global@a.example' : 'incentives@b.example');
      const partner = partnerOf(org, me);
      for (const table of ['users', 'partner_locations'] as const)
        expect(await callerCount(partner, table), table).toBe(
          await ownerCount(table, sql`organization_id = ${org}`),
        );
      const orgs = await withCaller(t.deps.db, partner, (q) =>
        q.selectFrom('organizations').select('id').execute(),
      );
      expect(orgs).toEqual([{ id: org }]);
      const keys = await withCaller(t.deps.db, partner, (q) =>
        q.selectFrom('idempotency_keys').select('user_id').execute(),
      );
      expect(keys).toEqual([{ user_id: me }]);
      expect(await ownerCount('idempotency_keys', sql`user_id <> ${me}`)).toBeGreaterThan(0);
      for (const table of ['sign_in_attempts', 'overdue_digests'] as const)
        expect(await callerCount(partner, table), table).toBe(0);
      const keysSeen = await withCaller(t.deps.db, partner, (q) =>
        q.selectFrom('settings').select('key').execute(),
      );
      expect(keysSeen.map((r) => r.key)).not.toContain('secret');
      // A user of the organization who is not this one sees the organization's users, not its keys.
      expect(await callerCount(partnerOf(org), 'idempotency_keys')).toBe(0);
    }
  });

  it('a repository function asked for every organization (the staff list) answers a partner with its own claims', async () => {
    const ids = await withCaller(t.deps.db, partnerOf(w.orgA.id), (q) =>
      pageOfClaimIds(q, { organizationId: null, sort: 'newest', limit: 100 }),
    );
    expect(ids.map((r) => r.id)).toContain(claimA);
    expect(ids.map((r) => r.id)).not.toContain(claimB);
    // The staff's lists of organizations and users, asked by a partner: its own only.
    const orgs = await withCaller(t.deps.db, partnerOf(w.orgA.id), (q) => organizationsWithLocations(q));
    expect(orgs.map((o) => o.id)).toEqual([w.orgA.id]);
    expect(orgs[0]!.locations.map((l) => l.mpnId)).toEqual(w.orgA.mpnIds);
    const users = await withCaller(t.deps.db, partnerOf(w.orgA.id), (q) =>
      usersByEmail(q, undefined, { limit: 100 }),
    );
    expect(users.length).toBe(3);
    expect(users.every((u) => u.organization_id === w.orgA.id)).toBe(true);
  });

  it("a partner's list plans with the settings listPlan gives, in its transaction only, and still sees its own claims", async () => {
    const f = { organizationId: w.orgA.id, sort: 'newest' as const, limit: 100 };
    const setting = (q: Parameters<Parameters<typeof withCaller>[2]>[0], name: string) =>
      sql<{ v: string }>`SELECT current_setting(${name}) AS v`.execute(q).then((r) => r.rows[0]!.v);
    const inside = await withCaller(
      t.deps.db,
      partnerOf(w.orgA.id),
      async (q) => ({
        bitmap: await setting(q, 'enable_bitmapscan'),
        seq: await setting(q, 'enable_seqscan'),
        jit: await setting(q, 'jit'),
        ids: (await pageOfClaimIds(q, f)).map((r) => r.id),
      }),
      listPlan(f),
    );
    expect(inside).toMatchObject({ bitmap: 'off', seq: 'off', jit: 'off' });
    expect(inside.ids).toContain(claimA);
    expect(inside.ids).not.toContain(claimB);
    // The next transaction on the pool plans as before; a reviewer's list has no settings.
    expect(await withCaller(t.deps.db, partnerOf(w.orgA.id), (q) => setting(q, 'enable_bitmapscan'))).toBe(
      'on',
    );
    expect(listPlan({ organizationId: null })).toEqual({});
  });

  it("a partner's transaction cannot change, comment on or create another organization's rows", async () => {
    const partnerA = partnerOf(w.orgA.id);
    const changed = await inTransaction(t.deps.db, partnerA, (tx) =>
      tx.updateTable('claims').set({ name: 'hijacked' }).where('id', '=', claimB).executeTakeFirst(),
    );
    expect(changed.numUpdatedRows).toBe(0n);
    const removed = await inTransaction(t.deps.db, partnerA, (tx) =>
      tx.deleteFrom('deadlines').where('claim_id', '=', claimB).executeTakeFirst(),
    );
    expect(removed.numDeletedRows).toBe(0n);
    await expect(
      inTransaction(t.deps.db, partnerA, (tx) =>
        tx
          .insertInto('comments')
          .values({
            id: 'c-foreign',
            claim_id: claimB,
            author_id: null,
            author_name: 'x',
            author_role: 'global_admin',
            text: 'planted',
            created_at: new Date(),
          })
          .execute(),
      ),
    ).rejects.toThrow(/row-level security/);
    await expect(
      inTransaction(t.deps.db, partnerA, (tx) =>
        tx.updateTable('claims').set({ organization_id: w.orgA.id }).where('id', '=', claimA).execute(),
      ),
    ).resolves.toBeDefined();
    // Moving its own claim to the other organization is refused: the new row must stay visible.
    await expect(
      inTransaction(t.deps.db, partnerA, (tx) =>
        tx.updateTable('claims').set({ organization_id: w.orgB.id }).where('id', '=', claimA).execute(),
      ),
    ).rejects.toThrow(/row-level security/);
    expect(await ownerCount('claims', sql`name = 'hijacked'`)).toBe(0);
    expect(await ownerCount('comments', sql`id = 'c-foreign'`)).toBe(0);
  });

  it('staff and the system see every organization; the consent link one claim; sign-in credentials only', async () => {
    for (const who of [reviewerActor, systemActor])
      for (const table of [...owned, ...people, 'settings'] as const)
        expect(await callerCount(who, table), table).toBe(await ownerCount(table));
    const consent: Caller = { scope: 'consent', claimId: claimB };
    const seen = await withCaller(t.deps.db, consent, (q) => q.selectFrom('claims').select('id').execute());
    expect(seen).toEqual([{ id: claimB }]);
    expect(await callerCount(consent, 'claim_history')).toBe(
      await ownerCount('claim_history', sql`claim_id = ${claimB}`),
    );
    expect(await callerCount(consent, 'associations')).toBe(1);
    expect(await callerCount(consent, 'api_tokens')).toBe(0);
    // The partner of the link's claim (its name and contact on the consent page), no one else's.
    const theirs = await withCaller(t.deps.db, consent, (q) =>
      q.selectFrom('organizations').select('id').execute(),
    );
    expect(theirs).toEqual([{ id: w.orgB.id }]);
    expect(await callerCount(consent, 'partner_locations')).toBe(
      await ownerCount('partner_locations', sql`organization_id = ${w.orgB.id}`),
    );
    for (const table of ['users', 'idempotency_keys', 'sign_in_attempts'] as const)
      expect(await callerCount(consent, table), table).toBe(0);
    // Signing in writes a token or a session; it reads, changes and deletes none (0014c: the
    // lookup, the token's lastUsedAt and signing out are functions on the one row).
    const auth: Caller = { scope: 'auth' };
    for (const table of ['api_tokens', 'sessions'] as const)
      expect(await callerCount(auth, table), table).toBe(0);
    const ended = await inTransaction(t.deps.db, auth, (tx) => tx.deleteFrom('sessions').executeTakeFirst());
    expect(ended.numDeletedRows).toBe(0n);
    expect(await ownerCount('sessions')).toBeGreaterThan(0);
    for (const table of ['claims', 'claim_history', 'associations', 'webhooks'] as const)
      expect(await callerCount(auth, table), table).toBe(0);
    // Signing in counts and records attempts; it reads no user through the table (a function
    // returns the one of a token, a cookie or an email: migration 0014b).
    expect(await callerCount(auth, 'sign_in_attempts')).toBe(await ownerCount('sign_in_attempts'));
    for (const table of ['users', 'organizations', 'idempotency_keys'] as const)
      expect(await callerCount(auth, table), table).toBe(0);
  });

  it('availability still sees the other partner (R-UNIQ-3), through the one question it may ask', async () => {
    const tenant = await sql<{ tenant_id: string; product_id: string }>`
      SELECT tenant_id, product_id FROM associations WHERE claim_id = ${claimB}`.execute(t.database.db);
    const { tenant_id, product_id } = tenant.rows[0]!;
    const res = await client(t.app, w.tokens.partnerA).get(
      `/api/v1/availability?tenantId=${tenant_id}&productId=${product_id}`,
    );
    expect(res.json()).toEqual({ available: false, reason: 'associated', heldByYou: false });
  });
});

/**
 * The tables left outside row-level security, each with its reason (issue 11; migration 0014b
 * says the same). Any other table of the public schema must be under row-level security with a
 * policy for cpor_app and one for cpor_staff: a table added without them fails the test below
 * until it gets them (docs/architecture.md "Rule for later migrations") or a line here.
 */
const outsideTheWall: Record<string, string> = {
  products: 'the catalog: reference data of the whole programme, the same for every caller',
  holidays: 'the business calendar: reference data, the same for every caller',
  tenants:
    "the customer directory: the programme's, not an organization's; partners' claim checks read it (R-CONS-3), its routes are staff-only (R-ROLE-3)",
  tenant_domains: 'the customer directory (see tenants)',
  tenant_subscriptions: 'the customer directory (see tenants)',
  kysely_migration: "the migrations' bookkeeping: cpor_app reads it (readiness), writes nothing",
  kysely_migration_lock: "the migrations' bookkeeping: cpor_app writes nothing",
};

/** The tables of the public schema that are neither walled for both roles nor named above. */
async function unwalled(db: TestApp['database']['db']): Promise<string[]> {
  const { rows } = await sql<{ table: string; rls: boolean; app: boolean; staff: boolean }>`
    SELECT c.relname AS table, c.relrowsecurity AS rls,
      EXISTS (SELECT 1 FROM pg_policies p WHERE p.schemaname = 'public' AND p.tablename = c.relname
              AND 'cpor_app' = ANY (p.roles)) AS app,
      EXISTS (SELECT 1 FROM pg_policies p WHERE p.schemaname = 'public' AND p.tablename = c.relname
              AND 'cpor_staff' = ANY (p.roles) AND p.qual = 'true') AS staff
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
    ORDER BY c.relname`.execute(db);
  expect(rows.length).toBeGreaterThan(20);
  return rows.filter((r) => !(r.table in outsideTheWall) && !(r.rls && r.app && r.staff)).map((r) => r.table);
}

describe.each(dbTargets())('the wall around every table on %s', (target) => {
  let database: TestApp['database'];
  beforeAll(async () => {
    database = await freshDatabase(target);
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('walls every table for cpor_app and cpor_staff, but those named with their reason', async () => {
    expect(await unwalled(database.db)).toEqual([]);
    // The list names tables that exist (a table renamed or dropped leaves no stale excuse).
    const { rows } = await sql<{ table: string }>`
      SELECT relname AS table FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind = 'r'`.execute(database.db);
    const tables = rows.map((r) => r.table);
    for (const table of Object.keys(outsideTheWall)) expect(tables, table).toContain(table);
  });

  it('fails on a table added without its policies (the check above can fail)', async () => {
    await sql`CREATE TABLE later_unwalled (id text PRIMARY KEY, organization_id text)`.execute(database.db);
    try {
      expect(await unwalled(database.db)).toEqual(['later_unwalled']);
      await sql`ALTER TABLE later_unwalled ENABLE ROW LEVEL SECURITY`.execute(database.db);
      await sql`CREATE POLICY later_caller ON later_unwalled TO cpor_app USING (false)`.execute(database.db);
      expect(await unwalled(database.db)).toEqual(['later_unwalled']);
      await sql`CREATE POLICY later_staff ON later_unwalled TO cpor_staff USING (true)`.execute(database.db);
      expect(await unwalled(database.db)).toEqual([]);
    } finally {
      await sql`DROP TABLE later_unwalled`.execute(database.db);
    }
  });

  it('gives the runtime roles no TRUNCATE, REFERENCES or TRIGGER anywhere, no change of the history, and cpor_runtime nothing of its own', async () => {
    const { rows } = await sql<{ role: string; table: string; privilege: string }>`
      SELECT r.role, c.relname AS table, p.privilege
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      CROSS JOIN (VALUES ('cpor_app'), ('cpor_staff'), ('cpor_runtime')) AS r(role)
      CROSS JOIN (VALUES ('SELECT'), ('INSERT'), ('UPDATE'), ('DELETE'), ('TRUNCATE'), ('REFERENCES'), ('TRIGGER'))
        AS p(privilege)
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
        AND has_table_privilege(r.role, c.oid, p.privilege)`.execute(database.db);
    const held = (role: string, privilege: string) =>
      rows.filter((r) => r.role === role && r.privilege === privilege).map((r) => r.table);
    for (const role of ['cpor_app', 'cpor_staff', 'cpor_runtime'])
      for (const privilege of ['TRUNCATE', 'REFERENCES', 'TRIGGER'])
        expect(held(role, privilege), `${role} ${privilege}`).toEqual([]);
    // R-HIST-1: the history is appended to, never changed; the sign-in record is never deleted.
    for (const role of ['cpor_app', 'cpor_staff']) {
      expect(held(role, 'UPDATE'), role).not.toContain('claim_history');
      expect(held(role, 'DELETE'), role).not.toContain('claim_history');
      expect(held(role, 'DELETE'), role).not.toContain('sign_in_attempts');
      expect(held(role, 'INSERT'), role).toContain('claim_history');
    }
    // The login holds nothing but the right to become cpor_app or cpor_staff (migration 0014).
    expect(rows.filter((r) => r.role === 'cpor_runtime')).toEqual([]);
    const owners = await sql<{ owner: string }>`
      SELECT DISTINCT pg_get_userbyid(c.relowner) AS owner FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'`.execute(database.db);
    for (const { owner } of owners.rows)
      expect(['cpor_app', 'cpor_staff', 'cpor_runtime']).not.toContain(owner);
  });
});
