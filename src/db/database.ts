// Opens the database: a PostgreSQL server through `pg` when a URL is given, else the
// embedded PostgreSQL (PGlite) stored in a folder. Same migrations, same queries.
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import {
  CompiledQuery,
  Kysely,
  Migrator,
  PostgresDialect,
  sql,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Migration,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import type { DB } from './schema.js';
import { inlined } from './inline.js';
import * as m0001 from './migrations/0001-initial.js';
import * as m0002 from './migrations/0002-time-mail-consent.js';
import * as m0004 from './migrations/0004-accounts.js';
import * as m0005 from './migrations/0005-rulebook.js';
import * as m0006 from './migrations/0006-history-chain.js';
import * as m0006b from './migrations/0006b-idempotency-commit.js';
import * as m0007 from './migrations/0007-webhooks.js';
import * as m0008 from './migrations/0008-runtime-role.js';
import * as m0008b from './migrations/0008b-row-level-security.js';
import * as m0008c from './migrations/0008c-claim-visibility.js';
import * as m0009 from './migrations/0009-imports.js';
import * as m0011 from './migrations/0011-overdue-digest.js';
import * as m0012 from './migrations/0012-list-indexes.js';
import * as m0013 from './migrations/0013-claim-counts.js';
import * as m0014 from './migrations/0014-runtime-login.js';
import * as m0014b from './migrations/0014b-people-walls.js';
import * as m0014c from './migrations/0014c-auth-sees-no-credential.js';
import * as m0015 from './migrations/0015-deadline-drain.js';
import * as m0015b from './migrations/0015b-credential-changes.js';
import * as m0016 from './migrations/0016-deactivation.js';
import * as m0018 from './migrations/0018-list-sorts.js';
import * as m0018b from './migrations/0018b-queue-index.js';
import * as m0019 from './migrations/0019-admin-audit.js';
import * as m0020 from './migrations/0020-no-updated-sort.js';
import * as m0021 from './migrations/0021-reference-changes.js';
import * as m0022 from './migrations/0022-overdue-index.js';
import * as m0023 from './migrations/0023-comment-order.js';

export type Database = Kysely<DB>;

export const migrations: Record<string, Migration> = {
  '0001-initial': m0001,
  '0002-time-mail-consent': m0002,
  '0004-accounts': m0004,
  '0005-rulebook': m0005,
  '0006-history-chain': m0006,
  '0006b-idempotency-commit': m0006b,
  '0007-webhooks': m0007,
  '0008-runtime-role': m0008,
  '0008b-row-level-security': m0008b,
  '0008c-claim-visibility': m0008c,
  '0009-imports': m0009,
  '0011-overdue-digest': m0011,
  '0012-list-indexes': m0012,
  '0013-claim-counts': m0013,
  '0014-runtime-login': m0014,
  '0014b-people-walls': m0014b,
  '0014c-auth-sees-no-credential': m0014c,
  '0015-deadline-drain': m0015,
  '0015b-credential-changes': m0015b,
  '0016-deactivation': m0016,
  '0018-list-sorts': m0018,
  '0018b-queue-index': m0018b,
  '0019-admin-audit': m0019,
  '0020-no-updated-sort': m0020,
  '0021-reference-changes': m0021,
  '0022-overdue-index': m0022,
  '0023-comment-order': m0023,
};

// jsonb values go in as JSON text on both drivers; timestamps come back as Date on both.
export interface OpenOptions {
  url?: string;
  /** Folder of the embedded database; undefined keeps it in memory (tests). */
  dataDir?: string;
  poolSize?: number;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  const dialect = await openDialect(opts);
  const drivers = new Drivers(new SharedDriver(dialect.createDriver()));
  const owner = new Kysely<DB>({
    dialect: withDriver(dialect, new RoleDriver(drivers, drivers.first, null)),
  });
  owners.set(owner, { dialect, drivers, opts });
  return owner;
}

const serverDialect = (url: string, poolSize?: number, Client?: typeof pg.Client) =>
  new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: poolSize ?? 10, Client }) });

async function openDialect(opts: OpenOptions): Promise<Dialect> {
  if (opts.url) return serverDialect(opts.url, opts.poolSize);
  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
  // pg_trgm: the claim search's trigram indexes (migration 0012).
  const pglite = await PGlite.create({
    ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
    extensions: { pg_trgm },
  });
  const dialect = new PGliteDialect(pglite);
  embedded.set(dialect, pglite);
  return dialect;
}

