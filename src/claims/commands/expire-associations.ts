// Use case (R-UNIQ-4, R-UNIQ-7): the scheduler ends the associations whose subscription
// expired (the directory's `expiresAt`; a legacy association its own expiry), frees them,
// records it in the claim's history, mails the partner, and ends a claim left with none.
import type { Deps } from '../../deps.js';
import { inTransaction, withCaller } from '../../db/transaction.js';
import { systemActor } from '../../domain/actor.js';
import {
  associationInForceForUpdate,
  endAssociation,
  expiredAssociations,
} from '../../associations/associations-repository.js';
import { appendHistory, loadClaim } from '../claims-repository.js';
import { actorFields, transitionContext } from './command-context.js';
import { endClaimIfNoneInForce, mailPartner } from './persist-outcome.js';

/** Associations looked at per round. */
const batchSize = 50;

/** Ends every association expired by the clock's now; returns how many ended. */
export async function expireAssociations(deps: Deps): Promise<number> {
  let total = 0;
  for (;;) {
    const due = await withCaller(deps.db, systemActor, (q) =>
      expiredAssociations(q, deps.clock.now(), batchSize),
    );
    if (due.length === 0) return total;
    // One transaction per claim (a legacy association has none): the claim is locked before
    // its associations, in the order every other command takes them.
    const groups = new Map<string, typeof due>();
    for (const a of due) {
      const key = a.claim_id ?? `legacy:${a.id}`;
      groups.set(key, [...(groups.get(key) ?? []), a]);
    }
    let ended = 0;
    for (const rows of groups.values()) {
      ended += await inTransaction(deps.db, systemActor, async (tx) => {
        const ctx = await transitionContext(deps, tx);
        const claimId = rows[0]?.claim_id ?? null;
        const claim = claimId ? await loadClaim(tx, claimId, true) : null;
        const gone: typeof rows = [];
        for (const r of rows) {
          // Another process may have ended it meanwhile.
          if (!(await associationInForceForUpdate(tx, r.id))) continue;
          await endAssociation(tx, r.id, ctx.now, 'subscription_expired');
          gone.push(r);
        }
        if (!claim || gone.length === 0) return gone.length;
        await appendHistory(
          tx,
          gone.map((r) => ({
            claimId: claim.id,
            at: ctx.now,
            type: 'association_expired',
            ...actorFields(systemActor),
            data: {
              productId: r.product_id,
              subscriptionId: r.subscription_id,
              expiresAt: r.expires_at ? new Date(r.expires_at).toISOString() : null,
              endReason: 'subscription_expired',
            },
          })),
        );
        await mailPartner(
          tx,
          claim,
          'association_expired',
          gone.map((r) => ({ productId: r.product_id, subscriptionId: r.subscription_id })),
          ctx.now,
        );
        await endClaimIfNoneInForce(tx, claim.id, 'subscription_expired', ctx);
        return gone.length;
      });
    }
    total += ended;
    // Everything due was ended by another process meanwhile: it goes on with the rest.
    if (ended === 0) return total;
  }
}
