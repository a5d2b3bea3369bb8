// Issue 9, the rule book at its edges: the database refuses what the rules refuse, as a
// second wall behind the commands.
import { sql, type Kysely } from 'kysely';
import { splitStatements } from './0001-initial.js';

const schema = `
    -- R-EDIT-2: while a claim is in review its evidence does not move under the reviewer.
    -- addDocument holds the claim FOR UPDATE, so the status read here is the one it checked.
    CREATE FUNCTION documents_not_in_review() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF (SELECT status FROM claims WHERE id = NEW.claim_id) = 'in_review' THEN
        RAISE EXCEPTION 'R-EDIT-2: no PoE is added to a claim in review' USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER documents_not_in_review BEFORE INSERT ON documents
      FOR EACH ROW EXECUTE FUNCTION documents_not_in_review();
    -- R-FIELD-3: an association of a Business Applications product holds one subscription,
    -- never the whole product. NOT VALID: rows written before this rule stay as they are.
    ALTER TABLE associations ADD CONSTRAINT associations_one_subscription_named
      CHECK (scope <> 'subscription' OR subscription_id IS NOT NULL) NOT VALID;
    -- R-UNIQ-7: the status ended, with its reason; an ended claim has no pending consent.
    ALTER TABLE claims DROP CONSTRAINT claims_status_check;
    ALTER TABLE claims ADD CONSTRAINT claims_status_check CHECK (status IN ('draft', 'submitted',
      'in_review', 'partner_action_required', 'approved', 'rejected', 'disputed', 'ended'));
    ALTER TABLE claims ADD CONSTRAINT claims_ended_with_reason CHECK (status <> 'ended' OR (
      status_reason IN ('superseded', 'partner_request', 'subscription_expired')
      AND consent_state IS DISTINCT FROM 'pending'));
    -- Each end of an association has its time and reason (R-UNIQ-7). NOT VALID: rows
    -- written before keep theirs ('disassociated' is the old name of partner_request).
    ALTER TABLE associations ADD CONSTRAINT associations_end_reason CHECK (
      (ended_at IS NULL) = (end_reason IS NULL) AND (end_reason IS NULL OR end_reason IN
      ('superseded', 'partner_request', 'subscription_expired', 'customer_declined', 'replaced'))) NOT VALID;
    -- R-UNIQ-7: what the scheduler reads to end associations whose subscription expired.
    CREATE INDEX associations_expires ON associations(expires_at)
      WHERE ended_at IS NULL AND expires_at IS NOT NULL;
    CREATE INDEX tenant_subscriptions_expires ON tenant_subscriptions(expires_at)
      WHERE expires_at IS NOT NULL;
`;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of splitStatements(schema)) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('DROP INDEX tenant_subscriptions_expires').execute(db);
  await sql.raw('DROP INDEX associations_expires').execute(db);
  await sql.raw('ALTER TABLE associations DROP CONSTRAINT associations_end_reason').execute(db);
  await sql.raw('ALTER TABLE claims DROP CONSTRAINT claims_ended_with_reason').execute(db);
  await sql.raw('ALTER TABLE associations DROP CONSTRAINT associations_one_subscription_named').execute(db);
  await sql.raw('DROP TRIGGER documents_not_in_review ON documents').execute(db);
  await sql.raw('DROP FUNCTION documents_not_in_review()').execute(db);
}
