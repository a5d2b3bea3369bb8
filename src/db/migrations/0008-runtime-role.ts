// Issue 11 point 1: the runtime role. Migrations run as the DATABASE_URL user, who owns the
// tables; requests and the scheduler run as `cpor_app` (inTransaction sets it per
// transaction). cpor_app reads and writes rows, and nothing more: no TRUNCATE, no ALTER or
// DROP (only an owner may), no trigger disabled (ditto), no UPDATE or DELETE of the history.
import { sql, type Kysely } from 'kysely';

// Roles belong to the whole server, not to one database: the role may exist already (another
// database of the server, e.g. one per test file), or be created by another migration at the
// same moment (then the second CREATE fails on the catalog's unique index, or finds it).
const createRole = `
  DO $$
  BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cpor_app') THEN
      BEGIN
        CREATE ROLE cpor_app NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOBYPASSRLS;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN
        NULL;
      END;
    END IF;
    -- The owner switches to the role (SET ROLE): a superuser may anyway; any other owner must
    -- be a member (PostgreSQL 16 makes the creator one; 15 does not).
    IF NOT pg_has_role(current_user, 'cpor_app', 'MEMBER') THEN
      BEGIN
        EXECUTE format('GRANT cpor_app TO %I', current_user);
      EXCEPTION WHEN unique_violation THEN
        NULL;
      END;
    END IF;
  END $$`;

const grants = [
  'GRANT USAGE ON SCHEMA public TO cpor_app',
  'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO cpor_app',
  'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO cpor_app',
  // R-HIST-1: the history and the record of sign-in attempts are evidence. The history is
  // appended to; an attempt moves once from pending to its outcome (its trigger checks that).
  'REVOKE UPDATE, DELETE ON claim_history FROM cpor_app',
  'REVOKE DELETE ON sign_in_attempts FROM cpor_app',
  // The migrations' own bookkeeping: the readiness check reads it, nothing else.
  'REVOKE INSERT, UPDATE, DELETE ON kysely_migration, kysely_migration_lock FROM cpor_app',
  // Tables of later migrations get the same grants without naming them (docs/architecture.md
  // "Data access": a migration adding an append-only table revokes what it must).
  'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO cpor_app',
  'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO cpor_app',
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(createRole).execute(db);
  for (const statement of grants) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // The role stays: other databases of the server may use it.
  await sql.raw('ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM cpor_app').execute(db);
  await sql
    .raw('ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM cpor_app')
    .execute(db);
  await sql.raw('REVOKE ALL ON ALL TABLES IN SCHEMA public FROM cpor_app').execute(db);
  await sql.raw('REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM cpor_app').execute(db);
  await sql.raw('REVOKE USAGE ON SCHEMA public FROM cpor_app').execute(db);
}
