// Issue 11 point 1, the tables 0008b left out: people, their organizations and what belongs to
// a user are under row-level security too (docs/architecture.md "The database as a second
// wall"). The caller is the one of 0008b, plus `cpor.user_id` (transaction.ts callerSettings):
//   users              a partner: its organization's users; anyone: its own row
//   organizations      a partner: its own; the consent link: its claim's organization
//   partner_locations  the same as organizations
//   idempotency_keys   the caller's own keys
//   sign_in_attempts   signing in ('auth'): counts and records attempts; partners see none
//   settings           every row but the consent links' signing secret (staff and system only)
//   overdue_digests    the scheduler's bookkeeping: staff and system only
// Staff and the system run as cpor_staff, whose policy on each is `true` (as in 0012).
//
// Authentication happens before a caller is known. It no longer reads users through the
// table: two SECURITY DEFINER functions return the one live credential's user for a token's or
// a session's hash, and a third the one user of an email for the password check. Each answers
// only who already holds the secret (the token, the cookie) or names the account (the email).
//
// Left outside, on purpose (test/row-level-security.test.ts lists them): products and
// holidays (reference data of the whole programme), the customer directory (tenants,
// tenant_domains, tenant_subscriptions: the programme's, not an organization's; partners'
// claim checks read it, R-CONS-3, and R-ROLE-3 keeps its routes to staff), and the
// migrations' own tables.
import { sql, type Kysely } from 'kysely';

const scope = `current_setting('cpor.scope', true)`;
const everything = `${scope} IN ('staff', 'system')`;
const organization = `current_setting('cpor.organization_id', true)`;
const user = `current_setting('cpor.user_id', true)`;
/** The organization of the consent link's claim (the claims policy shows the link that claim). */
const consentOrganization = `(SELECT c.organization_id FROM claims c WHERE c.id = current_setting('cpor.claim_id', true))`;

export const policies: Record<string, string> = {
  users: `${everything} OR (${scope} = 'partner' AND organization_id = ${organization}) OR id = ${user}`,
  organizations: `${everything} OR (${scope} = 'partner' AND id = ${organization})
    OR (${scope} = 'consent' AND id = ${consentOrganization})`,
  partner_locations: `${everything} OR (${scope} = 'partner' AND organization_id = ${organization})
    OR (${scope} = 'consent' AND organization_id = ${consentOrganization})`,
  idempotency_keys: `${everything} OR user_id = ${user}`,
  sign_in_attempts: `${scope} IN ('staff', 'system', 'auth')`,
  settings: `${everything} OR key <> 'secret'`,
  overdue_digests: everything,
};

/** The columns of the user behind a credential (people-repository.ts userColumns). */
const actorColumns = `id text, name text, roles jsonb, organization_id text, must_change_password boolean`;

const functions = [
  `CREATE FUNCTION cpor_actor_by_token(p_hash text, p_now timestamptz)
   RETURNS TABLE (${actorColumns}, token_id text, last_used_at timestamptz)
   LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
     SELECT u.id, u.name, u.roles, u.organization_id, u.must_change_password, t.id, t.last_used_at
     FROM api_tokens t JOIN users u ON u.id = t.user_id
     WHERE t.token_hash = p_hash AND t.revoked_at IS NULL AND t.expires_at > p_now
       AND t.credential_epoch = u.credential_epoch AND u.disabled_at IS NULL
   $$`,
  `CREATE FUNCTION cpor_actor_by_session(p_hash text, p_now timestamptz)
   RETURNS TABLE (${actorColumns}, csrf_token text)
   LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
     SELECT u.id, u.name, u.roles, u.organization_id, u.must_change_password, s.csrf_token
     FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.token_hash = p_hash AND s.expires_at > p_now
       AND s.credential_epoch = u.credential_epoch AND u.disabled_at IS NULL
   $$`,
  `CREATE FUNCTION cpor_sign_in_user(p_email text) RETURNS SETOF users
   LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
     SELECT * FROM users WHERE email = lower(p_email)
   $$`,
];
const signatures = [
  'cpor_actor_by_token(text, timestamptz)',
  'cpor_actor_by_session(text, timestamptz)',
  'cpor_sign_in_user(text)',
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [table, using] of Object.entries(policies)) {
    await sql.raw(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`).execute(db);
    await sql.raw(`CREATE POLICY ${table}_caller ON ${table} TO cpor_app USING (${using})`).execute(db);
    await sql.raw(`CREATE POLICY ${table}_staff ON ${table} TO cpor_staff USING (true)`).execute(db);
  }
  for (const statement of functions) await sql.raw(statement).execute(db);
  for (const fn of signatures) {
    await sql.raw(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`).execute(db);
    await sql.raw(`GRANT EXECUTE ON FUNCTION ${fn} TO cpor_app`).execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const fn of signatures) await sql.raw(`DROP FUNCTION ${fn}`).execute(db);
  for (const table of Object.keys(policies)) {
    await sql.raw(`DROP POLICY ${table}_staff ON ${table}`).execute(db);
    await sql.raw(`DROP POLICY ${table}_caller ON ${table}`).execute(db);
    await sql.raw(`ALTER TABLE ${table} DISABLE ROW LEVEL SECURITY`).execute(db);
  }
}
