// Use cases that change claims. Each runs in one transaction: load FOR UPDATE, check,
// transition, then write the claim (version-checked), history, deadlines, outbox and
// associations together (docs/architecture.md).
import { canonicalJson } from '../lib/canonical-json.js';
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { claimWriterRoles, roleLabel, type Actor } from '../domain/actor.js';
import { businessCalendar } from '../domain/calendar.js';
import {
  completenessErrors,
  consistencyErrors,
  editErrors,
  resolveSubscription,
  type RuleContext,
} from '../domain/claim-rules.js';
import {
  claimFields,
  newDraft,
  type ClaimState,
  type Contact,
  type Revenue,
  type SolutionArea,
  type Activity,
} from '../domain/claim.js';
import {
  authorizeComment,
  authorizeEdit,
  authorizeRead,
  transition,
  type Action,
  type Context,
  type Message,
  type Outcome,
  type Payload,
} from '../domain/claim-transitions.js';
import { DomainError, forbidden, notFound, validationFailed } from '../domain/errors.js';
import {
  appendHistory,
  enqueue,
  insertClaim,
  loadClaim,
  loadHolidays,
  loadProducts,
  loadTenant,
  lockAssociations,
  organizationMpnIds,
  replaceDeadlines,
  updateClaim,
} from './claims-repository.js';

type Trx = Transaction<DB>;

/** The claim fields as the API names them; every one optional (drafts may be incomplete). */
export interface ClaimInput {
  name?: string | null;
  mpnId?: string | null;
  customer?: { domain?: string | null; tenantId?: string | null } | null;
  solutionArea?: SolutionArea | null;
  activity?: Activity | null;
  products?: { productId: string; subscriptionId?: string | null }[];
  customerContact?: Contact | null;
  technicalContact?: Contact | null;
  partnerContact?: Contact | null;
  revenue?: Revenue | null;
}

function applyInput(c: ClaimState, input: ClaimInput): ClaimState {
  const next = { ...c };
  if (input.name !== undefined) next.name = input.name;
  if (input.mpnId !== undefined) next.mpnId = input.mpnId;
  if (input.customer !== undefined) {
    next.domain =
      input.customer?.domain !== undefined
        ? input.customer.domain
        : input.customer === null
          ? null
          : c.domain;
    next.tenantId =
      input.customer?.tenantId !== undefined
        ? input.customer.tenantId
        : input.customer === null
          ? null
          : c.tenantId;
    if (next.tenantId) next.tenantId = next.tenantId.toLowerCase();
    if (next.domain) next.domain = next.domain.toLowerCase();
  }
  if (input.solutionArea !== undefined) next.solutionArea = input.solutionArea;
  if (input.activity !== undefined) next.activity = input.activity;
  if (input.products !== undefined) {
    next.products = input.products.map((p) => ({
      productId: p.productId,
      subscriptionId: p.subscriptionId ?? null,
    }));
  }
  if (input.customerContact !== undefined) next.customerContact = input.customerContact;
  if (input.technicalContact !== undefined) next.technicalContact = input.technicalContact;
  if (input.partnerContact !== undefined) next.partnerContact = input.partnerContact;
  if (input.revenue !== undefined) next.revenue = input.revenue;
  return next;
}

async function ruleContext(trx: Trx, c: ClaimState): Promise<RuleContext> {
  const [products, tenant, organizationMpns] = await Promise.all([
    loadProducts(trx),
    loadTenant(trx, c.tenantId),
    organizationMpnIds(trx, c.organizationId),
  ]);
  return { products, tenant, organizationMpnIds: organizationMpns };
}

async function transitionContext(deps: Deps, trx: Trx): Promise<Context> {
  const calendar = businessCalendar(deps.config.CPOR_TIME_ZONE, await loadHolidays(trx));
  return { now: deps.clock.now(), limits: deps.limits, calendar };
}

function actorFields(actor: Actor) {
  return { actorId: actor.id, actorName: actor.name, actorRole: roleLabel(actor) };
}

function checkVersion(c: ClaimState, ifMatch: number | undefined) {
  if (ifMatch !== undefined && ifMatch !== c.version) {
    throw new DomainError(
      'precondition_failed',
      `The claim changed (version ${c.version}); reload it and try again.`,
    );
  }
}

/** A new draft of the acting partner's organization; what is present must be valid. */
export async function createClaim(deps: Deps, actor: Actor, input: ClaimInput): Promise<ClaimState> {
  if (!actor.organizationId) throw forbidden('Only partner users create claims.');
  if (!actor.roles.some((r) => claimWriterRoles.includes(r)))
    throw forbidden('Your role cannot create claims.');
  const organizationId = actor.organizationId;
  return deps.db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const claim = applyInput(newDraft(randomUUID(), organizationId), input);
    const errors = consistencyErrors(claim, await ruleContext(trx, claim));
    if (errors.length) throw validationFailed(errors);
    await insertClaim(trx, claim, actor.id ?? 'system', now);
    await appendHistory(trx, [
      {
        claimId: claim.id,
        at: now,
        type: 'created',
        ...actorFields(actor),
        data: { fields: Object.keys(input) },
      },
    ]);
    return claim;
  });
}

