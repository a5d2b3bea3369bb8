// R-CONS-1/2: what the customer's link shows, and the customer's denial, which runs
// `customer_deny` through the transition table like any other action.
import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { customerActor } from '../domain/actor.js';
import type { ClaimState } from '../domain/claim.js';
import { DomainError } from '../domain/errors.js';
import { runClaimActionIn } from '../claims/claims-commands.js';
import { loadClaim } from '../claims/claims-repository.js';
import { readConsentToken, serverSecret, tokenHash } from './consent-tokens.js';

const invalid = () => new DomainError('consent_link_invalid', 'This consent link is not valid.');
const expired = () =>
  new DomainError(
    'consent_link_expired',
    'The consent window of this link has closed: the association can no longer be denied here.',
  );
const used = () => new DomainError('consent_link_used', 'This consent link was used already.');

type Q = Deps['db'] | Transaction<DB>;

/** The claim behind a token, or the reason the link no longer works. */
async function claimOfToken(deps: Deps, db: Q, token: string, forUpdate: boolean): Promise<ClaimState> {
  const t = readConsentToken(await serverSecret(deps), token);
  if (!t) throw invalid();
  const claim = await loadClaim(db, t.claimId, forUpdate);
  if (!claim) throw invalid();
  const use = await db
    .selectFrom('consent_uses')
    .select('used_at')
    .where('token_hash', '=', tokenHash(token))
    .executeTakeFirst();
  if (use) throw used();
  // A later approval opened another window (and mailed another link): this one is over.
  const sameWindow = claim.consentEndsAt?.getTime() === t.endsAt.getTime();
  const open = claim.status === 'approved' && claim.consentState === 'pending';
  if (!sameWindow || !open || deps.clock.now().getTime() >= t.endsAt.getTime()) throw expired();
  return claim;
}

export async function consentView(deps: Deps, token: string) {
  const claim = await claimOfToken(deps, deps.db, token, false);
  const [org, products] = await Promise.all([
    deps.db
      .selectFrom('organizations')
      .select(['name', 'language'])
      .where('id', '=', claim.organizationId)
      .executeTakeFirst(),
    deps.db.selectFrom('products').select(['id', 'name']).execute(),
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
  return deps.db.transaction().execute(async (trx) => {
    const claim = await claimOfToken(deps, trx, token, true);
    const inserted = await trx
      .insertInto('consent_uses')
      .values({ token_hash: tokenHash(token), claim_id: claim.id, used_at: deps.clock.now(), action: 'deny' })
      .onConflict((oc) => oc.column('token_hash').doNothing())
      .returning('token_hash')
      .executeTakeFirst();
    if (!inserted) throw used();
    const actor = customerActor(claim.customerContact?.name ?? claim.domain ?? 'customer');
    const next = await runClaimActionIn(trx, deps, actor, claim.id, 'customer_deny', { reason });
    return {
      state: next.consentState ?? 'denied',
      claim: { id: next.id, status: next.status, statusReason: next.statusReason },
    };
  });
}
