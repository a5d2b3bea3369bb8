// R-TIME-1: changing the business calendar. A holiday added or removed moves the open
// deadlines counted in business days (reviewer SLAs, the partner's time to respond), as if
// the calendar had been so when they were set: each is recounted from its start (the
// deadline row's created_at), in the same transaction as the change.
import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { roleLabel, type Actor } from '../domain/actor.js';
import { businessCalendar } from '../domain/calendar.js';
import { businessDayLimit } from '../domain/claim-transitions.js';
import { forbidden, notFound } from '../domain/errors.js';
import { appendHistory, json, loadHolidays } from '../claims/claims-repository.js';

type Trx = Transaction<DB>;
const kinds = Object.keys(businessDayLimit) as (keyof typeof businessDayLimit)[];

function requireAdmin(actor: Actor) {
  if (!actor.roles.includes('platform_admin'))
    throw forbidden('Only platform admins manage the business calendar.');
}

/** Adds a holiday (or renames the one of that date); true when it is new. */
export async function addHoliday(deps: Deps, actor: Actor, date: string, name: string): Promise<boolean> {
  requireAdmin(actor);
  return deps.db.transaction().execute(async (trx) => {
    const existed = await trx
      .selectFrom('holidays')
      .select('date')
      .where('date', '=', date)
      .executeTakeFirst();
    await trx
      .insertInto('holidays')
      .values({ date, name })
      .onConflict((oc) => oc.column('date').doUpdateSet({ name }))
      .execute();
    if (!existed) await rescheduleOpenDeadlines(deps, trx, actor, { added: date });
    return !existed;
  });
}

export async function removeHoliday(deps: Deps, actor: Actor, date: string): Promise<void> {
  requireAdmin(actor);
  await deps.db.transaction().execute(async (trx) => {
    const r = await trx.deleteFrom('holidays').where('date', '=', date).executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) throw notFound('holiday');
    await rescheduleOpenDeadlines(deps, trx, actor, { removed: date });
  });
}

async function rescheduleOpenDeadlines(deps: Deps, trx: Trx, actor: Actor, change: Record<string, string>) {
  const open = () =>
    trx
      .selectFrom('deadlines')
      .select(['id', 'claim_id', 'kind', 'due_at', 'created_at'])
      .where('fired_at', 'is', null)
      .where('cancelled_at', 'is', null)
      .where('kind', 'in', kinds);
  const claimIds = [...new Set((await open().execute()).map((d) => d.claim_id))].sort();
  if (claimIds.length === 0) return;
  // Claims first, in id order, then their deadlines: the order a claim's command takes them.
  await trx.selectFrom('claims').select('id').where('id', 'in', claimIds).orderBy('id').forUpdate().execute();
  const calendar = businessCalendar(deps.config.CPOR_TIME_ZONE, await loadHolidays(trx));
  const now = deps.clock.now();
  for (const d of await open().where('claim_id', 'in', claimIds).forUpdate().execute()) {
    const kind = d.kind as keyof typeof businessDayLimit;
    const due = calendar.addBusinessDays(d.created_at, deps.limits[businessDayLimit[kind]]);
    if (due.getTime() === d.due_at.getTime()) continue;
    await trx.updateTable('deadlines').set({ due_at: due }).where('id', '=', d.id).execute();
    const claim = await trx
      .selectFrom('claims')
      .select(['due_kind', 'requested_information', 'version'])
      .where('id', '=', d.claim_id)
      .executeTakeFirstOrThrow();
    if (claim.due_kind !== kind) continue;
    const info = claim.requested_information;
    await trx
      .updateTable('claims')
      .set({
        due_at: due,
        version: claim.version + 1,
        updated_at: now,
        ...(kind === 'partner_response' && info
          ? { requested_information: json({ ...info, dueAt: due.toISOString() }) }
          : {}),
      })
      .where('id', '=', d.claim_id)
      .execute();
    await appendHistory(trx, [
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
