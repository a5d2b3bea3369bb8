// Use case: PATCH a claim, as its status allows (R-EDIT-1/2). A refused edit changes nothing.
import type { Deps } from '../../deps.js';
import { inTransaction, type Tx } from '../../db/transaction.js';
import type { Actor } from '../../domain/actor.js';
import { chosenLocationErrors, editErrors, fillSubscriptions } from '../../domain/claim-rules.js';
import type { ClaimState } from '../../domain/claim.js';
import { authorizeEdit, authorizeRead } from '../../domain/claim-policy.js';
import { notFound, validationFailed } from '../../domain/errors.js';
import { appendHistory, loadClaim, updateClaim } from '../claims-repository.js';
import { applyInput, changedFields, fieldValue, type ClaimInput } from './claim-input.js';
import type { Answer } from './create-claim.js';
import { actorFields, changedMeanwhile, checkVersion, ruleContext } from './command-context.js';

export interface EditClaim {
  actor: Actor;
  claimId: string;
  input: ClaimInput;
  /** The version the caller read (If-Match); unset: whatever the version is. */
  ifMatch?: number;
}

export function editClaim(deps: Deps, edit: EditClaim): Promise<ClaimState>;
export function editClaim<T>(deps: Deps, edit: EditClaim, answer: Answer<T>): Promise<T>;
export async function editClaim<T>(deps: Deps, edit: EditClaim, answer?: Answer<T>) {
  const done = (tx: Tx, claim: ClaimState) => (answer ? answer(tx, claim) : claim);
  const { actor, claimId, input, ifMatch } = edit;
  return inTransaction(deps.db, actor, async (tx) => {
    const claim = await loadClaim(tx, claimId, true);
    if (!claim) throw notFound();
    authorizeRead(claim, actor);
    checkVersion(claim, ifMatch);
    const edited = applyInput(claim, input);
    authorizeEdit(claim, actor, changedFields(claim, edited));
    const rules = await ruleContext(tx, edited, deps.reference);
    // R-FIELD-3: after submission, new product lines get the subscription the directory knows,
    // as at submit. Not in drafts: a draft needs no PoE, and the directory is not the partners'
    // to read (R-ROLE-3), so a subscription ID is disclosed only with a submitted claim.
    const fill = claim.status !== 'draft' && changedFields(claim, edited).includes('products');
    const next = fill ? fillSubscriptions(edited, rules) : edited;
    const changed = changedFields(claim, next);
    if (changed.length === 0) return done(tx, claim);
    const errors = [...editErrors(next, rules), ...chosenLocationErrors(next, rules, claim)];
    if (errors.length) throw validationFailed(errors);
    const now = deps.clock.now();
    const saved = { ...next, version: claim.version + 1 };
    if (!(await updateClaim(tx, saved, claim.version, now, changed.includes('products')))) {
      throw changedMeanwhile();
    }
    await appendHistory(tx, [
      {
        claimId,
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
    return done(tx, saved);
  });
}