/**
 * The caller's settings of the transaction about to begin on the runtime handle
 * (src/db/transaction.ts): a `SELECT set_config(...)` with its values as literals, sent with
 * the BEGIN (on PostgreSQL with the first query too: CallerConnection). `sent` once used, so
 * that a transaction begun inside it does not take it again; `reads`: readAs, no BEGIN at all.
 */
export const beginAs = new AsyncLocalStorage<{ sql: string; sent: boolean; reads: boolean }>();

const owners = new WeakMap<Database, { dialect: Dialect; drivers: Drivers; opts: OpenOptions }>();

/** The login role of the runtime pool (migration 0014). */
export const runtimeLogin = 'cpor_runtime';

/**
 * The runtime pool's connection string when CPOR_RUNTIME_DATABASE_URL is not set: the owner's,
 * with the user `cpor_runtime` and no password (pg_hba admits it by trust, peer or a
 * certificate; otherwise set CPOR_RUNTIME_DATABASE_URL with the password given to the role).
 */
export function runtimeUrlOf(ownerUrl: string): string {
  const url = new URL(ownerUrl);
  url.password = '';
  url.searchParams.delete('password');
  // A URL with no host (a local socket named in `?host=`) has no user part: pg reads `?user=`.
  if (url.host) {
    url.username = runtimeLogin;
    url.searchParams.delete('user');
  } else url.searchParams.set('user', runtimeLogin);
  return url.toString();
}

/**
 * The application's handle on a database opened by `openDatabase` (docs/architecture.md "Data
 * access"): each connection used as the runtime role `cpor_app` with no caller, so that a
 * query outside `inTransaction` / `withCaller` sees no organization-owned row at all (issue 11
 * point 1). On PostgreSQL its connections are a pool of their own that logs in as
 * `cpor_runtime` (`url`, else `runtimeUrlOf` the owner's), which holds no privilege but
 * through cpor_app and cpor_staff: `RESET ROLE` leaves it nothing. The embedded database has
 * one connection and one (superuser) user: there it shares the owner's, and the role switch is
 * the wall. Call it after the migrations: they create the roles. Destroying either handle
 * closes every connection of both.
 */
export function runtimeDatabase(owner: Database, url?: string): Database {
  const opened = owners.get(owner);
  if (!opened) throw new Error('runtimeDatabase takes a handle of openDatabase');
  let dialect = opened.dialect;
  let shared = opened.drivers.first;
  if (opened.opts.url) {
    dialect = serverDialect(url ?? runtimeUrlOf(opened.opts.url), opened.opts.poolSize, LastResultClient);
    shared = opened.drivers.add(new SharedDriver(dialect.createDriver()));
  }
  const runtime = new Kysely<DB>({
    dialect: withDriver(dialect, new RoleDriver(opened.drivers, shared, 'cpor_app', !!opened.opts.url)),
  });
  const pglite = embedded.get(opened.dialect);
  sources.set(
    runtime,
    opened.opts.url ? { url: url ?? runtimeUrlOf(opened.opts.url) } : pglite ? { pglite } : null,
  );
  return runtime;
}

const embedded = new WeakMap<Dialect, PGlite>();
const sources = new WeakMap<Database, { url: string } | { pglite: PGlite } | null>();

/**
 * Where a runtime handle's process can LISTEN (src/db/notifications.ts): the runtime login's
 * URL on PostgreSQL (a connection of its own), or the embedded database itself.
 */
export function notificationSource(db: Database): { url: string } | { pglite: PGlite } | null {
  return sources.get(db) ?? null;
}

/**
 * Refuses a runtime login that could act as more than cpor_app / cpor_staff: a superuser, a
 * role that bypasses row-level security, or one that is (or may become) the tables' owner,
 * e.g. CPOR_RUNTIME_DATABASE_URL set to the owner's URL. A login that fails says which
 * setting to look at. Nothing to check on the embedded database.
 */
