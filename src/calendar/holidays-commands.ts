// R-TIME-1: changing the business calendar. A holiday added or removed moves the open
// deadlines counted in business days (reviewer SLAs, the partner's time to respond), as if
// the calendar had been so when they were set: each is recounted from its start (the
// deadline row's created_at), in the same transaction as the change.
import type { Deps } from '../deps.js';
import { inTransaction, withCaller, type Tx } from '../db/transaction.js';
import { roleLabel, type Actor } from '../domain/actor.js';
import { businessCalendar, zonedInstant } from '../domain/calendar.js';
import { businessDayLimit } from '../domain/claim-deadlines.js';
import { forbidden, notFound } from '../domain/errors.js';
import { appendHistory, loadHolidays } from '../claims/claims-repository.js';
import { appendAudit } from '../audit/audit-repository.js';
import { changesOf } from '../domain/admin-audit.js';
import {
  claimDueState,
  claimsWithOpenDeadlines,
  deleteHoliday,
  lockOpenDeadlines,
  moveClaimDue,
  moveDeadline,
  openDeadlinesOver,
  upsertHoliday,
} from './holidays-repository.js';

const kinds = Object.keys(businessDayLimit) as (keyof typeof businessDayLimit)[];

function requireAdmin(actor: Actor) {
  if (!actor.roles.includes('platform_admin'))
    throw forbidden('Only platform admins manage the business calendar.');
}

/** Adds a holiday (or renames the one of that date); true when it is new. */
export async function addHoliday(deps: Deps, actor: Actor, date: string, name: string): Promise<boolean> {
  requireAdmin(actor);
  return inTransaction(deps.db, actor, async (tx) => {
    const before = await upsertHoliday(tx, date, name);
    const added = before === null;
    if (added) await rescheduleOpenDeadlines(deps, tx, actor, { added: date });
    await appendAudit(tx, actor, deps.clock.now(), [
      {
        entity: 'holiday',
        entityId: date,
        action: added ? 'created' : 'updated',
        changes: changesOf(added ? null : { name: before }, { name }, ['name']),
      },
    ]);
    return added;
  });
}

/**
 * Issue 13 point 10: what adding a holiday on `date` would move, without adding it: the open
 * business-day deadlines (and their claims) whose due time it would push, each recounted from
 * its start with the calendar as it would be, exactly as `addHoliday` does. A date that is a
 * holiday already (a rename) moves nothing.
 */
export async function holidayImpact(deps: Deps, actor: Actor, date: string) {
  requireAdmin(actor);
  const zone = deps.config.CPOR_TIME_ZONE;
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const from = zonedInstant({ y, m, d, h: 0, mi: 0, s: 0, ms: 0 }, zone);
  const next = new Date(Date.UTC(y, m - 1, d + 1));
  const to = zonedInstant(
    { y: next.getUTCFullYear(), m: next.getUTCMonth() + 1, d: next.getUTCDate(), h: 0, mi: 0, s: 0, ms: 0 },
    zone,
  );
  return withCaller(deps.db, actor, async (db) => {
    const holidays = await loadHolidays(db);
    if (holidays.includes(date)) return { date, holiday: true, movedDeadlines: 0, claims: 0 };
    const calendar = businessCalendar(zone, [...holidays, date]);
    const moved = (await openDeadlinesOver(db, kinds, from, to)).filter((dl) => {
      const kind = dl.kind as keyof typeof businessDayLimit;
      const due = calendar.addBusinessDays(dl.created_at, deps.limits[businessDayLimit[kind]]);
      return due.getTime() !== dl.due_at.getTime();
    });
    return {
      date,
      holiday: false,
      movedDeadlines: moved.length,
      claims: new Set(moved.map((dl) => dl.claim_id)).size,
    };
  });
}

export async function removeHoliday(deps: Deps, actor: Actor, date: string): Promise<void> {
  requireAdmin(actor);
  await inTransaction(deps.db, actor, async (tx) => {
    const name = await deleteHoliday(tx, date);
    if (name === null) throw notFound('holiday');
    await rescheduleOpenDeadlines(deps, tx, actor, { removed: date });
    await appendAudit(tx, actor, deps.clock.now(), [
      { entity: 'holiday', entityId: date, action: 'deleted', changes: changesOf({ name }, null, ['name']) },
    ]);
  });
}

async function rescheduleOpenDeadlines(deps: Deps, tx: Tx, actor: Actor, change: Record<string, string>) {
  const claimIds = await claimsWithOpenDeadlines(tx, kinds);
  if (claimIds.length === 0) return;
  const calendar = businessCalendar(deps.config.CPOR_TIME_ZONE, await loadHolidays(tx));
  const now = deps.clock.now();
  for (const d of await lockOpenDeadlines(tx, claimIds, kinds)) {
    const kind = d.kind as keyof typeof businessDayLimit;
    const due = calendar.addBusinessDays(d.created_at, deps.limits[businessDayLimit[kind]]);
    if (due.getTime() === d.due_at.getTime()) continue;
    await moveDeadline(tx, d.id, due);
    const claim = await claimDueState(tx, d.claim_id);
    if (claim.due_kind !== kind) continue;
    const info = claim.requested_information;
    await moveClaimDue(tx, d.claim_id, {
      dueAt: due,
      version: claim.version + 1,
      now,
      requestedInformation:
        kind === 'partner_response' && info ? { ...info, dueAt: due.toISOString() } : undefined,
    });
    await appendHistory(tx, [
      {
        claimId: d.claim_id,
        at: now,
        type: 'deadline_moved',
        actorId: actor.id,
        actorName: actor.name,
        actorRole: roleLabel(actor),
        data: { kind, from: d.due_at.toISOString(), to: due.toISOString(), holiday: change },
      },
    ]);
  }
}
