// Builds the real application for a test: a fresh database (in-memory PGlite, or a fresh
// database on the PostgreSQL server when TEST_DATABASE_URL is set), a manual clock, real
// storage in a temporary folder. Every database test runs on each target of dbTargets().
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Migrator, sql } from 'kysely';
import pg from 'pg';
import { buildApp, type AppOptions } from '../src/app.js';
import { ManualClock } from '../src/clock.js';
import { limitsOf, testConfig } from '../src/config.js';
import { migrate, migrations, openDatabase, runtimeDatabase, type Database } from '../src/db/database.js';
import { ReferenceCache } from '../src/db/reference-cache.js';
import type { Deps } from '../src/deps.js';
import { localStorage } from '../src/storage/storage.js';
import { seedCatalog } from '../src/catalog/catalog-commands.js';
import { createUser, createOrganization } from '../src/people/people-commands.js';
import type { Role } from '../src/domain/actor.js';

export type DbTarget = 'pglite' | 'postgres';

/**
 * PGlite always; the PostgreSQL server too when TEST_DATABASE_URL is set (CI sets it).
 * CPOR_TEST_TARGETS (a comma list: pglite, postgres) keeps only some: CI's second pass on
 * Node 24 runs the database tests on the PostgreSQL server only.
 */
export function dbTargets(): DbTarget[] {
  const all: DbTarget[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
  const only = process.env.CPOR_TEST_TARGETS;
  if (!only) return all;
  const wanted = only.split(',').map((t) => t.trim());
  for (const t of wanted) {
    if (t !== 'pglite' && t !== 'postgres') throw new Error(`CPOR_TEST_TARGETS: unknown target ${t}`);
    if (!all.includes(t)) throw new Error(`CPOR_TEST_TARGETS: ${t} needs TEST_DATABASE_URL`);
  }
  return all.filter((t) => wanted.includes(t));
}

export interface TestDatabase {
  /** The owner's handle (migrations, and tests that look behind the application's back). */
  db: Database;
  url?: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database. On the server: a new database per call, dropped afterwards. */
export async function freshDatabase(target: DbTarget, poolSize?: number): Promise<TestDatabase> {
  if (target === 'pglite') {
    const db = await openDatabase({});
    await migrate(db);
    return { db, drop: () => db.destroy() };
  }
  const server = await serverDatabase();
  const db = await openDatabase({ url: server.url, poolSize });
  await migrate(db);
  return {
    db,
    url: server.url,
    async drop() {
      await db.destroy();
      await server.drop();
    },
  };
}

/**
 * A database as it was before a migration (a migration's test): migrated up to
 * 0002-time-mail-consent only, with organization o1, its user u1 and draft claims of `claims`.
 * `migrateToLatest` runs the rest; `close` ends and drops it.
 */
export async function databaseOfOld(target: DbTarget, claims: string[] = ['c1']) {
  const server = target === 'postgres' ? await serverDatabase() : null;
  const db = await openDatabase(server ? { url: server.url } : {});
  const migrator = new Migrator({ db, provider: { getMigrations: () => Promise.resolve(migrations) } });
  const close = async () => {
    await db.destroy();
    await server?.drop();
  };
  try {
    const first = await migrator.migrateTo('0002-time-mail-consent');
    if (first.error) throw first.error;
    await sql`INSERT INTO organizations (id, name, created_at) VALUES ('o1', 'Org', now())`.execute(db);
    await sql`INSERT INTO users (id, email, name, password_hash, roles, created_at)
              VALUES ('u1', 'u@x.example', 'U', 'x', '["partner_global_admin"]', now())`.execute(db);
    for (const c of claims)
      await sql`INSERT INTO claims (id, organization_id, status, version, created_by, created_at, updated_at)
                VALUES (${c}, 'o1', 'draft', 1, 'u1', now(), now())`.execute(db);
  } catch (e) {
    await close();
    throw e;
  }
  return { db, migrateToLatest: () => migrator.migrateToLatest(), close };
}

/** A new, empty database on the PostgreSQL server of TEST_DATABASE_URL, and how to drop it. */
export async function serverDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('TEST_DATABASE_URL is not set');
  const name = `cpor_test_${randomUUID().replace(/-/g, '')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      // Connections of a pool that was just ended may still be closing: wait for them rather
      // than terminate them (a terminated one surfaces as an unhandled 57P01 in the test run).
      for (let i = 0; ; i++) {
        try {
          await c.query(`DROP DATABASE IF EXISTS ${name}${i < 50 ? '' : ' WITH (FORCE)'}`);
          break;
        } catch (e) {
          if ((e as { code?: string }).code !== '55006' || i >= 50) throw e;
          await new Promise((r) => setTimeout(r, 20));
        }
      }
      await c.end();
    },
  };
}

export interface TestApp {
  app: FastifyInstance;
  deps: Deps;
  clock: ManualClock;
  database: TestDatabase;
  close(): Promise<void>;
}

export async function testApp(
  target: DbTarget,
  opts: { env?: Record<string, string>; app?: AppOptions; start?: Date; database?: TestDatabase } = {},
): Promise<TestApp> {
  const database = opts.database ?? (await freshDatabase(target));
  const dir = await mkdtemp(join(tmpdir(), 'cpor-test-'));
  const config = testConfig({ CPOR_DATA_DIR: dir, ...opts.env });
  // A Wednesday noon UTC unless the test says otherwise.
  const clock = new ManualClock(opts.start ?? new Date('2026-03-04T12:00:00Z'));
  const deps: Deps = {
    // The application's handle, as in production: cpor_app (issue 11 point 1).
    db: runtimeDatabase(database.db),
    clock,
    config,
    limits: limitsOf(config),
    storage: localStorage(join(dir, 'documents')),
  };
  // The catalog and holidays held in memory, as buildApp would (the tests reach it here).
  deps.reference = await ReferenceCache.open(deps.db);
  await seedCatalog(deps);
  // strictContract: an answer whose status the route does not declare fails the test (a 500).
  const app = await buildApp(deps, {
    strictContract: true,
    ...opts.app,
    webDist: opts.app?.webDist ?? join(dir, 'no-web'),
  });
  await app.ready();
  return {
    app,
    deps,
    clock,
    database,
    async close() {
      await app.close();
      await deps.reference?.close();
      await database.drop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

const admin = {
  kind: 'user' as const,
  id: null,
  name: 'test admin',
  roles: ['platform_admin' as Role],
  organizationId: null,
};

export interface World {
  orgA: { id: string; mpnIds: string[] };
  orgB: { id: string; mpnIds: string[] };
  tokens: {
    admin: string;
    reviewer: string;
    partnerA: string;
    billingA: string;
    readerA: string;
    partnerB: string;
  };
}

export const tenantId = '6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';
export const otherTenantId = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

/** Two partner organizations with users of every role, a reviewer and a platform admin. */
export async function seedWorld(t: TestApp): Promise<World> {
  const orgA = await createOrganization(t.deps, admin, {
    name: 'Contoso Partners',
    locations: [
      { mpnId: '1234567', name: 'Seattle' },
      { mpnId: '1234568', name: 'São Paulo' },
    ],
  });
  const orgB = await createOrganization(t.deps, admin, {
    name: 'Fabrikam',
    locations: [{ mpnId: '2345678', name: 'Madrid' }],
  });
  const password = 'test-password-1';
  const mk = async (email: string, roles: Role[], organizationId: string | null) => {
    await createUser(t.deps, null, {
      email,
      name: email.split('@')[0] ?? email,
      password,
      roles,
      organizationId,
    });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/token',
      payload: { email, password },
    });
    return (res.json() as { token: string }).token;
  };
  return {
    orgA: { id: orgA.id, mpnIds: ['1234567', '1234568'] },
    orgB: { id: orgB.id, mpnIds: ['2345678'] },
    tokens: {
      admin: await mk('admin@test.example', ['platform_admin'], null),
      reviewer: await mk('reviewer@test.example', ['reviewer'], null),
      partnerA: await mk('global@a.example', ['global_admin'], orgA.id),
      billingA: await mk('billing@a.example', ['billing_admin'], orgA.id),
      readerA: await mk('reader@a.example', ['reader'], orgA.id),
      partnerB: await mk('incentives@b.example', ['incentives_admin'], orgB.id),
    },
  };
}

/** A small client over app.inject that speaks bearer tokens and JSON. */
export function client(app: FastifyInstance, token?: string) {
  const headers = (extra: Record<string, string> = {}) => ({
    ...(token ? { authorization: `Bearer ${token}` } : {}),
    ...extra,
  });
  return {
    get: (url: string, extra?: Record<string, string>) =>
      app.inject({ method: 'GET', url, headers: headers(extra) }),
    post: (url: string, payload?: unknown, extra?: Record<string, string>) =>
      app.inject({
        method: 'POST',
        url,
        headers: headers(extra),
        ...(payload === undefined ? {} : { payload: payload as object }),
      }),
    patch: (url: string, payload: unknown, extra?: Record<string, string>) =>
      app.inject({ method: 'PATCH', url, headers: headers(extra), payload: payload as object }),
    put: (url: string, payload: unknown, extra?: Record<string, string>) =>
      app.inject({ method: 'PUT', url, headers: headers(extra), payload: payload as object }),
    delete: (url: string, extra?: Record<string, string>) =>
      app.inject({ method: 'DELETE', url, headers: headers(extra) }),
    upload: (
      url: string,
      fileName: string,
      content: Buffer | string,
      contentType = 'application/octet-stream',
      extra?: Record<string, string>,
    ) => {
      const boundary = `----cpor${randomUUID()}`;
      const body = Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: ${contentType}\r\n\r\n`,
        ),
        Buffer.isBuffer(content) ? content : Buffer.from(content),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      return app.inject({
        method: 'POST',
        url,
        headers: headers({ ...extra, 'content-type': `multipart/form-data; boundary=${boundary}` }),
        payload: body,
      });
    },
  };
}

/**
 * What a reviewer adds to an approval after checking the customer contact of a tenant whose
 * domains the directory does not know (R-CONS-3); the test claims' tenants mostly are unknown.
 */
export const contactVerified = { checklist: { customer_contact_verified: true } };

/** A complete Microsoft 365 claim body for partner A. */
export function m365Claim(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Contoso mail migration',
    mpnId: '1234567',
    customer: { domain: 'contoso.onmicrosoft.com', tenantId },
    solutionArea: 'microsoft_365',
    activity: 'usage',
    products: [{ productId: 'exchange_online' }],
    customerContact: { name: 'Chris Customer', title: 'CIO', email: 'chris@contoso.example' },
    partnerContact: { name: 'Paula Partner', email: 'paula@a.example' },
    ...overrides,
  };
}

export const poeText = (n = 1) => `Statement of work ${n}\nSigned by the customer on 2026-03-01.\n`;

/** Open deadlines due by now, as the owner counts them (the drain tests and bench). */
export async function dueDeadlineCount(db: Database): Promise<number> {
  const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM deadlines
    WHERE fired_at IS NULL AND cancelled_at IS NULL AND due_at <= now()`.execute(db);
  return Number(rows[0]?.n);
}
