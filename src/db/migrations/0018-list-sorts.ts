// Issue 13 point 9: the claim list sorts by last change too (`sort=updated`, most recently
// updated first), keyset-paged on (updated_at, id) like the other sorts, for everyone or one
// organization. `sort=oldest` needs no index of its own: claims_created and
// claims_org_created (migration 0001) are read backwards.
//
// The cost: every write of a claim sets updated_at, so no claim update is a HOT update any more
// (one more index entry per update of each of these two indexes).
import { sql, type Kysely } from 'kysely';

const indexes = {
  claims_updated: 'claims(updated_at DESC, id DESC)',
  claims_org_updated: 'claims(organization_id, updated_at DESC, id DESC)',
};

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [name, on] of Object.entries(indexes))
    await sql.raw(`CREATE INDEX ${name} ON ${on}`).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const name of Object.keys(indexes)) await sql.raw(`DROP INDEX ${name}`).execute(db);
}