export async function checkRuntimeLogin(runtime: Database): Promise<void> {
  let row: { login: string; rolsuper: boolean; rolbypassrls: boolean; owner: boolean } | undefined;
  try {
    ({
      rows: [row],
    } = await sql<NonNullable<typeof row>>`
      SELECT session_user AS login, r.rolsuper, r.rolbypassrls,
        EXISTS (SELECT 1 FROM pg_tables t WHERE t.schemaname = 'public'
                AND pg_has_role(session_user, t.tableowner, 'MEMBER')) AS owner
      FROM pg_roles r WHERE r.rolname = session_user`.execute(runtime));
  } catch (e) {
    throw new Error(
      `The server's runtime connection (CPOR_RUNTIME_DATABASE_URL, by default DATABASE_URL as ${runtimeLogin}) failed: ${(e as Error).message}. Give ${runtimeLogin} a password and put it in CPOR_RUNTIME_DATABASE_URL, or let pg_hba admit it (README, Settings).`,
      { cause: e },
    );
  }
  if (!row) throw new Error('The runtime login is not a role of the server.');
  const why = row.rolsuper
    ? 'a superuser'
    : row.rolbypassrls
      ? 'a role that bypasses row-level security'
      : row.owner
        ? "the tables' owner (or a member of it)"
        : null;
  if (why)
    throw new Error(
      `The server's runtime login ${row.login} is ${why}: it must be ${runtimeLogin} or a role like it (CPOR_RUNTIME_DATABASE_URL, README "Settings").`,
    );
}

function withDriver(dialect: Dialect, driver: Driver): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createDriver: () => driver,
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db) => dialect.createIntrospector(db),
  };
}

/** One driver (pool, or the embedded database), shared by the handles that use it; closed once. */
class SharedDriver {
  private inited: Promise<void> | null = null;
  private destroyed: Promise<void> | null = null;
  /** The session role each connection was last set to (keyed by its physical connection). */
  readonly roles = new WeakMap<object, string>();
  constructor(readonly inner: Driver) {}
  init() {
    return (this.inited ??= this.inner.init());
  }
  destroy() {
    return (this.destroyed ??= this.inner.destroy());
  }
}

/** The drivers of one opened database (the owner's, the runtime pool's): closed together. */
class Drivers {
  private readonly all: SharedDriver[];
  constructor(readonly first: SharedDriver) {
    this.all = [first];
  }
  add(driver: SharedDriver) {
    this.all.push(driver);
    return driver;
  }
  async destroy() {
    await Promise.all(this.all.map((d) => d.destroy()));
  }
}

/**
 * Hands out connections in the session role of its handle: the owner's own (`null`) or
 * `cpor_app`. The role is switched only when a connection was last used by the other handle
 * (the embedded database's one connection: one round trip then, none otherwise), or is new (a
 * connection of the runtime pool, once). A transaction's `SET LOCAL` ends with it, back to this.
 */
class RoleDriver implements Driver {
  constructor(
    private readonly drivers: Drivers,
    private readonly shared: SharedDriver,
    private readonly role: 'cpor_app' | null,
    /** A runtime pool of PostgreSQL: transactions begin with their first query (CallerConnection). */
    private readonly callers = false,
  ) {}
  init() {
    return this.shared.init();
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await this.shared.inner.acquireConnection();
    // The embedded database has one connection, handed out in a new wrapper each time.
    const physical = (connection as { client?: object }).client ?? connection;
    const want = this.role ?? 'none';
    if (this.shared.roles.get(physical) !== want) {
      try {
        await connection.executeQuery(
          CompiledQuery.raw(
            `SELECT set_config('role', '${want}', false), set_config('cpor.scope', '', false),
               set_config('cpor.organization_id', '', false), set_config('cpor.claim_id', '', false),
               set_config('cpor.user_id', '', false)`,
          ),
        );
      } catch (e) {
        await this.shared.inner.releaseConnection(connection);
        throw e;
      }
      this.shared.roles.set(physical, want);
    }
    return this.callers ? new CallerConnection(connection) : connection;
  }
  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings) {
    const caller = this.role ? beginAs.getStore() : undefined;
    if (!caller || caller.sent) {
      if (connection instanceof CallerConnection) connection.beganPlainly();
      return this.shared.inner.beginTransaction(connection, settings);
    }
    caller.sent = true;
    // PostgreSQL: BEGIN and the caller's settings travel with the transaction's first query
    // (CallerConnection). The embedded database takes one statement per query: two calls, in
    // process.
    if (connection instanceof CallerConnection) return connection.begin(caller.sql, caller.reads);
    await this.shared.inner.beginTransaction(connection, settings);
    await connection.executeQuery(CompiledQuery.raw(caller.sql));
  }
  commitTransaction(connection: DatabaseConnection) {
    if (connection instanceof CallerConnection && !connection.end()) return Promise.resolve();
    return this.shared.inner.commitTransaction(connection);
  }
  rollbackTransaction(connection: DatabaseConnection) {
    if (connection instanceof CallerConnection && !connection.end()) return Promise.resolve();
    return this.shared.inner.rollbackTransaction(connection);
  }
  releaseConnection(connection: DatabaseConnection) {
    const inner = connection instanceof CallerConnection ? connection.inner : connection;
    return this.shared.inner.releaseConnection(inner);
  }
  destroy() {
    return this.drivers.destroy();
  }
}

