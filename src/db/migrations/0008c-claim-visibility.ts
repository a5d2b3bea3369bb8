// Issue 11 point 1, the price of the policies: a row under a claim was visible through
// `EXISTS (SELECT 1 FROM claims ...)` under the claims policy, which PostgreSQL plans, inside
// the policy's OR, as a hashed subplan that reads every claim the caller may see, for every
// query on history, products, documents... (seen with EXPLAIN: a sequential scan of claims).
// cpor_sees_claim looks up the one claim by its key instead: the work is per row returned,
// not per claim stored. SECURITY DEFINER (owned by the owner) so that the lookup is not
// filtered a second time; it reads the caller's settings, which belong to the session.
import { sql, type Kysely } from 'kysely';

const scope = `current_setting('cpor.scope', true)`;
const everything = `${scope} IN ('staff', 'system')`;

const underClaims = ['claim_products', 'documents', 'comments', 'claim_history', 'deadlines', 'consent_uses'];

const fn = `CREATE FUNCTION cpor_sees_claim(p_claim text) RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT EXISTS (SELECT 1 FROM claims c WHERE c.id = p_claim AND (
      (${scope} = 'partner' AND c.organization_id = current_setting('cpor.organization_id', true))
      OR (${scope} = 'consent' AND c.id = current_setting('cpor.claim_id', true))))
  $$`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(fn).execute(db);
  await sql.raw('REVOKE ALL ON FUNCTION cpor_sees_claim(text) FROM PUBLIC').execute(db);
  await sql.raw('GRANT EXECUTE ON FUNCTION cpor_sees_claim(text) TO cpor_app').execute(db);
  for (const table of underClaims)
    await sql
      .raw(`ALTER POLICY ${table}_caller ON ${table} USING (${everything} OR cpor_sees_claim(claim_id))`)
      .execute(db);
  await sql
    .raw(
      `ALTER POLICY outbox_caller ON outbox USING (${everything} OR (claim_id IS NOT NULL AND cpor_sees_claim(claim_id)))`,
    )
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const exists = (column: string) =>
    `${everything} OR EXISTS (SELECT 1 FROM claims c WHERE c.id = ${column})`;
  for (const table of underClaims)
    await sql.raw(`ALTER POLICY ${table}_caller ON ${table} USING (${exists('claim_id')})`).execute(db);
  await sql
    .raw(
      `ALTER POLICY outbox_caller ON outbox USING (${everything} OR (claim_id IS NOT NULL AND EXISTS (SELECT 1 FROM claims c WHERE c.id = claim_id)))`,
    )
    .execute(db);
  await sql.raw('DROP FUNCTION cpor_sees_claim(text)').execute(db);
}
