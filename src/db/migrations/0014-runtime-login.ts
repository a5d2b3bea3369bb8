// Issue 11, the gap of 0008: the server logged in as the owner and only switched to cpor_app
// per transaction, so SQL injected anywhere could `RESET ROLE` and act as the owner
// (TRUNCATE, ALTER, rewrite the history). On PostgreSQL the runtime pool now logs in as
// `cpor_runtime` (CPOR_RUNTIME_DATABASE_URL, or DATABASE_URL with its user replaced:
// src/db/database.ts runtimeUrlOf): LOGIN, NOINHERIT, a member of cpor_app and cpor_staff
// and holding nothing of its own. It acts only through SET ROLE to one of them; `RESET ROLE`
// leaves it with no privilege on any table. Migrations still run as the owner.
//
// No password is set here (a migration has no place for one): the operator sets it
// (`ALTER ROLE cpor_runtime PASSWORD '...'`) and puts it in CPOR_RUNTIME_DATABASE_URL, or
// lets pg_hba admit the role otherwise (trust on a local socket, certificates). On the
// embedded database (PGlite: one connection, one superuser) the role exists but is not used.
import { sql, type Kysely } from 'kysely';

// As for cpor_app (0008): roles belong to the server; another database may have made it, or
// a concurrent migration may be making it now.
const createRole = `
  DO $$
  BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cpor_runtime') THEN
      BEGIN
        CREATE ROLE cpor_runtime LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOBYPASSRLS;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN
        NULL;
      END;
    END IF;
    IF NOT pg_has_role('cpor_runtime', 'cpor_app', 'MEMBER') THEN
      BEGIN
        GRANT cpor_app TO cpor_runtime;
      EXCEPTION WHEN unique_violation THEN
        NULL;
      END;
    END IF;
    IF NOT pg_has_role('cpor_runtime', 'cpor_staff', 'MEMBER') THEN
      BEGIN
        GRANT cpor_staff TO cpor_runtime;
      EXCEPTION WHEN unique_violation THEN
        NULL;
      END;
    END IF;
  END $$`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(createRole).execute(db);
  // Nothing of its own: what it may do, it does as cpor_app or cpor_staff.
  await sql.raw('REVOKE ALL ON ALL TABLES IN SCHEMA public FROM cpor_runtime').execute(db);
}

export async function down(): Promise<void> {
  // The role stays: other databases of the server may use it.
}
