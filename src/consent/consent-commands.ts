// R-CONS-1/2: what the customer's link shows, and the customer's denial, which runs
// `customer_deny` through the transition table like any other action.
import type { Deps } from '../deps.js';
import { consentCaller, inTransaction, withCaller, type Queryable } from '../db/transaction.js';
import { customerActor } from '../domain/actor.js';
import { endReasons, type ClaimState } from '../domain/claim.js';
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
const ended = () =>
  new DomainError(
    'consent_link_expired',
    'This association has ended (R-UNIQ-7): the partner no longer holds these products, so there is nothing to deny.',
  );

/**
 * The claim behind a token, or the reason the link no longer works. `forView`: reading the
 * link after its one use, or after its window closed without a denial, shows how it ended
 * (issue 13 point 7); acting on it still fails (the link works once).
 */
async function claimOfToken(
  deps: Deps,
  db: Queryable,
  token: string,
  forUpdate: boolean,
  forView = false,
): Promise<{ claim: ClaimState; usedAt: Date | null }> {
  const t = readConsentToken(await serverSecret(deps), token);
  if (!t) throw invalid();
  const claim = await loadClaim(db, t.claimId, forUpdate);
  if (!claim) throw invalid();
  const use = await consentUse(db, tokenHash(token));
  if (use) {
    if (forView) return { claim, usedAt: use.used_at };
    throw used();
  }
  // A later approval opened another window (and mailed another link): this one is over.
  const sameWindow = claim.consentEndsAt?.getTime() === t.endsAt.getTime();
  const inTime = deps.clock.now().getTime() < t.endsAt.getTime();
  // R-UNIQ-7: the association ended inside this link's window (a claim is approved once at
  // most, so a link still in time is of the window that ended).
  if (claim.status === 'ended' && inTime) {
    if (forView) return { claim, usedAt: null };
    throw ended();
  }
  const open = claim.status === 'approved' && claim.consentState === 'pending';
  // R-TIME-3: this link's window closed without a denial; the association is final.
  const completed = sameWindow && claim.status === 'approved' && claim.consentState === 'completed';
  if (forView && completed) return { claim, usedAt: null };
  if (!sameWindow || !open || !inTime) throw expired();
  return { claim, usedAt: null };
}

/**
 * The link is the customer's authority over one claim: its transaction sees that claim and
 * what hangs from it, nothing else (row-level security, scope 'consent').
 */
async function callerOfToken(deps: Deps, token: string) {
  const t = readConsentToken(await serverSecret(deps), token);
  if (!t) throw invalid();
  return consentCaller(t.claimId);
}

export async function consentView(deps: Deps, token: string) {
  const [{ claim, usedAt }, org, products] = await withCaller(
    deps.db,
    await callerOfToken(deps, token),
    async (q) => {
      const c = await claimOfToken(deps, q, token, false, true);
      return [
        c,
        ...(await Promise.all([organizationOfClaim(q, c.claim.organizationId), productNames(q)])),
      ] as const;
    },
  );
  const partner = { organizationName: org?.name ?? null, mpnId: claim.mpnId };
  const isEnded = claim.status === 'ended';
  return {
    // `ended`: the association ended (superseded, disassociated, expired); nothing to deny.
    state: isEnded ? ('ended' as const) : (claim.consentState ?? ('pending' as const)),
    endsAt: isEnded ? null : (claim.consentEndsAt?.toISOString() ?? null),
    endReason: isEnded ? (endReasons.find((r) => r === claim.statusReason) ?? null) : null,
    language: claim.customerContact?.language ?? org?.language ?? 'en',
    deniedAt: usedAt?.toISOString() ?? null,
    partner,
    partnerContact: claim.partnerContact
      ? { name: claim.partnerContact.name, email: claim.partnerContact.email }
      : null,
    programContact: deps.config.CPOR_CONTACT_EMAIL ?? null,
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
  // The link is the authority: the transaction sees the link's claim only; the denial runs
  // as the customer the claim names.
  return inTransaction(deps.db, await callerOfToken(deps, token), async (tx) => {
    const { claim } = await claimOfToken(deps, tx, token, true);
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
