// Use case: a comment on a claim (R-COMM-1), recorded in its history.
import { randomUUID } from 'node:crypto';
import type { Deps } from '../../deps.js';
import { inTransaction } from '../../db/transaction.js';
import { roleLabel, type Actor } from '../../domain/actor.js';
import { authorizeComment } from '../../domain/claim-policy.js';
import { notFound } from '../../domain/errors.js';
import { appendHistory, insertComment, loadClaim } from '../claims-repository.js';
import { actorFields } from './command-context.js';

export interface AddComment {
  actor: Actor;
  claimId: string;
  text: string;
}

export async function addComment(deps: Deps, { actor, claimId, text }: AddComment) {
  return inTransaction(deps.db, actor, async (tx) => {
    const claim = await loadClaim(tx, claimId, true);
    if (!claim) throw notFound();
    authorizeComment(claim, actor);
    const now = deps.clock.now();
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
