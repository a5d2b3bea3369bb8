// From domain state to the API's claim shape (api.md "Claims").
import type { Limits } from '../domain/limits.js';
import type { Actor } from '../domain/actor.js';
import type { ClaimState } from '../domain/claim.js';
import { disputeEndsAt, slaKinds, type DeadlineKind } from '../domain/claim-deadlines.js';
import { abilitiesOf, allowedActions, type AllowedAction } from '../domain/claim-policy.js';
import type { CustomerContactCheck } from '../domain/claim-rules.js';
import { outcomeOf } from '../domain/claim-outcome.js';

export interface ClaimMeta {
  organizationName: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** The associations this claim created, in force or ended (superseded, disassociated...). */
  associations: ClaimAssociation[];
  /** R-CONS-3, for reviewers and platform admins only (null otherwise). */
  customerContactCheck: CustomerContactCheck | null;
}

export interface ClaimAssociation {
  productId: string;
  subscriptionId: string | null;
  since: string;
  endedAt: string | null;
  endReason: string | null;
}

export function presentClaim(c: ClaimState, meta: ClaimMeta, actor: Actor, now: Date, limits: Limits) {
  const disputeEnds = disputeEndsAt(c, limits.disputeWindowDays);
  const allowed = allowedActions(c, actor, now, limits);
  return {
    id: c.id,
    name: c.name,
    status: c.status,
    statusReason: c.statusReason,
    outcome: outcomeOf(c.status, c.statusReason),
    organizationId: c.organizationId,
    organizationName: meta.organizationName,
    mpnId: c.mpnId,
    customer: { domain: c.domain, tenantId: c.tenantId },
    solutionArea: c.solutionArea,
    activity: c.activity,
    products: c.products,
    customerContact: c.customerContact,
    customerContactCheck: meta.customerContactCheck,
    technicalContact: c.technicalContact,
    partnerContact: c.partnerContact,
    revenue: c.revenue,
    requestedInformation: c.requestedInformation,
    dueAt: c.dueAt?.toISOString() ?? null,
    dueKind: c.dueKind,
    overdue: Boolean(
      c.dueAt &&
      c.dueKind &&
      slaKinds.includes(c.dueKind as DeadlineKind) &&
      c.dueAt.getTime() <= now.getTime(),
    ),
    consent: c.consentState
      ? { state: c.consentState, endsAt: c.consentEndsAt?.toISOString() ?? null }
      : null,
    disputeEndsAt: disputeEnds?.toISOString() ?? null,
    documentCount: c.documentCount,
    latestDocumentAt: c.latestDocumentAt?.toISOString() ?? null,
    associations: meta.associations,
    version: c.version,
    createdAt: meta.createdAt.toISOString(),
    updatedAt: meta.updatedAt.toISOString(),
    submittedAt: c.submittedAt?.toISOString() ?? null,
    decidedAt: c.decidedAt?.toISOString() ?? null,
    allowedActions: allowed,
    abilities: presentAbilities(c, actor, now, limits, allowed),
  };
}

function presentAbilities(
  c: ClaimState,
  actor: Actor,
  now: Date,
  limits: Limits,
  allowed: readonly AllowedAction[],
) {
  const a = abilitiesOf(c, actor, now, limits, allowed);
  return { ...a, dispute: { ...a.dispute, until: a.dispute.until?.toISOString() ?? null } };
}

export type ClaimView = ReturnType<typeof presentClaim>;
