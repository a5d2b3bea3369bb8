// Issue 14 point 2: every process keeps the callers of recent credentials in memory
// (src/people/auth-cache.ts) and drops them when any credential or user changes: a statement
// that updates or deletes api_tokens (all but last_used_at, touched once a minute), sessions,
// users or organizations (a disabled organization signs its users out) notifies the channel
// `cpor_credentials` when its transaction commits. New rows need no notice (nobody has them
// cached). The notice carries nothing: the processes drop everything they hold.
import { sql, type Kysely } from 'kysely';

export const credentialsChannel = 'cpor_credentials';

const watched: Record<string, string> = {
  api_tokens: 'UPDATE OF token_hash, user_id, revoked_at, credential_epoch, expires_at OR DELETE',
  sessions: 'UPDATE OR DELETE',
  users: 'UPDATE OR DELETE',
  organizations: 'UPDATE OR DELETE',
};

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `CREATE FUNCTION cpor_credentials_changed() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         PERFORM pg_notify('${credentialsChannel}', TG_TABLE_NAME);
         RETURN NULL;
       END $$`,
    )
    .execute(db);
  for (const [table, events] of Object.entries(watched)) {
    await sql
      .raw(
        `CREATE TRIGGER ${table}_changed AFTER ${events} ON ${table}
         FOR EACH STATEMENT EXECUTE FUNCTION cpor_credentials_changed()`,
      )
      .execute(db);
    await sql
      .raw(
        `CREATE TRIGGER ${table}_truncated AFTER TRUNCATE ON ${table}
         FOR EACH STATEMENT EXECUTE FUNCTION cpor_credentials_changed()`,
      )
      .execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of Object.keys(watched)) {
    await sql.raw(`DROP TRIGGER ${table}_changed ON ${table}`).execute(db);
    await sql.raw(`DROP TRIGGER ${table}_truncated ON ${table}`).execute(db);
  }
  await sql.raw('DROP FUNCTION cpor_credentials_changed()').execute(db);
}
