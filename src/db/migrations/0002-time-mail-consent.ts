// Issue 3: scheduler bookkeeping, mail dead letters, consent link uses and server settings.
import { sql, type Kysely } from 'kysely';
import { splitStatements } from './0001-initial.js';

const schema = `
    -- Which process fired a deadline, and why it did nothing when the action was refused.
    ALTER TABLE deadlines ADD COLUMN fired_by text;
    ALTER TABLE deadlines ADD COLUMN outcome text;
    -- An email that failed every attempt stays in the outbox with failed_at set.
    ALTER TABLE outbox ADD COLUMN failed_at timestamptz;
    -- R-CONS-1: a consent link works once; its use is recorded here (the token is not stored).
    CREATE TABLE consent_uses (
      token_hash text PRIMARY KEY,
      claim_id text NOT NULL REFERENCES claims(id),
      used_at timestamptz NOT NULL,
      action text NOT NULL
    );
    -- Generated server settings, e.g. the signing secret when CPOR_SECRET is unset.
    CREATE TABLE settings (
      key text PRIMARY KEY,
      value text NOT NULL,
      created_at timestamptz NOT NULL
    );
`;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of splitStatements(schema)) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('DROP TABLE settings').execute(db);
  await sql.raw('DROP TABLE consent_uses').execute(db);
  await sql.raw('ALTER TABLE outbox DROP COLUMN failed_at').execute(db);
  await sql.raw('ALTER TABLE deadlines DROP COLUMN outcome').execute(db);
  await sql.raw('ALTER TABLE deadlines DROP COLUMN fired_by').execute(db);
}