/**
 * A runtime pool connection (PostgreSQL) whose transaction's BEGIN and caller settings travel
 * with its first query: one simple-protocol round trip for the three (issue 14 point 2), the
 * query's parameters written in as literals (inline.ts). `reads` (transaction.ts readAs): no
 * transaction is begun at all; each query is sent after the settings and the transaction's
 * read-only mode, the statements of one simple query making one implicit transaction that ends
 * with them: a read is one round trip, and nothing is left to commit. A query whose parameters
 * cannot be written in (a Buffer, a large value) and a streamed query first begin the
 * transaction as before (BEGIN and the settings, one round trip).
 */
class CallerConnection implements DatabaseConnection {
  private settings: string | null = null;
  private reads = false;
  /** A transaction is open on the server: COMMIT or ROLLBACK ends it. */
  private begun = false;

  constructor(readonly inner: DatabaseConnection) {}

  begin(settings: string, reads: boolean) {
    this.settings = settings;
    this.reads = reads;
    this.begun = false;
  }

  /** A transaction begun without a caller's settings (BEGIN sent as it is): it is open. */
  beganPlainly() {
    this.settings = null;
    this.begun = true;
  }

  /** The transaction ends: whether there is one on the server to commit or roll back. */
  end(): boolean {
    const begun = this.begun;
    this.settings = null;
    this.begun = false;
    return begun;
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const settings = this.settings;
    if (settings === null || this.begun) return this.inner.executeQuery<R>(query);
    const text = inlined(query.sql, query.parameters);
    if (text === null) {
      await this.beginHere(settings);
      return this.inner.executeQuery<R>(query);
    }
    // A multi-statement query answers with its last statement's result (LastResultClient).
    if (this.reads) return this.inner.executeQuery<R>(CompiledQuery.raw(`${settings}; ${text}`));
    this.begun = true;
    return this.inner.executeQuery<R>(CompiledQuery.raw(`BEGIN; ${settings}; ${text}`));
  }

  async *streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    if (this.settings !== null && !this.begun) await this.beginHere(this.settings);
    yield* this.inner.streamQuery<R>(query, chunkSize);
  }

  private async beginHere(settings: string) {
    this.begun = true;
    await this.inner.executeQuery(CompiledQuery.raw(`BEGIN; ${settings}`));
  }
}

/**
 * The runtime pool's client: a query of several statements (the caller's settings, then the
 * query: CallerConnection) answers with its last statement's result, as one query would.
 */
class LastResultClient extends pg.Client {}
LastResultClient.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const answer = (pg.Client.prototype.query as (...a: unknown[]) => unknown).apply(this, args);
  if (!(answer instanceof Promise)) return answer;
  return answer.then((r: unknown) => (Array.isArray(r) ? (r[r.length - 1] as unknown) : r));
} as typeof pg.Client.prototype.query;

/**
 * Migrations are numbered by the piece of work that adds them (docs/architecture.md), so one
 * may land after a higher-numbered one was applied: each is applied once, in name order
 * among those not applied yet.
 */
function newMigrator(db: Database) {
  return new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(migrations) },
    allowUnorderedMigrations: true,
  });
}

/** Applies the migrations not applied yet; returns their names. */
export async function migrate(db: Database): Promise<string[]> {
  const migrator = newMigrator(db);
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export async function migrationsApplied(db: Database): Promise<boolean> {
  const migrator = newMigrator(db);
  const all = await migrator.getMigrations();
  return all.every((m) => m.executedAt !== undefined);
}

/** Throws unless the database answers (readiness). */
export async function ping(db: Database): Promise<void> {
  await sql`SELECT 1`.execute(db);
}
