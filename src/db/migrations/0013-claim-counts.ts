// Issue 14 point 3: the counts of claims by status (the dashboard, /metrics `cpor_claims`)
// without reading the claims. Every statement that inserts, updates or deletes claims appends
// what it changed to claim_counts, one row per organization and status it moved (+n / -n,
// from its transition tables: one INSERT per statement, whatever its number of rows), in its
// own transaction; appends never wait on each other. A count is the sum of the rows of its
// organization and status; the scheduler folds the rows into one per organization and status
// now and then (compactClaimCounts), so that a sum reads a few rows per organization.
import { sql, type Kysely } from 'kysely';

const scope = `current_setting('cpor.scope', true)`;

const statements = [
  `CREATE TABLE claim_counts (
     organization_id text NOT NULL,
     status text NOT NULL,
     n bigint NOT NULL
   )`,
  'CREATE INDEX claim_counts_organization ON claim_counts(organization_id, status)',
  `INSERT INTO claim_counts (organization_id, status, n)
     SELECT organization_id, status, count(*) FROM claims GROUP BY organization_id, status`,
  // Owned by the owner (SECURITY DEFINER): a partner's, a customer's or the system's change
  // is counted whatever its caller may read or write of claim_counts.
  `CREATE FUNCTION claim_counts_changed() RETURNS trigger LANGUAGE plpgsql
   SECURITY DEFINER SET search_path = pg_catalog, public AS $$
   BEGIN
     IF TG_OP = 'INSERT' THEN
       INSERT INTO claim_counts (organization_id, status, n)
         SELECT organization_id, status, count(*) FROM new_rows GROUP BY organization_id, status;
     ELSIF TG_OP = 'DELETE' THEN
       INSERT INTO claim_counts (organization_id, status, n)
         SELECT organization_id, status, -count(*) FROM old_rows GROUP BY organization_id, status;
     ELSE
       INSERT INTO claim_counts (organization_id, status, n)
         SELECT organization_id, status, sum(d) FROM (
           SELECT organization_id, status, -1 AS d FROM old_rows
           UNION ALL SELECT organization_id, status, 1 FROM new_rows) AS moved
         GROUP BY organization_id, status HAVING sum(d) <> 0;
     END IF;
     RETURN NULL;
   END $$`,
  `CREATE TRIGGER claim_counts_insert AFTER INSERT ON claims REFERENCING NEW TABLE AS new_rows
   FOR EACH STATEMENT EXECUTE FUNCTION claim_counts_changed()`,
  `CREATE TRIGGER claim_counts_update AFTER UPDATE ON claims
   REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
   FOR EACH STATEMENT EXECUTE FUNCTION claim_counts_changed()`,
  `CREATE TRIGGER claim_counts_delete AFTER DELETE ON claims REFERENCING OLD TABLE AS old_rows
   FOR EACH STATEMENT EXECUTE FUNCTION claim_counts_changed()`,
  // Organization-owned: a partner sums its own organization's rows only.
  'ALTER TABLE claim_counts ENABLE ROW LEVEL SECURITY',
  `CREATE POLICY claim_counts_caller ON claim_counts TO cpor_app USING (${scope} IN ('staff', 'system')
     OR (${scope} = 'partner' AND organization_id = current_setting('cpor.organization_id', true)))`,
  'CREATE POLICY claim_counts_staff ON claim_counts TO cpor_staff USING (true)',
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const trigger of ['claim_counts_insert', 'claim_counts_update', 'claim_counts_delete'])
    await sql.raw(`DROP TRIGGER ${trigger} ON claims`).execute(db);
  await sql.raw('DROP FUNCTION claim_counts_changed()').execute(db);
  await sql.raw('DROP TABLE claim_counts').execute(db);
}
