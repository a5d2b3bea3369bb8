// R-TIME-6: once a business day, the reviewers get one mail listing the claims that became
// overdue since the last digest (not one mail per claim). Written to the outbox in the same
// transaction as the digest's row, so it goes out once, whatever the number of schedulers
// and whatever crashes, and is sent like every other mail.
import type { Deps } from '../deps.js';
import { inTransaction } from '../db/transaction.js';
import { systemActor } from '../domain/actor.js';
import { businessCalendar } from '../domain/calendar.js';
import { digestDay } from '../domain/overdue-digest.js';
import type { OutboxMessage } from '../domain/outbox.js';
import { enqueue, loadHolidays } from '../claims/claims-repository.js';
import { enabledReviewers } from '../people/people-repository.js';
import { claimsOverdueBetween, lastOverdueDigest, recordOverdueDigest } from './digest-repository.js';

const settleMs = 60_000;

/** Writes today's digest when one is due; returns how many claims it lists (0: none went out). */
export async function writeOverdueDigest(deps: Deps): Promise<number> {
  return inTransaction(deps.db, systemActor, async (tx) => {
    const now = deps.clock.now();
    const timeZone = deps.config.CPOR_TIME_ZONE;
    const last = await lastOverdueDigest(tx);
    const day = digestDay(
      now,
      timeZone,
      businessCalendar(timeZone, await loadHolidays(tx)),
      last?.day ?? null,
      deps.config.CPOR_DIGEST_HOUR,
    );
    if (!day) return 0;
    // A minute's margin: an SLA entry of a scheduler transaction still running elsewhere is
    // read by the next digest rather than missed.
    const upTo = new Date(now.getTime() - settleMs);
    const claims = await claimsOverdueBetween(tx, last?.up_to ?? null, upTo);
    // Nothing new: no digest today yet; a claim that becomes overdue later today is in it.
    if (claims.length === 0) return 0;
    const reviewers = await enabledReviewers(tx);
    const recorded = await recordOverdueDigest(tx, {
      day,
      upTo,
      claimCount: claims.length,
      recipients: reviewers.length,
      now,
    });
    if (!recorded) return 0;
    const overdue = claims.map((c) => ({
      claimId: c.id,
      claimName: c.name,
      organizationName: c.organization_name,
      since: new Date(c.since).toISOString(),
    }));
    await enqueue(
      tx,
      reviewers.map((r): OutboxMessage => ({
        kind: 'email',
        claimId: null,
        payload: {
          template: 'overdue_digest',
          to: { name: r.name, email: r.email },
          language: r.language ?? 'en',
          claimId: null,
          overdue,
        },
      })),
      now,
    );
    return claims.length;
  });
}
