// What submit refuses (R-SUB-1, R-FIELD-1..4, R-UNIQ-6), computed once for both the submit
// action and the readiness check the wizard asks for at each step (GET /claims/{id}/check):
// the claim as it would be submitted (R-FIELD-3: the subscriptions the directory can tell
// filled in), what is missing or invalid, and what the organization already holds.
import type { Deps } from '../../deps.js';
import { inTransaction, type Tx } from '../../db/transaction.js';
import type { Actor } from '../../domain/actor.js';
import { organizationHoldings } from '../../associations/associations-repository.js';
import { alreadyHeldErrors } from '../../domain/association-rules.js';
import { completenessErrors, fillSubscriptions, resolveSubscription } from '../../domain/claim-rules.js';
import type { ClaimState } from '../../domain/claim.js';
import { authorizeRead } from '../../domain/claim-policy.js';
import { notFound, type FieldError } from '../../domain/errors.js';
import { loadClaim } from '../claims-repository.js';
import type { ReferenceCache } from '../../db/reference-cache.js';
import { ruleContext } from './command-context.js';

export interface SubmitCheck {
  /** The claim as submit would save it (R-FIELD-3 fills subscriptions in). */
  claim: ClaimState;
  /** Missing or invalid fields, and the PoE (R-SUB-1). */
  missing: FieldError[];
  /** Products the organization already holds (R-UNIQ-6). */
  held: FieldError[];
}

export async function submitCheck(
  tx: Tx,
  loaded: ClaimState,
  reference?: ReferenceCache,
): Promise<SubmitCheck> {
  const rules = await ruleContext(tx, loaded, reference);
  const claim = fillSubscriptions(loaded, rules);
  const missing = completenessErrors(claim, rules);
  const holdings = await organizationHoldings(
    tx,
    claim.organizationId,
    claim.tenantId ?? '',
    claim.products.map((p) => p.productId),
  );
  const held = alreadyHeldErrors(claim, holdings, (i) => resolveSubscription(claim, i, rules));
  return { claim, missing, held };
}

/**
 * The readiness of a claim the caller reads: whether submit would accept it now, and every
 * field problem it would answer. Never the subscription IDs the directory would fill in
 * (R-ROLE-3: they are disclosed only with a submitted claim).
 */
export async function claimReadiness(
  deps: Deps,
  actor: Actor,
  id: string,
): Promise<{ ready: boolean; errors: FieldError[] }> {
  return inTransaction(deps.db, actor, async (tx) => {
    const claim = await loadClaim(tx, id);
    if (!claim) throw notFound();
    authorizeRead(claim, actor);
    const { missing, held } = await submitCheck(tx, claim, deps.reference);
    const errors = [...missing, ...held];
    return { ready: errors.length === 0, errors };
  });
}
