// The SLA report (R-TIME-7, api.md "Reports"): computed here with the business calendar and
// the holidays, never in the browser; partners see their own claims.
import type { Deps } from '../deps.js';
import { withCaller } from '../db/transaction.js';
import type { Actor } from '../domain/actor.js';
import { businessCalendar, localDate } from '../domain/calendar.js';
import { statuses, type SolutionArea, type Status } from '../domain/claim.js';
import { slaKinds } from '../domain/claim-deadlines.js';
import { outcomeOf, outcomes } from '../domain/claim-outcome.js';
import { slaItem, slaTotals, type SlaItem, type StatusChange } from '../domain/sla-report.js';
import { claimCountsByStatus, loadHolidays } from '../claims/claims-repository.js';
import { visibleOrganization } from '../claims/claims-queries.js';
import { csvLines } from '../lib/csv.js';
import { decodeCursor, encodeCursor } from '../lib/cursor.js';
import { finalCountsByReason, overdueCount, statusChangesOfDecided } from './reports-repository.js';

export interface SlaQuery {
  from: Date;
  to: Date;
  solutionArea?: string;
}

/** Every line of the period, by decision time. */
async function slaItems(deps: Deps, actor: Actor, q: SlaQuery): Promise<SlaItem[]> {
  const organizationId = visibleOrganization(actor);
  const [rows, holidays] = await withCaller(deps.db, actor, (db) =>
    Promise.all([statusChangesOfDecided(db, { ...q, organizationId }), loadHolidays(db)]),
  );
  const calendar = businessCalendar(deps.config.CPOR_TIME_ZONE, holidays);
  const byClaim = new Map<string, StatusChange[]>();
  const areaOf = new Map<string, SolutionArea | null>();
  for (const r of rows) {
    areaOf.set(r.claim_id, r.solution_area as SolutionArea | null);
    const list = byClaim.get(r.claim_id) ?? [];
    list.push({ at: r.at, type: r.type, from: r.from ?? undefined, to: r.to ?? undefined });
    byClaim.set(r.claim_id, list);
  }
  const target = deps.limits.decisionTargetBusinessDays;
  return [...byClaim]
    .map(([id, changes]) => slaItem(id, changes, calendar, target, areaOf.get(id) ?? null))
    .filter((i): i is SlaItem => i !== null)
    .sort((a, b) => a.decidedAt.localeCompare(b.decidedAt) || a.claimId.localeCompare(b.claimId));
}

export async function slaReport(deps: Deps, actor: Actor, q: SlaQuery & { limit: number; cursor?: string }) {
  const items = await slaItems(deps, actor, q);
  const after = q.cursor ? decodeCursor(q.cursor) : null;
  const rest = after
    ? items.filter((i) => i.decidedAt > after.at || (i.decidedAt === after.at && i.claimId > after.id))
    : items;
  const page = rest.slice(0, q.limit);
  const last = page.at(-1);
  return {
    targetBusinessDays: deps.limits.decisionTargetBusinessDays,
    items: page,
    totals: slaTotals(items, (at) => localDate(new Date(at), deps.config.CPOR_TIME_ZONE).slice(0, 7)),
    nextCursor: rest.length > q.limit && last ? encodeCursor({ at: last.decidedAt, id: last.claimId }) : null,
  };
}

const header = [
  'claimId',
  'solutionArea',
  'submittedAt',
  'decidedAt',
  'businessDays',
  'partnerBusinessDays',
  'met',
  'decision',
] as const;

export async function slaReportCsv(deps: Deps, actor: Actor, q: SlaQuery) {
  const items = await slaItems(deps, actor, q);
  const rows = async function* () {
    for (const i of items) yield header.map((k) => i[k]);
  };
  return csvLines([...header], rows());
}

/**
 * The claims the caller sees, counted by status (the dashboard's figures): from the counts
 * the database keeps (migration 0013), never a read of the claims. Every status, 0 included.
 */
export async function claimsByStatusReport(deps: Deps, actor: Actor, detail = false) {
  const organizationId = visibleOrganization(actor);
  const [rows, finals, overdue] = await withCaller(deps.db, actor, (q) =>
    Promise.all([
      claimCountsByStatus(q, organizationId),
      detail ? finalCountsByReason(q, organizationId) : null,
      detail ? overdueCount(q, deps.clock.now(), slaKinds, organizationId) : null,
    ]),
  );
  const items = statuses.map((status) => ({ status, count: rows.find((r) => r.status === status)?.n ?? 0 }));
  const total = items.reduce((n, i) => n + i.count, 0);
  if (!finals || overdue === null) return { items, total };
  // Issue 13 point 10: each way a claim ended, from the same table of conditions as the lists.
  const byOutcome = outcomes.map((outcome) => ({
    outcome,
    count: finals
      .filter((f) => outcomeOf(f.status as Status, f.reason) === outcome)
      .reduce((n, f) => n + f.n, 0),
  }));
  return { items, total, outcomes: byOutcome, overdue };
}
