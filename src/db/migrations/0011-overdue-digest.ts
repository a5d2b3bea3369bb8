// R-TIME-6: the reviewers' daily digest of claims that became overdue. One row per business
// day on which a digest went out: its primary key is what makes it once a day whatever the
// number of schedulers; `up_to` is where the next digest starts reading the history.
import { sql, type Kysely } from 'kysely';
import { splitStatements } from './0001-initial.js';

const schema = `
    CREATE TABLE overdue_digests (
      day text PRIMARY KEY CHECK (day ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
      up_to timestamptz NOT NULL,
      claim_count integer NOT NULL,
      recipients integer NOT NULL,
      created_at timestamptz NOT NULL
    );
    -- The digest reads the reviewer SLAs that passed since the last one.
    CREATE INDEX claim_history_sla_overdue ON claim_history(at) WHERE type = 'sla_overdue';
`;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of splitStatements(schema)) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('DROP INDEX claim_history_sla_overdue').execute(db);
  await sql.raw('DROP TABLE overdue_digests').execute(db);
}
