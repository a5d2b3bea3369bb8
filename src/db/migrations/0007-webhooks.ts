// Issue 12 point 1: webhooks. Every history entry of a claim (R-HIST-1) becomes an `event`
// row of the outbox in the same transaction, written by the database itself, so that no
// change of a claim (status, comment, document, association, consent) can skip its event,
// whatever the code above it does. The webhook sender turns each event row into one
// delivery per subscribed hook and delivers them in order per claim (webhooks/).
import { sql, type Kysely } from 'kysely';
import { splitStatements } from './0001-initial.js';

const schema = `
    -- A receiver of events: a partner organization's (its own claims only) or, with no
    -- organization, a reviewers' system (every claim).
    CREATE TABLE webhooks (
      id text PRIMARY KEY,
      organization_id text REFERENCES organizations(id),
      url text NOT NULL,
      events jsonb NOT NULL,
      secret text NOT NULL,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL,
      secret_rotated_at timestamptz
    );
    CREATE INDEX webhooks_organization ON webhooks(organization_id);
    -- One event for one hook. The id is the Cpor-Delivery header, kept across retries; the
    -- body is written once, so every retry sends the same bytes. (seq, idx) orders a claim's
    -- events: the history entry's seq, then the event's place among that entry's events.
    CREATE TABLE webhook_deliveries (
      id text PRIMARY KEY,
      webhook_id text NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
      claim_id text NOT NULL REFERENCES claims(id),
      event_id text NOT NULL,
      event_type text NOT NULL,
      seq integer NOT NULL,
      idx integer NOT NULL,
      body text NOT NULL,
      status text NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
      attempts integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL,
      next_attempt_at timestamptz NOT NULL,
      retry_until timestamptz NOT NULL,
      last_attempt_at timestamptz,
      response_code integer,
      last_error text,
      delivered_at timestamptz,
      dead_at timestamptz,
      UNIQUE (webhook_id, event_id)
    );
    CREATE INDEX webhook_deliveries_due ON webhook_deliveries(next_attempt_at) WHERE status = 'pending';
    CREATE INDEX webhook_deliveries_order ON webhook_deliveries(webhook_id, claim_id, seq, idx) WHERE status = 'pending';
    CREATE INDEX webhook_deliveries_log ON webhook_deliveries(webhook_id, created_at, id);
    CREATE INDEX outbox_events_pending ON outbox(claim_id) WHERE kind = 'event' AND sent_at IS NULL;
    -- The consent_completed rows written before this migration: no hook existed to hear them.
    UPDATE outbox SET sent_at = created_at WHERE kind = 'event' AND sent_at IS NULL;
`;

// Kept out of splitStatements: a function body has semicolons of its own. SECURITY DEFINER
// (owned by the migrating user): the trigger must see every hook whoever the caller is.
const trigger = [
  `CREATE FUNCTION claim_history_event() RETURNS trigger LANGUAGE plpgsql
   SECURITY DEFINER SET search_path = pg_catalog, public AS $$
   BEGIN
     -- No hook at all: no event to keep (a hook hears what happens after it was created).
     IF EXISTS (SELECT 1 FROM webhooks) THEN
       INSERT INTO outbox (id, kind, claim_id, payload, created_at, available_at)
       VALUES (gen_random_uuid()::text, 'event', NEW.claim_id,
               jsonb_build_object('type', 'claim.history', 'claimId', NEW.claim_id, 'seq', NEW.seq),
               NEW.at, NEW.at);
     END IF;
     RETURN NULL;
   END $$`,
  `CREATE TRIGGER claim_history_event AFTER INSERT ON claim_history
   FOR EACH ROW EXECUTE FUNCTION claim_history_event()`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of splitStatements(schema)) await sql.raw(statement).execute(db);
  for (const statement of trigger) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('DROP TRIGGER claim_history_event ON claim_history').execute(db);
  await sql.raw('DROP FUNCTION claim_history_event()').execute(db);
  await sql.raw('DROP INDEX outbox_events_pending').execute(db);
  await sql.raw('DROP TABLE webhook_deliveries').execute(db);
  await sql.raw('DROP TABLE webhooks').execute(db);
}