/** PATCH: R-EDIT-1/2. Refused edits change nothing. */
export async function editClaim(deps: Deps, actor: Actor, id: string, input: ClaimInput, ifMatch?: number) {
  return deps.db.transaction().execute(async (trx) => {
    const claim = await loadClaim(trx, id, true);
    if (!claim) throw notFound();
    authorizeRead(claim, actor);
    checkVersion(claim, ifMatch);
    const next = applyInput(claim, input);
    const changed = changedFields(claim, next);
    authorizeEdit(claim, actor, changed);
    if (changed.length === 0) return claim;
    const errors = editErrors(next, await ruleContext(trx, next));
    if (errors.length) throw validationFailed(errors);
    const now = deps.clock.now();
    const saved = { ...next, version: claim.version + 1 };
    if (!(await updateClaim(trx, saved, claim.version, now, changed.includes('products')))) {
      throw new DomainError('precondition_failed', 'The claim changed meanwhile; reload it and try again.');
    }
    await appendHistory(trx, [
      {
        claimId: id,
        at: now,
        type: 'edited',
        ...actorFields(actor),
        data: {
          changes: Object.fromEntries(
            changed.map((f) => [f, { from: fieldValue(claim, f), to: fieldValue(next, f) }]),
          ),
        },
      },
    ]);
    return saved;
  });
}

function fieldValue(c: ClaimState, field: string): unknown {
  switch (field) {
    case 'customer':
      return { domain: c.domain, tenantId: c.tenantId };
    default:
      return c[field as keyof ClaimState] ?? null;
  }
}

/** R-EDIT-2: only fields whose value really changes count; sending back what was read is no edit. */
function changedFields(a: ClaimState, b: ClaimState): string[] {
  return claimFields.filter((f) => canonicalJson(fieldValue(a, f)) !== canonicalJson(fieldValue(b, f)));
}

/** Every status change of a claim, by a person, the customer's link or the clock. */
export async function runClaimAction(
  deps: Deps,
  actor: Actor,
  id: string,
  action: Action,
  payload: Payload,
  ifMatch?: number,
): Promise<ClaimState> {
  const work = deps.db
    .transaction()
    .execute((trx) => runClaimActionIn(trx, deps, actor, id, action, payload, ifMatch));
  // R-UNIQ-2: the unique indexes are the last word when two approvals race.
  return work.catch((e: unknown) => {
    if (isUniqueViolation(e, 'associations_one_')) {
      throw new DomainError(
        'already_associated',
        'Another claim took this workload or subscription a moment ago.',
      );
    }
    throw e;
  });
}

/**
 * runClaimAction inside a transaction the caller holds: the scheduler marks its deadline
 * fired and the consent link records its use in the same transaction as the change.
 */
export async function runClaimActionIn(
  trx: Trx,
  deps: Deps,
  actor: Actor,
  id: string,
  action: Action,
  payload: Payload,
  ifMatch?: number,
): Promise<ClaimState> {
  const claim = await loadClaim(trx, id, true);
  if (!claim) throw notFound();
  authorizeRead(claim, actor);
  checkVersion(claim, ifMatch);
  const ctx = await transitionContext(deps, trx);
  if (action === 'submit') {
    // R-SUB-1: every required field and at least one PoE document.
    const errors = completenessErrors(claim, await ruleContext(trx, claim));
    if (errors.length) throw new DomainError('validation_failed', 'The claim is not complete.', errors);
  }
  const out = transition(claim, action, actor, payload, ctx);
  await persist(trx, claim, out, actor, ctx.now);
  return out.claim;
}

function isUniqueViolation(e: unknown, constraintPrefix: string): boolean {
  const err = e as { code?: string; constraint?: string; message?: string };
  return err?.code === '23505' && (err.constraint ?? err.message ?? '').includes(constraintPrefix);
}

async function persist(trx: Trx, before: ClaimState, out: Outcome, actor: Actor, now: Date) {
  const extraEvents = await applyAssociations(trx, out, actor, now);
  if (!(await updateClaim(trx, out.claim, before.version, now, false))) {
    throw new DomainError('precondition_failed', 'The claim changed meanwhile; reload it and try again.');
  }
  await appendHistory(trx, [
    ...out.events.map((e) => ({
      claimId: before.id,
      at: now,
      type: e.type,
      ...actorFields(actor),
      data: e.data,
    })),
    ...extraEvents,
  ]);
  if (out.deadlines !== 'keep') await replaceDeadlines(trx, before.id, out.deadlines, now);
  await enqueue(trx, await messageRows(trx, out.claim, out.messages), now);
  if (out.associations && 'completeConsent' in out.associations) {
    await enqueue(
      trx,
      [
        {
          kind: 'event',
          claimId: before.id,
          payload: { type: 'claim.consent_completed', claimId: before.id },
        },
      ],
      now,
    );
  }
}

