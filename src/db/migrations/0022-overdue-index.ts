// Issue 14 point 3: the reviewers' overdue list (claims whose reviewer SLA has passed) newest or
// oldest first. Overdue is "the claim's next deadline is an SLA and it has passed"; no index
// held the claims waiting on an SLA in creation order, so a page walked every claim newest
// first (most are decided, none overdue), then sorted every overdue claim: 205-236 ms a page at
// a million claims (docs/performance.md). This partial index holds only the claims whose next
// deadline is a reviewer SLA (domain/claim-deadlines.ts slaKinds, written out as they were
// when this ran), in creation order for either direction: the list walks it and keeps those
// whose SLA has passed. The overdue list by due date is served by claims_due (0012) already.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX claims_sla_created ON claims(created_at DESC, id DESC)
    WHERE due_kind IN ('review_start_sla', 'decision_sla', 'dispute_decision_sla')`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX claims_sla_created`.execute(db);
}
