// Issue 14 point 4: what a batch of due deadlines costs the database, made smaller
// (docs/performance.md "Deadlines at scale: the profile").
// - A claim's open deadlines have their own index: cancelling a claim's other deadlines
//   (replaceDeadlines, every transition that sets timers) planned a BitmapAnd of the index of
//   ALL open deadlines (100,000 entries when 100,000 are due) with the claim's index.
// - Claims and associations leave room on each page (fillfactor), so that an update that
//   changes no indexed column (a version and consent state, R-TIME-3's completed consent)
//   stays on its page (HOT) instead of adding an entry to each index (twelve on claims, two of
//   them trigram indexes of ~30 entries a row). Rows written before this keep full pages.
// - The history's two row triggers become statement triggers over the inserted rows, same
//   rules: the chain check (migration 0006) refuses any row whose seq - 1 is not an entry of
//   its claim with the row's prev_hash (or a first entry with a prev_hash); with the unique
//   (claim_id, seq) index that is the same chain as "follows the claim's last entry"; a second
//   first entry is now refused by that index. The webhook events (migration 0007) are one
//   INSERT ... SELECT per statement instead of a SECURITY DEFINER call per row.
import { sql, type Kysely } from 'kysely';

const up_ = [
  'CREATE INDEX deadlines_open_claim ON deadlines(claim_id) WHERE fired_at IS NULL AND cancelled_at IS NULL',
  'ALTER TABLE claims SET (fillfactor = 80)',
  'ALTER TABLE associations SET (fillfactor = 85)',
  `CREATE FUNCTION claim_history_chained() RETURNS trigger LANGUAGE plpgsql AS $$
   DECLARE
     bad record;
   BEGIN
     SELECT n.claim_id, n.seq, n.prev_hash, p.hash AS before_hash INTO bad
       FROM new_rows n
       LEFT JOIN claim_history p ON p.claim_id = n.claim_id AND p.seq = n.seq - 1
       WHERE (n.seq = 1 AND n.prev_hash IS NOT NULL)
          OR (n.seq > 1 AND (p.seq IS NULL OR p.hash IS DISTINCT FROM n.prev_hash))
       LIMIT 1;
     IF FOUND THEN
       RAISE EXCEPTION 'claim_history of claim % must follow entry % (hash %), got seq % after %',
         bad.claim_id, bad.seq - 1, bad.before_hash, bad.seq, bad.prev_hash;
     END IF;
     RETURN NULL;
   END $$`,
  'DROP TRIGGER claim_history_chain ON claim_history',
  `CREATE TRIGGER claim_history_chain AFTER INSERT ON claim_history REFERENCING NEW TABLE AS new_rows
   FOR EACH STATEMENT EXECUTE FUNCTION claim_history_chained()`,
  `CREATE FUNCTION claim_history_events() RETURNS trigger LANGUAGE plpgsql
   SECURITY DEFINER SET search_path = pg_catalog, public AS $$
   BEGIN
     -- No hook at all: no event to keep (a hook hears what happens after it was created).
     IF EXISTS (SELECT 1 FROM webhooks) THEN
       INSERT INTO outbox (id, kind, claim_id, payload, created_at, available_at)
       SELECT gen_random_uuid()::text, 'event', n.claim_id,
              jsonb_build_object('type', 'claim.history', 'claimId', n.claim_id, 'seq', n.seq), n.at, n.at
         FROM new_rows n ORDER BY n.claim_id, n.seq;
     END IF;
     RETURN NULL;
   END $$`,
  'DROP TRIGGER claim_history_event ON claim_history',
  `CREATE TRIGGER claim_history_event AFTER INSERT ON claim_history REFERENCING NEW TABLE AS new_rows
   FOR EACH STATEMENT EXECUTE FUNCTION claim_history_events()`,
];

const down_ = [
  'DROP TRIGGER claim_history_event ON claim_history',
  `CREATE TRIGGER claim_history_event AFTER INSERT ON claim_history
   FOR EACH ROW EXECUTE FUNCTION claim_history_event()`,
  'DROP FUNCTION claim_history_events()',
  'DROP TRIGGER claim_history_chain ON claim_history',
  `CREATE TRIGGER claim_history_chain BEFORE INSERT ON claim_history
   FOR EACH ROW EXECUTE FUNCTION claim_history_follows()`,
  'DROP FUNCTION claim_history_chained()',
  'ALTER TABLE associations RESET (fillfactor)',
  'ALTER TABLE claims RESET (fillfactor)',
  'DROP INDEX deadlines_open_claim',
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of up_) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const statement of down_) await sql.raw(statement).execute(db);
}
