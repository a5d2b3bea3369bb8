// Issue 11 point 1 (api.md "The database as a second wall"): requests and the scheduler run as
// the runtime role `cpor_app`, which reads and writes rows and nothing more. Each refusal is
// checked through inTransaction itself, the way every request and the scheduler open theirs,
// beside a write the role may do, so that the test proves the reason.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRuntimeLogin, migrate, runtimeDatabase } from '../src/db/database.js';
import { consentCaller, inTransaction, type Caller } from '../src/db/transaction.js';
import { systemActor } from '../src/domain/actor.js';
import { claimInReview } from './claim-steps.js';
import { dbTargets, freshDatabase, seedWorld, testApp, type TestApp, type World } from './harness.js';

describe.each(dbTargets())('the runtime role on %s', (target) => {
  let t: TestApp;
  let w: World;
  let claimId: string;
  beforeAll(async () => {
    t = await testApp(target);
    w = await seedWorld(t);
    claimId = await claimInReview(t, w, 'Walled');
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Runs one statement the way the scheduler would (its handle, as cpor_staff); returns its error or null. */
  const asApp = async (statement: ReturnType<typeof sql>) => {
    try {
      await inTransaction(t.deps.db, systemActor, (tx) => statement.execute(tx));
      return null;
    } catch (e) {
      return (e as Error).message;
    }
  };

  it('runs each transaction as cpor_app (cpor_staff for staff and the system), and the connection is the owner again afterwards', async () => {
    const roleIn = async (caller: Caller | typeof systemActor) =>
      (
        await inTransaction(t.database.db, caller, (tx) =>
          sql<{
            role: string;
            scope: string;
          }>`SELECT current_user AS role, current_setting('cpor.scope') AS scope`.execute(tx),
        )
      ).rows[0];
    expect(await roleIn(systemActor)).toEqual({ role: 'cpor_staff', scope: 'system' });
    expect(await roleIn({ scope: 'staff' })).toEqual({ role: 'cpor_staff', scope: 'staff' });
    expect(await roleIn({ scope: 'partner', organizationId: 'x' })).toEqual({
      role: 'cpor_app',
      scope: 'partner',
    });
    expect(await roleIn(consentCaller('x'))).toEqual({ role: 'cpor_app', scope: 'consent' });
    // cpor_staff holds cpor_app's privileges and nothing of its own (the checks below run as it).
    const own = await sql<{ n: string }>`SELECT count(*) AS n FROM information_schema.role_table_grants
      WHERE grantee = 'cpor_staff'`.execute(t.database.db);
    expect(Number(own.rows[0]!.n)).toBe(0);
    const after = await sql<{ role: string }>`SELECT current_user AS role`.execute(t.database.db);
    expect(after.rows[0]!.role).not.toBe('cpor_app');
  });

  it('appends to the history and reads it, but cannot change, delete or truncate it', async () => {
    expect(await asApp(sql`SELECT count(*) FROM claim_history WHERE claim_id = ${claimId}`)).toBeNull();
    expect(await asApp(sql`UPDATE claim_history SET actor_name = 'x' WHERE claim_id = ${claimId}`)).toMatch(
      /permission denied/,
    );
    expect(await asApp(sql`DELETE FROM claim_history WHERE claim_id = ${claimId}`)).toMatch(
      /permission denied/,
    );
    expect(await asApp(sql`TRUNCATE claim_history CASCADE`)).toMatch(/permission denied/);
    const entries = await sql<{
      n: string;
    }>`SELECT count(*) AS n FROM claim_history WHERE claim_id = ${claimId}`.execute(t.database.db);
    expect(Number(entries.rows[0]!.n)).toBeGreaterThanOrEqual(4);
  });

  it('cannot disable the append-only trigger, alter, drop or truncate a table', async () => {
    expect(await asApp(sql`ALTER TABLE claim_history DISABLE TRIGGER claim_history_no_change`)).toMatch(
      /must be (the )?owner/,
    );
    expect(await asApp(sql`ALTER TABLE claim_history DISABLE TRIGGER ALL`)).toMatch(/must be (the )?owner/);
    expect(await asApp(sql`ALTER TABLE claims ADD COLUMN sneaky text`)).toMatch(/must be (the )?owner/);
    expect(await asApp(sql`DROP TABLE comments`)).toMatch(/must be (the )?owner/);
    expect(await asApp(sql`TRUNCATE claims CASCADE`)).toMatch(/permission denied/);
    expect(await asApp(sql`TRUNCATE outbox`)).toMatch(/permission denied/);
    expect(await asApp(sql`CREATE TABLE mine (x int)`)).toMatch(/permission denied/);
    expect(await asApp(sql`SET LOCAL session_replication_role = replica`)).toMatch(/permission denied/);
    // What it may do: change an ordinary row.
    expect(await asApp(sql`UPDATE claims SET name = name WHERE id = ${claimId}`)).toBeNull();
  });

  it('deletes no sign-in attempt and writes no migration record', async () => {
    expect(await asApp(sql`DELETE FROM sign_in_attempts`)).toMatch(/permission denied/);
    expect(await asApp(sql`DELETE FROM kysely_migration`)).toMatch(/permission denied/);
    expect(await asApp(sql`SELECT count(*) FROM kysely_migration`)).toBeNull();
  });

  // Injected SQL may run anything the connection may: on PostgreSQL the runtime pool logs in as
  // cpor_runtime (migration 0014), which holds nothing but the right to become cpor_app or
  // cpor_staff; giving up the role leaves it no table at all, and it cannot become the owner.
  it.runIf(target === 'postgres')(
    'logs in as cpor_runtime: RESET ROLE leaves it nothing, and it cannot become the owner',
    async () => {
      const who = await sql<{ login: string; role: string }>`
        SELECT session_user AS login, current_user AS role`.execute(t.deps.db);
      expect(who.rows[0]).toEqual({ login: 'cpor_runtime', role: 'cpor_app' });
      const owner = await sql<{ owner: string }>`
        SELECT tableowner AS owner FROM pg_tables WHERE tablename = 'claims'`.execute(t.database.db);
      expect(owner.rows[0]!.owner).not.toBe('cpor_runtime');
      // Each runs in a transaction that then rolls back, which undoes the RESET too.
      const afterReset = async (statement: ReturnType<typeof sql>) => {
        let outcome: string | null = null;
        await inTransaction(t.deps.db, systemActor, async (tx) => {
          await sql`RESET ROLE`.execute(tx);
          const role = await sql<{ role: string }>`SELECT current_user AS role`.execute(tx);
          expect(role.rows[0]!.role).toBe('cpor_runtime');
          outcome = await statement.execute(tx).then(
            () => 'done',
            (e: Error) => e.message,
          );
          throw new Error('roll back');
        }).catch(() => undefined);
        return outcome;
      };
      for (const statement of [
        sql`SELECT count(*) FROM claims`,
        sql`SELECT count(*) FROM claim_history`,
        sql`UPDATE claims SET name = 'x' WHERE id = ${claimId}`,
        sql`UPDATE claim_history SET actor_name = 'x' WHERE claim_id = ${claimId}`,
        sql`DELETE FROM claim_history`,
        sql`TRUNCATE claims CASCADE`,
        sql`TRUNCATE claim_history`,
        sql`ALTER TABLE claims ADD COLUMN sneaky text`,
        sql`ALTER TABLE claim_history DISABLE TRIGGER ALL`,
      ])
        expect(await afterReset(statement), statement.compile(t.deps.db).sql).toMatch(
          /permission denied|must be (the )?owner/,
        );
      const owners = await sql<{
        owner: string;
      }>`SELECT tableowner AS owner FROM pg_tables WHERE tablename = 'claims'`.execute(t.database.db);
      for (const escape of [
        sql.raw(`SET ROLE ${owners.rows[0]!.owner}`),
        sql.raw(`SET SESSION AUTHORIZATION ${owners.rows[0]!.owner}`),
        sql`SET ROLE pg_write_all_data`,
      ])
        expect(await asApp(escape), escape.compile(t.deps.db).sql).toMatch(/permission denied/);
      const entries = await sql<{ n: string }>`
        SELECT count(*) AS n FROM claim_history WHERE claim_id = ${claimId}`.execute(t.database.db);
      expect(Number(entries.rows[0]!.n)).toBeGreaterThanOrEqual(4);
      // The pool's connections are cpor_app again (the RESET rolled back with its transaction).
      expect(
        (await sql<{ role: string }>`SELECT current_user AS role`.execute(t.deps.db)).rows[0]!.role,
      ).toBe('cpor_app');
    },
  );

  it.runIf(target === 'postgres')(
    'refuses to start with a runtime login that is the owner or a superuser',
    async () => {
      const ownerUrl = t.database.url!;
      const wrong = runtimeDatabase(t.database.db, ownerUrl);
      await expect(checkRuntimeLogin(wrong)).rejects.toThrow(/superuser|owner/);
      await expect(checkRuntimeLogin(t.deps.db)).resolves.toBeUndefined();
      const nobody = new URL(ownerUrl);
      nobody.username = 'cpor_no_such_login';
      await expect(checkRuntimeLogin(runtimeDatabase(t.database.db, nobody.toString()))).rejects.toThrow(
        /CPOR_RUNTIME_DATABASE_URL/,
      );
    },
  );

  // The embedded database (PGlite) is one connection of one superuser: no second login exists
  // to keep the owner's rights out of reach, so there the role switch is the wall (README
  // "Security"; docs/architecture.md "The database as a second wall").
  it.runIf(target === 'pglite')('on the embedded database, shares the one superuser connection', async () => {
    const who = await sql<{ login: string; role: string }>`
      SELECT session_user AS login, current_user AS role`.execute(t.deps.db);
    expect(who.rows[0]!.role).toBe('cpor_app');
    expect(who.rows[0]!.login).not.toBe('cpor_runtime');
  });

  it('covers the tables of later migrations (default privileges)', async () => {
    await sql`CREATE TABLE later_table (id text PRIMARY KEY)`.execute(t.database.db);
    expect(await asApp(sql`INSERT INTO later_table VALUES ('a')`)).toBeNull();
    expect(await asApp(sql`TRUNCATE later_table`)).toMatch(/permission denied/);
    expect(await asApp(sql`DROP TABLE later_table`)).toMatch(/must be (the )?owner/);
    await sql`DROP TABLE later_table`.execute(t.database.db);
  });
});

describe.each(dbTargets())('the role migration on %s', (target) => {
  it('runs on a database of a server where the role exists, and in several databases at once', async () => {
    // One database per test file on the server: the role is the server's, created once.
    const dbs = await Promise.all([freshDatabase(target), freshDatabase(target)]);
    try {
      for (const d of dbs) {
        const { rows } = await sql<{
          n: string;
        }>`SELECT count(*) AS n FROM pg_roles WHERE rolname = 'cpor_app'`.execute(d.db);
        expect(Number(rows[0]!.n)).toBe(1);
        expect(await migrate(d.db)).toEqual([]);
      }
    } finally {
      await Promise.all(dbs.map((d) => d.drop()));
    }
  });
});
