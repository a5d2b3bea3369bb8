// Issue 11 point 1: organization-owned rows are visible to the runtime role only through
// row-level security, whatever a query's own filter says (docs/architecture.md "Data access").
// The caller is what inTransaction / withCaller set for the transaction:
//   cpor.scope 'staff' | 'system'  every row
//   cpor.scope 'partner'           the rows of cpor.organization_id
//   cpor.scope 'consent'           the one claim cpor.claim_id (the customer's link)
//   cpor.scope 'auth'              credentials (tokens, sessions) only, to sign in
//   anything else, or nothing set  no row
// The owner (migrations, the database's triggers declared SECURITY DEFINER) is not subject to
// these policies: the application never runs as the owner after the migrations.
import { sql, type Kysely } from 'kysely';

const scope = `current_setting('cpor.scope', true)`;
const everything = `${scope} IN ('staff', 'system')`;
const organization = `current_setting('cpor.organization_id', true)`;
const consentClaim = `current_setting('cpor.claim_id', true)`;
/** A row of a claim the caller sees (the claims policy applies inside the subquery). */
const ofVisibleClaim = (column: string) =>
  `${everything} OR EXISTS (SELECT 1 FROM claims c WHERE c.id = ${column})`;

const policies: Record<string, string> = {
  claims: `${everything}
    OR (${scope} = 'partner' AND organization_id = ${organization})
    OR (${scope} = 'consent' AND id = ${consentClaim})`,
  claim_products: ofVisibleClaim('claim_id'),
  documents: ofVisibleClaim('claim_id'),
  comments: ofVisibleClaim('claim_id'),
  claim_history: ofVisibleClaim('claim_id'),
  deadlines: ofVisibleClaim('claim_id'),
  consent_uses: ofVisibleClaim('claim_id'),
  // Mail and events of a claim; a row of no claim is the system's.
  outbox: `${everything} OR (claim_id IS NOT NULL AND EXISTS (SELECT 1 FROM claims c WHERE c.id = claim_id))`,
  associations: `${everything}
    OR (${scope} = 'partner' AND organization_id = ${organization})
    OR (${scope} = 'consent' AND claim_id = ${consentClaim})`,
  // A reviewers' system's hook has no organization: staff only.
  webhooks: `${everything} OR (${scope} = 'partner' AND organization_id = ${organization})`,
  webhook_deliveries: `${everything} OR EXISTS (SELECT 1 FROM webhooks w WHERE w.id = webhook_id)`,
  // Credentials: signing in and the lookup of a token or cookie ('auth'), and a partner's
  // own organization's users (the admin ends a disabled user's credentials).
  api_tokens: `${scope} IN ('staff', 'system', 'auth')
    OR (${scope} = 'partner' AND EXISTS (SELECT 1 FROM users u WHERE u.id = user_id AND u.organization_id = ${organization}))`,
  sessions: `${scope} IN ('staff', 'system', 'auth')
    OR (${scope} = 'partner' AND EXISTS (SELECT 1 FROM users u WHERE u.id = user_id AND u.organization_id = ${organization}))`,
};

// R-UNIQ-3: a partner asks whether a workload or subscription is free; the answer depends on
// other organizations' associations and claims, which it does not see. These two functions
// run as the owner (SECURITY DEFINER) and answer that question only: who holds it (the
// route never names another partner) and who has a pending claim on it.
const functions = [
  `CREATE FUNCTION cpor_holders(p_tenant text, p_product text, p_subscription text)
   RETURNS TABLE (organization_id text, consent_state text)
   LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
     SELECT a.organization_id, a.consent_state FROM associations a
     WHERE a.ended_at IS NULL AND a.tenant_id = p_tenant AND a.product_id = p_product
       AND (p_subscription IS NULL OR a.subscription_id IS NULL OR a.subscription_id = p_subscription)
   $$`,
  `CREATE FUNCTION cpor_claimants(p_tenant text, p_product text, p_subscription text, p_statuses text[])
   RETURNS TABLE (organization_id text)
   LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
     SELECT c.organization_id FROM claim_products cp JOIN claims c ON c.id = cp.claim_id
     WHERE c.tenant_id = p_tenant AND cp.product_id = p_product AND c.status = ANY (p_statuses)
       AND (p_subscription IS NULL OR cp.subscription_id IS NULL OR cp.subscription_id = p_subscription)
   $$`,
  'REVOKE ALL ON FUNCTION cpor_holders(text, text, text) FROM PUBLIC',
  'REVOKE ALL ON FUNCTION cpor_claimants(text, text, text, text[]) FROM PUBLIC',
  'GRANT EXECUTE ON FUNCTION cpor_holders(text, text, text) TO cpor_app',
  'GRANT EXECUTE ON FUNCTION cpor_claimants(text, text, text, text[]) TO cpor_app',
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [table, using] of Object.entries(policies)) {
    await sql.raw(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`).execute(db);
    await sql.raw(`CREATE POLICY ${table}_caller ON ${table} TO cpor_app USING (${using})`).execute(db);
  }
  for (const statement of functions) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('DROP FUNCTION cpor_claimants(text, text, text, text[])').execute(db);
  await sql.raw('DROP FUNCTION cpor_holders(text, text, text)').execute(db);
  for (const table of Object.keys(policies)) {
    await sql.raw(`DROP POLICY ${table}_caller ON ${table}`).execute(db);
    await sql.raw(`ALTER TABLE ${table} DISABLE ROW LEVEL SECURITY`).execute(db);
  }
}
