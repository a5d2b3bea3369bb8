// Opens the database: a PostgreSQL server through `pg` when a URL is given, else the
// embedded PostgreSQL (PGlite) stored in a folder. Same migrations, same queries.
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, Migrator, PostgresDialect, sql, type Migration } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import type { DB } from './schema.js';
import * as m0001 from './migrations/0001-initial.js';
import * as m0002 from './migrations/0002-time-mail-consent.js';
import * as m0004 from './migrations/0004-accounts.js';
import * as m0005 from './migrations/0005-rulebook.js';
import * as m0006 from './migrations/0006-history-chain.js';
import * as m0006b from './migrations/0006b-idempotency-commit.js';
import * as m0007 from './migrations/0007-webhooks.js';
import * as m0008 from './migrations/0008-runtime-role.js';
import * as m0011 from './migrations/0011-overdue-digest.js';

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
  '0011-overdue-digest': m0011,
};

// jsonb values go in as JSON text on both drivers; timestamps come back as Date on both.
export interface OpenOptions {
  url?: string;
  /** Folder of the embedded database; undefined keeps it in memory (tests). */
  dataDir?: string;
  poolSize?: number;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.url) {
    const pool = new pg.Pool({ connectionString: opts.url, max: opts.poolSize ?? 10 });
    return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  }
  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
  const pglite = await PGlite.create(opts.dataDir ? { dataDir: opts.dataDir } : {});
  return new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
}

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
