// Use case: a new draft of the acting partner's organization; what is present must be valid.
// `draftOf`, `checkDraft` and `writeDrafts` are the one way a draft is made: a single create and every
// row of a bulk import (import-claims.ts) go through them, so both keep the same rules
// (R-FIELD, consistency) and write the same rows.
import { randomUUID } from 'node:crypto';
import type { Deps } from '../../deps.js';
import { inTransaction, type Tx } from '../../db/transaction.js';
import { claimWriterRoles, type Actor } from '../../domain/actor.js';
import { chosenLocationErrors, consistencyErrors, type RuleContext } from '../../domain/claim-rules.js';
import { newDraft, type ClaimState } from '../../domain/claim.js';
import { forbidden, validationFailed } from '../../domain/errors.js';
import { appendFirstHistory, insertClaims } from '../claims-repository.js';
import { applyInput, type ClaimInput } from './claim-input.js';
import { actorFields, ruleContext } from './command-context.js';

/** R-ROLE-1: partner users who write claims create them, for their own organization. */
export function authorizeCreate(actor: Actor): string {
  if (!actor.organizationId) throw forbidden('Only partner users create claims.');
  if (!actor.roles.some((r) => claimWriterRoles.includes(r)))
    throw forbidden('Your role cannot create claims.');
  return actor.organizationId;
}

/**
 * The new draft, or what `answer` makes of it in the same transaction (the route's view of
 * it: issue 14 point 2, one transaction a create instead of two).
 */
export function createClaim(deps: Deps, actor: Actor, input: ClaimInput): Promise<ClaimState>;
export function createClaim<T>(deps: Deps, actor: Actor, input: ClaimInput, answer: Answer<T>): Promise<T>;
export async function createClaim<T>(deps: Deps, actor: Actor, input: ClaimInput, answer?: Answer<T>) {
  const organizationId = authorizeCreate(actor);
  return inTransaction(deps.db, actor, async (tx) => {
    const claim = draftOf(organizationId, input);
    checkDraft(claim, await ruleContext(tx, claim, deps.reference));
    await writeDrafts(tx, actor, [{ claim, input }], deps.clock.now());
    return answer ? answer(tx, claim) : claim;
  });
}

/** What a command's caller makes of the claim it wrote, read in the command's transaction. */
export type Answer<T> = (tx: Tx, claim: ClaimState) => Promise<T>;

/** A new draft of the organization, holding `input`. */
export const draftOf = (organizationId: string, input: ClaimInput): ClaimState =>
  applyInput(newDraft(randomUUID(), organizationId), input);

/** 422 (validation_failed, the API's field paths) when what is present is not valid. */
export function checkDraft(claim: ClaimState, ctx: RuleContext) {
  // Issue 13 point 10: a disabled organization makes no claim.
  if (ctx.disabled?.organization) throw forbidden('This organization is disabled.');
  const errors = [...consistencyErrors(claim, ctx), ...chosenLocationErrors(claim, ctx)];
  if (errors.length) throw validationFailed(errors);
}

/** Writes checked drafts and the first entry of each one's history, in the caller's transaction. */
export async function writeDrafts(
  tx: Tx,
  actor: Actor,
  drafts: { claim: ClaimState; input: ClaimInput }[],
  now: Date,
) {
  await insertClaims(
    tx,
    drafts.map((d) => d.claim),
    actor.id,
    now,
  );
  await appendFirstHistory(
    tx,
    drafts.map(({ claim, input }) => ({
      claimId: claim.id,
      at: now,
      type: 'created',
      ...actorFields(actor),
      data: { fields: Object.keys(input) },
    })),
  );
}
