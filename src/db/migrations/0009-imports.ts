// R-UNIQ-4, legacy associations (the platform admin's import): the database refuses what the
// import refuses, as a second wall. A legacy association comes from no claim and has its own
// expiry, which the scheduler ends it on. NOT VALID: rows written before this stay as they are.
// Bulk import from the command line (issue 12 point 2, `cpor import-claims`): a claim the
// operator imported has no creating user (its history names the command).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE associations ADD CONSTRAINT associations_legacy_shape CHECK (
    (consent_state = 'legacy') = (claim_id IS NULL) AND (consent_state <> 'legacy' OR expires_at IS NOT NULL)
  ) NOT VALID`.execute(db);
  await sql`ALTER TABLE claims ALTER COLUMN created_by DROP NOT NULL`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE claims ALTER COLUMN created_by SET NOT NULL`.execute(db);
  await sql`ALTER TABLE associations DROP CONSTRAINT associations_legacy_shape`.execute(db);
}
