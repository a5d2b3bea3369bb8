// Writes what a transition decided, in the command's transaction: the claim (version-checked),
// its history, its deadlines, the outbox's mail and events, and the associations it creates,
// ends or completes (R-UNIQ-2/5).
import { randomUUID } from 'node:crypto';
import type { Tx } from '../../db/transaction.js';
import { alreadyHeldByYou, alreadyHeldErrors } from '../../domain/association-rules.js';
import { resolveSubscription } from '../../domain/claim-rules.js';
import type { ClaimState } from '../../domain/claim.js';
import { systemActor, type Actor } from '../../domain/actor.js';
import type { EndReason } from '../../domain/claim.js';
import {
  transition,
  type Context,
  type Message,
  type Outcome,
  type Template,
} from '../../domain/claim-transitions.js';
import { DomainError, validationFailed } from '../../domain/errors.js';
import type { OutboxMessage } from '../../domain/outbox.js';
import {
  associationsInForceOfClaim,
  completeClaimConsent,
  endAssociation,
  endClaimAssociations,
  heldAssociation,
  heldAssociationsForUpdate,
  insertAssociation,
} from '../../associations/associations-repository.js';
import {
  appendHistory,
  enqueue,
  loadClaim,
  lockAssociations,
  organizationOfClaim,
  replaceDeadlines,
  updateClaim,
  type HistoryInput,
} from '../claims-repository.js';
import { actorFields, changedMeanwhile, ruleContext } from './command-context.js';

export async function persistOutcome(tx: Tx, before: ClaimState, out: Outcome, actor: Actor, ctx: Context) {
  const now = ctx.now;
  const { events: extraEvents, endedClaims } = await applyAssociations(tx, out, actor, now);
  // R-FIELD-3: submit may fill in subscriptions the directory knows.
  const productsChanged = JSON.stringify(out.claim.products) !== JSON.stringify(before.products);
  if (!(await updateClaim(tx, out.claim, before.version, now, productsChanged))) throw changedMeanwhile();
  await appendHistory(tx, [
    ...out.events.map((e) => ({
      claimId: before.id,
      at: now,
      type: e.type,
      ...actorFields(actor),
      data: e.data,
    })),
    ...extraEvents,
  ]);
  if (out.deadlines !== 'keep') await replaceDeadlines(tx, before.id, out.deadlines, now);
  // The webhooks' events need no code here: the database turns each history entry into an
  // outbox event (migration 0007, domain/webhook-events.ts).
  await enqueue(tx, await mailOf(out.claim, out.messages, tx), now);
  // R-UNIQ-7: a claim whose last association was superseded ends, in this transaction.
  for (const claimId of endedClaims) await endClaimIfNoneInForce(tx, claimId, 'superseded', ctx);
}

/**
 * R-UNIQ-7: ends an approved claim once none of its associations is in force (the end
 * transition cancels its consent window: nothing goes to evaluation). Runs as the system, in
 * the transaction of the command that ended the last association.
 */
export async function endClaimIfNoneInForce(tx: Tx, claimId: string, reason: EndReason, ctx: Context) {
  const claim = await loadClaim(tx, claimId, true);
  if (!claim || claim.status !== 'approved') return;
  if ((await associationsInForceOfClaim(tx, claimId)) > 0) return;
  const out = transition(claim, 'end', systemActor, { reason }, ctx);
  await persistOutcome(tx, claim, out, systemActor, ctx);
}

/**
 * R-UNIQ-2/5: creates, ends or completes the claim's associations; returns history for other
 * claims, and the other claims that lost an association (to end when none is left).
 */
