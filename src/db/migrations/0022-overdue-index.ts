// Issue 14 point 3: the reviewers' overdue list (claims whose reviewer SLA has passed) newest or
// oldest first. The claims overdue are the older of those waiting on a reviewer: at a million
// generated claims, 32,000 overdue sit behind 160,000 newer ones whose SLA has not passed, so
// no walk in creation order finds them early, and reading them through claims_sla_due (0012)
// visited 28,000 heap pages: 235 ms a page (docs/performance.md). This index replaces it: the
// same key and condition (the claims whose next deadline is a reviewer SLA; slaKinds of
// domain/claim-deadlines.ts written out as they were when this ran), carrying what the list
// needs of each (its order, its id, its organization for a partner's list) so that the
// overdue are read from the index alone and the newest 51 kept: 10 ms. A partner's overdue: the
// same by organization (its 175 of the 32,000 read alone: 7 -> 0.3 ms).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX claims_sla_overdue ON claims(due_at) INCLUDE (created_at, id, organization_id)
    WHERE due_kind IN ('review_start_sla', 'decision_sla', 'dispute_decision_sla')`.execute(db);
  await sql`CREATE INDEX claims_org_sla_overdue ON claims(organization_id, due_at) INCLUDE (created_at, id)
    WHERE due_kind IN ('review_start_sla', 'decision_sla', 'dispute_decision_sla')`.execute(db);
  await sql`DROP INDEX claims_sla_due`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX claims_sla_due ON claims(due_at)
    WHERE due_kind IN ('review_start_sla', 'decision_sla', 'dispute_decision_sla')`.execute(db);
  await sql`DROP INDEX claims_org_sla_overdue`.execute(db);
  await sql`DROP INDEX claims_sla_overdue`.execute(db);
}
