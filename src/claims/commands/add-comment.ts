// Use case: a comment on a claim (R-COMM-1), recorded in its history; the claim's version moves.
import { randomUUID } from 'node:crypto';
import type { Deps } from '../../deps.js';
import { inTransaction } from '../../db/transaction.js';
import { roleLabel, type Actor } from '../../domain/actor.js';
import { authorizeComment } from '../../domain/claim-policy.js';
import { notFound } from '../../domain/errors.js';
import { appendHistory, insertComment, loadClaim, moveVersion } from '../claims-repository.js';
import { actorFields, changedMeanwhile, checkVersion } from './command-context.js';

export interface AddComment {
  actor: Actor;
  claimId: string;
  text: string;
  /** The version the caller read (If-Match); unset: whatever the version is. */
  ifMatch?: number;
}

export async function addComment(deps: Deps, { actor, claimId, text, ifMatch }: AddComment) {
  return inTransaction(deps.db, actor, async (tx) => {
    const claim = await loadClaim(tx, claimId, true);
    if (!claim) throw notFound();
    authorizeComment(claim, actor);
    checkVersion(claim, ifMatch);
    const now = deps.clock.now();
    if (!(await moveVersion(tx, claimId, claim.version, now))) throw changedMeanwhile();
    const comment = {
      id: randomUUID(),
      claim_id: claimId,
      author_id: actor.id,
      author_name: actor.name,
      author_role: roleLabel(actor),
      text,
      created_at: now,
    };
    await insertComment(tx, comment);
    await appendHistory(tx, [
      {
        claimId,
        at: now,
        type: 'comment_added',
        ...actorFields(actor),
        data: { commentId: comment.id, text },
      },
    ]);
    return comment;
  });
}
