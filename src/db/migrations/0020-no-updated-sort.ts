// The claim list no longer sorts by last change: 0018's two indexes on updated_at are dropped.
// Every write of a claim moves updated_at, so with an index on it no claim update could be a
// HOT update any more (migration 0015 set fillfactor so that updates of unindexed columns stay
// HOT): each update added an entry to every index of claims. Measured on PostgreSQL with two
// workers draining 100,000 due consent windows (scripts/bench-deadlines.ts, side by side):
// 14.0 and 28.5 s without them, 37.6 and 47.3 s with them; on one database with them dropped,
// 21.8 and 29.1 s against 39.2 s with them (docs/performance.md, docs/decisions.md).
import { sql, type Kysely } from 'kysely';

const indexes = {
  claims_updated: 'claims(updated_at DESC, id DESC)',
  claims_org_updated: 'claims(organization_id, updated_at DESC, id DESC)',
};

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const name of Object.keys(indexes)) await sql.raw(`DROP INDEX IF EXISTS ${name}`).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const [name, on] of Object.entries(indexes))
    await sql.raw(`CREATE INDEX ${name} ON ${on}`).execute(db);
}