/** R-UNIQ-2/5: creates, ends or completes the claim's associations; returns history for other claims. */
async function applyAssociations(trx: Trx, out: Outcome, actor: Actor, now: Date) {
  const effect = out.associations;
  const c = out.claim;
  const events: Parameters<typeof appendHistory>[1] = [];
  if (!effect) return events;
  if ('end' in effect) {
    await trx
      .updateTable('associations')
      .set({ ended_at: now, end_reason: effect.end.reason })
      .where('claim_id', '=', c.id)
      .where('ended_at', 'is', null)
      .execute();
    return events;
  }
  if ('completeConsent' in effect) {
    await trx
      .updateTable('associations')
      .set({ consent_state: 'completed', consent_completed_at: now })
      .where('claim_id', '=', c.id)
      .where('ended_at', 'is', null)
      .where('consent_state', '=', 'pending')
      .execute();
    return events;
  }
  const ctx = await ruleContext(trx, c);
  if (c.tenantId)
    await lockAssociations(
      trx,
      c.tenantId,
      c.products.map((p) => p.productId),
    );
  const created: { productId: string; subscriptionId: string | null }[] = [];
  for (const [i, p] of c.products.entries()) {
    const product = ctx.products.get(p.productId);
    if (!product || !c.tenantId || !c.mpnId)
      throw validationFailed([{ path: `products.${i}`, message: 'is incomplete' }]);
    const subscriptionId = product.scope === 'subscription' ? resolveSubscription(c, i, ctx) : null;
    const held = await trx
      .selectFrom('associations')
      .selectAll()
      .where('ended_at', 'is', null)
      .where((eb) =>
        eb.or([
          eb.and([
            eb('tenant_id', '=', c.tenantId as string),
            eb('product_id', '=', p.productId),
            ...(subscriptionId
              ? [eb.or([eb('subscription_id', 'is', null), eb('subscription_id', '=', subscriptionId)])]
              : []),
          ]),
          ...(subscriptionId ? [eb('subscription_id', '=', subscriptionId)] : []),
        ]),
      )
      .forUpdate()
      .execute();
    const others = held.filter((h) => h.organization_id !== c.organizationId);
    if (others.length > 0 && !effect.create.supersede) {
      throw new DomainError(
        'already_associated',
        'Another partner holds this workload or subscription; approve with supersede to transfer it.',
        [{ path: `products.${i}`, message: 'is associated with another partner' }],
      );
    }
    for (const h of held) {
      await trx
        .updateTable('associations')
        .set({ ended_at: now, end_reason: 'superseded' })
        .where('id', '=', h.id)
        .execute();
      if (h.claim_id && h.claim_id !== c.id) {
        events.push({
          claimId: h.claim_id,
          at: now,
          type: 'association_superseded',
          ...actorFields(actor),
          data: { productId: h.product_id, subscriptionId: h.subscription_id, byClaimId: c.id },
        });
        if (h.organization_id !== c.organizationId) {
          const old = await loadClaim(trx, h.claim_id);
          if (old)
            await enqueue(
              trx,
              await messageRows(trx, old, [{ template: 'association_superseded', to: 'partner_contact' }]),
              now,
            );
        }
      }
    }
    await trx
      .insertInto('associations')
      .values({
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
      })
      .execute();
    created.push({ productId: p.productId, subscriptionId });
  }
  const first = out.events[0];
  if (first) first.data = { ...first.data, associations: created, superseded: events.length };
  // The superseding claim's own history records what it took over (R-UNIQ-5).
  return events;
}

async function messageRows(trx: Trx, c: ClaimState, messages: Message[]) {
  if (messages.length === 0) return [];
  const org = await trx
    .selectFrom('organizations')
    .select(['name', 'language'])
    .where('id', '=', c.organizationId)
    .executeTakeFirst();
  return messages.flatMap((m) => {
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

export async function addComment(deps: Deps, actor: Actor, id: string, text: string) {
  return deps.db.transaction().execute(async (trx) => {
    const claim = await loadClaim(trx, id, true);
    if (!claim) throw notFound();
    authorizeComment(claim, actor);
    const now = deps.clock.now();
    const comment = {
      id: randomUUID(),
      claim_id: id,
      author_id: actor.id,
      author_name: actor.name,
      author_role: roleLabel(actor),
      text,
      created_at: now,
    };
    await trx.insertInto('comments').values(comment).execute();
    await appendHistory(trx, [
      {
        claimId: id,
        at: now,
        type: 'comment_added',
        ...actorFields(actor),
        data: { commentId: comment.id, text },
      },
    ]);
    return comment;
  });
}
