// Issue 11 point 1, narrowing 0008b: the scope `auth` (signing in, looking up a token or a
// cookie, before anyone is known) saw every bearer token and session through the tables.
// Since 0014b the lookups are functions; what `auth` still did through the tables is done
// here by two more SECURITY DEFINER functions, each on the one row whose secret the caller
// holds (the token's id comes from its lookup, the cookie's hash from the cookie), and a
// new token or session is written through an INSERT-only policy. `auth` now reads, changes
// and deletes no credential row at all (test/row-level-security.test.ts).
import { sql, type Kysely } from 'kysely';

const scope = `current_setting('cpor.scope', true)`;
const organization = `current_setting('cpor.organization_id', true)`;
/** 0008b's policy of api_tokens and sessions, but for the scope `auth`. */
const credentialsOf = (scopes: string) => `${scope} IN (${scopes})
    OR (${scope} = 'partner' AND EXISTS (SELECT 1 FROM users u WHERE u.id = user_id AND u.organization_id = ${organization}))`;

const functions = [
  // The token's lastUsedAt, written at most once a minute (people-repository.ts touchToken).
  `CREATE FUNCTION cpor_touch_token(p_id text, p_now timestamptz) RETURNS void
   LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
     UPDATE api_tokens SET last_used_at = p_now
     WHERE id = p_id AND (last_used_at IS NULL OR last_used_at < p_now - interval '1 minute')
   $$`,
  // Signing out, or in again: the session of this cookie ends.
  `CREATE FUNCTION cpor_end_session(p_hash text) RETURNS void
   LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
     DELETE FROM sessions WHERE token_hash = p_hash
   $$`,
];
const signatures = ['cpor_touch_token(text, timestamptz)', 'cpor_end_session(text)'];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of functions) await sql.raw(statement).execute(db);
  for (const fn of signatures) {
    await sql.raw(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`).execute(db);
    await sql.raw(`GRANT EXECUTE ON FUNCTION ${fn} TO cpor_app`).execute(db);
  }
  for (const table of ['api_tokens', 'sessions']) {
    await sql
      .raw(`ALTER POLICY ${table}_caller ON ${table} USING (${credentialsOf(`'staff', 'system'`)})`)
      .execute(db);
    await sql
      .raw(`CREATE POLICY ${table}_issue ON ${table} FOR INSERT TO cpor_app WITH CHECK (${scope} = 'auth')`)
      .execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['api_tokens', 'sessions']) {
    await sql.raw(`DROP POLICY ${table}_issue ON ${table}`).execute(db);
    await sql
      .raw(`ALTER POLICY ${table}_caller ON ${table} USING (${credentialsOf(`'staff', 'system', 'auth'`)})`)
      .execute(db);
  }
  for (const fn of signatures) await sql.raw(`DROP FUNCTION ${fn}`).execute(db);
}
