// Use case: every status change of a claim, by a person, the customer's link or the clock.
// One transaction: load FOR UPDATE, check If-Match, transition (pure), persist the outcome.
import type { Deps } from '../../deps.js';
import { consentCaller, inTransaction, type Tx } from '../../db/transaction.js';
import type { Actor } from '../../domain/actor.js';
import { alreadyHeldByYou } from '../../domain/association-rules.js';
import { approvalContactErrors } from '../../domain/claim-rules.js';
import type { ClaimState } from '../../domain/claim.js';
import { authorizeRead } from '../../domain/claim-policy.js';
import { transition, type Action, type Payload } from '../../domain/claim-transitions.js';
import { DomainError, notFound } from '../../domain/errors.js';
import type { Answer } from './create-claim.js';
import { loadClaim, loadTenant } from '../claims-repository.js';
import { checkVersion, transitionContext } from './command-context.js';
import { persistOutcome } from './persist-outcome.js';
import { submitCheck } from './submit-check.js';

export interface ClaimAction {
  actor: Actor;
  claimId: string;
  action: Action;
  payload?: Payload;
  /** The version the caller read (If-Match); unset: whatever the version is. */
  ifMatch?: number;
}

export function runClaimAction(deps: Deps, request: ClaimAction): Promise<ClaimState>;
export function runClaimAction<T>(deps: Deps, request: ClaimAction, answer: Answer<T>): Promise<T>;
/** `answer`: what the caller makes of the claim, in the same transaction (not for a customer). */
export async function runClaimAction<T>(deps: Deps, request: ClaimAction, answer?: Answer<T>) {
  // A customer acts on the one claim it was asked about (the consent link's scope).
  const customer = request.actor.kind === 'customer';
  if (answer && customer) throw new Error('a customer action is answered outside its transaction');
  const caller = customer ? consentCaller(request.claimId) : request.actor;
  const work = retryDeadlock(() =>
    inTransaction(deps.db, caller, async (tx) => {
      const claim = await runClaimActionIn(tx, deps, request);
      return answer ? answer(tx, claim) : claim;
    }),
  );
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
  tx: Tx,
  deps: Deps,
  { actor, claimId, action, payload = {}, ifMatch }: ClaimAction,
): Promise<ClaimState> {
  const loaded = await loadClaim(tx, claimId, true);
  if (!loaded) throw notFound();
  authorizeRead(loaded, actor);
  checkVersion(loaded, ifMatch);
  const ctx = await transitionContext(deps, tx);
  let claim = loaded;
  if (action === 'submit') {
    // R-FIELD-3: the subscriptions the directory can tell are filled in (and saved with it).
    const check = await submitCheck(tx, loaded, deps.reference);
    claim = check.claim;
    // R-SUB-1: every required field and at least one PoE document.
    if (check.missing.length)
      throw new DomainError('validation_failed', 'The claim is not complete.', check.missing);
    // R-UNIQ-6: never a claim on what the organization already holds (approval checks again).
    if (check.held.length) throw alreadyHeldByYou(check.held);
  }
  const out = transition(claim, action, actor, payload, ctx);
  if (action === 'approve' || (action === 'resolve_dispute' && payload.outcome === 'overturn')) {
    // R-CONS-3: the consent mail goes to the customer (an overturned dispute approves too). Checked at approval again: the
    // directory may have learnt the tenant's domains since submission.
    const errors = approvalContactErrors(loaded, await loadTenant(tx, loaded.tenantId), payload.checklist);
    if (errors.length)
      throw new DomainError('validation_failed', 'The customer contact is not verified.', errors);
  }
  await persistOutcome(tx, loaded, out, actor, ctx);
  return out.claim;
}

/**
 * A supersede locks the other partner's claim after its own (R-UNIQ-7 ends it), while that
 * partner may be disassociating it: PostgreSQL breaks such a deadlock by failing one side,
 * which is safe to run again from the start (nothing of it committed).
 */
async function retryDeadlock<T>(run: () => Promise<T>, attempts = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await run();
    } catch (e) {
      if (i >= attempts || (e as { code?: string })?.code !== '40P01') throw e;
    }
  }
}

function isUniqueViolation(e: unknown, constraintPrefix: string): boolean {
  const err = e as { code?: string; constraint?: string; message?: string };
  return err?.code === '23505' && (err.constraint ?? err.message ?? '').includes(constraintPrefix);
}
