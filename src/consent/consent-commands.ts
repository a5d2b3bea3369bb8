// R-CONS-1/2: what the customer's link shows, and the customer's denial, which runs
// `customer_deny` through the transition table like any other action.
import type { Deps } from '../deps.js';
import { inTransaction, type Queryable } from '../db/transaction.js';
import { customerActor, systemActor } from '../domain/actor.js';
import type { ClaimState } from '../domain/claim.js';
import { DomainError } from '../domain/errors.js';
import { runClaimActionIn } from '../claims/commands/run-claim-action.js';
import { loadClaim, organizationOfClaim } from '../claims/claims-repository.js';
import { productNames } from '../catalog/catalog-repository.js';
import { consentUse, recordConsentUse } from './consent-repository.js';
import { readConsentToken, serverSecret, tokenHash } from './consent-tokens.js';

const invalid = () => new DomainError('consent_link_invalid', 'This consent link is not valid.');
const expired = () =>
  new DomainError(
    'consent_link_expired',
    'The consent window of this link has closed: the association can no longer be denied here.',
  );
const used = () => new DomainError('consent_link_used', 'This consent link was used already.');

/** The claim behind a token, or the reason the link no longer works. */
async function claimOfToken(
  deps: Deps,
  db: Queryable,
  token: string,
  forUpdate: boolean,
): Promise<ClaimState> {
  const t = readConsentToken(await serverSecret(deps), token);
  if (!t) throw invalid();
  const claim = await loadClaim(db, t.claimId, forUpdate);
  if (!claim) throw invalid();
  if (await consentUse(db, tokenHash(token))) throw used();
  // A later approval opened another window (and mailed another link): this one is over.
  const sameWindow = claim.consentEndsAt?.getTime() === t.endsAt.getTime();
  const open = claim.status === 'approved' && claim.consentState === 'pending';
  if (!sameWindow || !open || deps.clock.now().getTime() >= t.endsAt.getTime()) throw expired();
  return claim;
}

export async function consentView(deps: Deps, token: string) {
  const claim = await claimOfToken(deps, deps.db, token, false);
  const [org, products] = await Promise.all([
    organizationOfClaim(deps.db, claim.organizationId),
    productNames(deps.db),
  ]);
  const partner = { organizationName: org?.name ?? null, mpnId: claim.mpnId };
  return {
    state: claim.consentState ?? 'pending',
    endsAt: claim.consentEndsAt?.toISOString() ?? null,
    language: claim.customerContact?.language ?? org?.language ?? 'en',
    partner,
    claim: {
      id: claim.id,
      name: claim.name,
      status: claim.status,
      solutionArea: claim.solutionArea,
      activity: claim.activity,
      customer: { domain: claim.domain, tenantId: claim.tenantId },
      products: claim.products.map((p) => ({
        productId: p.productId,
        name: products.find((x) => x.id === p.productId)?.name ?? p.productId,
        subscriptionId: p.subscriptionId,
      })),
      ...partner,
    },
  };
}

/** R-CONS-2: the customer denies; the claim is rejected (customer_declined). Works once. */
export async function denyConsent(deps: Deps, token: string, reason: string | undefined) {
  // The link is the authority: the transaction runs as the system until the claim says who
  // the customer is, then the denial runs as the customer.
  return inTransaction(deps.db, systemActor, async (tx) => {
    const claim = await claimOfToken(deps, tx, token, true);
    const first = await recordConsentUse(tx, {
      tokenHash: tokenHash(token),
      claimId: claim.id,
      usedAt: deps.clock.now(),
      action: 'deny',
    });
    if (!first) throw used();
    const actor = customerActor(claim.customerContact?.name ?? claim.domain ?? 'customer');
    const next = await runClaimActionIn(tx, deps, {
      actor,
      claimId: claim.id,
      action: 'customer_deny',
      payload: { reason },
    });
    return {
      state: next.consentState ?? 'denied',
      claim: { id: next.id, status: next.status, statusReason: next.statusReason },
    };
  });
}
