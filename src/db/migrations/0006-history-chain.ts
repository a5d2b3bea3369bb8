// Issue 11 point 2: each claim's history is a hash chain (seq, prev_hash, hash). Existing
// entries are chained here in their order; from then on the database refuses an entry that
// does not follow the claim's last one (its seq and prev_hash), whatever the code above it does.
import { sql, type Kysely } from 'kysely';
import { entryHash } from '../../domain/history-chain.js';
import { splitStatements } from './0001-initial.js';

const before = `
    ALTER TABLE claim_history ADD COLUMN seq integer;
    ALTER TABLE claim_history ADD COLUMN prev_hash text;
    ALTER TABLE claim_history ADD COLUMN hash text;
`;

const after = `
    ALTER TABLE claim_history ALTER COLUMN seq SET NOT NULL;
    ALTER TABLE claim_history ALTER COLUMN hash SET NOT NULL;
    ALTER TABLE claim_history ADD CONSTRAINT claim_history_hash_hex CHECK (hash ~ '^[0-9a-f]{64}$');
    ALTER TABLE claim_history ADD CONSTRAINT claim_history_seq_positive CHECK (seq >= 1);
    CREATE UNIQUE INDEX claim_history_claim_seq ON claim_history(claim_id, seq);
    DROP INDEX claim_history_claim;
    CREATE FUNCTION claim_history_follows() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      last_seq integer;
      last_hash text;
    BEGIN
      SELECT seq, hash INTO last_seq, last_hash FROM claim_history
        WHERE claim_id = NEW.claim_id ORDER BY seq DESC LIMIT 1;
      IF NEW.seq IS DISTINCT FROM COALESCE(last_seq, 0) + 1 OR NEW.prev_hash IS DISTINCT FROM last_hash THEN
        RAISE EXCEPTION 'claim_history of claim % must follow entry % (hash %), got seq % after %',
          NEW.claim_id, last_seq, last_hash, NEW.seq, NEW.prev_hash;
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER claim_history_chain BEFORE INSERT ON claim_history
      FOR EACH ROW EXECUTE FUNCTION claim_history_follows();
`;

interface Row {
  id: string;
  claim_id: string;
  at: Date;
  type: string;
  actor_id: string | null;
  actor_name: string;
  actor_role: string;
  data: unknown;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of splitStatements(before)) await sql.raw(statement).execute(db);
  // The append-only trigger is set aside for this one rewrite, by the owner, in the migration's
  // transaction; nothing else can see the table meanwhile.
  await sql`ALTER TABLE claim_history DISABLE TRIGGER claim_history_no_change`.execute(db);
  const { rows } = await sql<Row>`
    SELECT id, claim_id, at, type, actor_id, actor_name, actor_role, data
    FROM claim_history ORDER BY claim_id, id`.execute(db);
  let claim = '';
  let seq = 0;
  let prev: string | null = null;
  for (const r of rows) {
    if (r.claim_id !== claim) [claim, seq, prev] = [r.claim_id, 0, null];
    seq += 1;
    const data = typeof r.data === 'string' ? (JSON.parse(r.data) as unknown) : r.data;
    const at = r.at instanceof Date ? r.at : new Date(r.at);
    const hash = entryHash(prev, {
      claimId: r.claim_id,
      seq,
      at,
      type: r.type,
      actor: { id: r.actor_id, name: r.actor_name, role: r.actor_role },
      data,
    });
    await sql`UPDATE claim_history SET seq = ${seq}, prev_hash = ${prev}, hash = ${hash} WHERE id = ${r.id}`.execute(
      db,
    );
    prev = hash;
  }
  await sql`ALTER TABLE claim_history ENABLE TRIGGER claim_history_no_change`.execute(db);
  for (const statement of splitStatements(after)) await sql.raw(statement).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('the history chain is not reversible');
}
