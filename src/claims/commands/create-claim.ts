// Use case: a new draft of the acting partner's organization; what is present must be valid.
import { randomUUID } from 'node:crypto';
import type { Deps } from '../../deps.js';
import { inTransaction } from '../../db/transaction.js';
import { claimWriterRoles, type Actor } from '../../domain/actor.js';
import { consistencyErrors } from '../../domain/claim-rules.js';
import { newDraft, type ClaimState } from '../../domain/claim.js';
import { forbidden, validationFailed } from '../../domain/errors.js';
import { appendHistory, insertClaim } from '../claims-repository.js';
import { applyInput, type ClaimInput } from './claim-input.js';
import { actorFields, ruleContext } from './command-context.js';

export async function createClaim(deps: Deps, actor: Actor, input: ClaimInput): Promise<ClaimState> {
  if (!actor.organizationId) throw forbidden('Only partner users create claims.');
  if (!actor.roles.some((r) => claimWriterRoles.includes(r)))
    throw forbidden('Your role cannot create claims.');
  const organizationId = actor.organizationId;
  return inTransaction(deps.db, actor, async (tx) => {
    const now = deps.clock.now();
    const claim = applyInput(newDraft(randomUUID(), organizationId), input);
    const errors = consistencyErrors(claim, await ruleContext(tx, claim));
    if (errors.length) throw validationFailed(errors);
    await insertClaim(tx, claim, actor.id ?? 'system', now);
    await appendHistory(tx, [
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