async function applyAssociations(tx: Tx, out: Outcome, actor: Actor, now: Date) {
  const effect = out.associations;
  const c = out.claim;
  const events: HistoryInput[] = [];
  const endedClaims = new Set<string>();
  const result = () => ({ events, endedClaims: [...endedClaims] });
  if (!effect) return result();
  if ('end' in effect) {
    const ended = await endClaimAssociations(tx, c.id, now, effect.end.reason);
    // The claim's history says which associations ended, and why (webhooks hear it too).
    const first = out.events[0];
    if (first && ended.length > 0)
      first.data = {
        ...first.data,
        endedAssociations: ended.map((a) => ({ productId: a.product_id, subscriptionId: a.subscription_id })),
        endReason: effect.end.reason,
      };
    return result();
  }
  if ('completeConsent' in effect) {
    await completeClaimConsent(tx, c.id, now);
    return result();
  }
  const ctx = await ruleContext(tx, c);
  if (c.tenantId)
    await lockAssociations(
      tx,
      c.tenantId,
      c.products.map((p) => p.productId),
    );
  const created: { productId: string; subscriptionId: string | null }[] = [];
  for (const [i, p] of c.products.entries()) {
    const product = ctx.products.get(p.productId);
    if (!product || !c.tenantId || !c.mpnId)
      throw validationFailed([{ path: `products.${i}`, message: 'is incomplete', code: 'incomplete' }]);
    const subscriptionId = product.scope === 'subscription' ? resolveSubscription(c, i, ctx) : null;
    // R-FIELD-3: an approval never holds a whole Business Applications product.
    if (product.scope === 'subscription' && !subscriptionId)
      throw validationFailed([
        { path: `products.${i}.subscriptionId`, message: 'is required', code: 'required' },
      ]);
    const held = await heldAssociationsForUpdate(tx, c.tenantId, p.productId, subscriptionId);
    // R-UNIQ-6: never a second association of what the partner holds (supersede or not).
    const mine = alreadyHeldErrors({ ...c, products: [p] }, held.map(heldAssociation), () => subscriptionId);
    if (mine.length > 0) throw alreadyHeldByYou(mine.map((e) => ({ ...e, path: `products.${i}` })));
    const others = held.filter((h) => h.organization_id !== c.organizationId);
    if (others.length > 0 && !effect.create.supersede) {
      throw new DomainError(
        'already_associated',
        'Another partner holds this workload or subscription; approve with supersede to transfer it.',
        [
          {
            path: `products.${i}`,
            message: 'is associated with another partner',
            code: 'held_by_another_partner',
          },
        ],
      );
    }
    for (const h of held) {
      // R-UNIQ-4: the partner's own legacy association (R-UNIQ-6 leaves no other of its own)
      // is replaced by this claim's; another partner's is superseded (R-UNIQ-5).
      await endAssociation(tx, h.id, now, h.organization_id === c.organizationId ? 'replaced' : 'superseded');
      if (h.claim_id && h.claim_id !== c.id) {
        events.push({
          claimId: h.claim_id,
          at: now,
          type: 'association_superseded',
          ...actorFields(actor),
          data: { productId: h.product_id, subscriptionId: h.subscription_id, byClaimId: c.id },
        });
        // One mail per superseded claim, however many of its products moved.
        if (h.organization_id !== c.organizationId && !endedClaims.has(h.claim_id)) {
          const old = await loadClaim(tx, h.claim_id);
          if (old)
            await enqueue(
              tx,
              await mailOf(old, [{ template: 'association_superseded', to: 'partner_contact' }], tx),
              now,
            );
        }
        endedClaims.add(h.claim_id);
      }
    }
    await insertAssociation(tx, {
      id: randomUUID(),
      claim_id: c.id,
      organization_id: c.organizationId,
      mpn_id: c.mpnId,
      tenant_id: c.tenantId,
      product_id: p.productId,
      subscription_id: subscriptionId,
      scope: product.scope,
      since: now,
      consent_state: 'pending',
    });
    created.push({ productId: p.productId, subscriptionId });
  }
  // The superseding claim's own history records what it took over (R-UNIQ-5).
  const first = out.events[0];
  if (first) first.data = { ...first.data, associations: created, superseded: events.length };
  return result();
}

/** R-UNIQ-7: mails the claim's partner that some of its associations ended (these products). */
export async function mailPartner(
  tx: Tx,
  c: ClaimState,
  template: Template,
  products: ClaimState['products'],
  now: Date,
) {
  await enqueue(tx, await mailOf({ ...c, products }, [{ template, to: 'partner_contact' }], tx), now);
}

/** The outbox rows of a transition's messages: one email per contact with an address. */
export async function mailOf(c: ClaimState, messages: Message[], tx: Tx): Promise<OutboxMessage[]> {
  if (messages.length === 0) return [];
  const org = await organizationOfClaim(tx, c.organizationId);
  return messages.flatMap((m): OutboxMessage[] => {
    const contact =
      m.to === 'customer_contact' ? c.customerContact : m.to === 'partner_contact' ? c.partnerContact : null;
    if (!contact?.email) return [];
    return [
      {
        kind: 'email',
        claimId: c.id,
        payload: {
          template: m.template,
          to: { name: contact.name, email: contact.email },
          // The contact's own language, else the partner organization's (notifications/).
          language: contact.language ?? org?.language ?? 'en',
          claimId: c.id,
          claimName: c.name,
          organizationName: org?.name ?? null,
          status: c.status,
          statusReason: c.statusReason,
          // What the mail shows, as it was when the change committed.
          mpnId: c.mpnId,
          customer: { domain: c.domain, tenantId: c.tenantId },
          products: c.products,
          requestedInformation: c.requestedInformation,
          consentEndsAt: c.consentEndsAt?.toISOString() ?? null,
          rejectedAt: c.rejectedAt?.toISOString() ?? null,
        },
      },
    ];
  });
}
