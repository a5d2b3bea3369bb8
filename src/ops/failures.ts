// Issue 12 point 5: what the system gave up sending, for platform admins: mail refused after
// every attempt, and webhook deliveries dead after their day of retries; each can be tried
// again. Nothing acknowledged is lost: a failed row stays until it is sent.
import type { Deps } from '../deps.js';
import { inTransaction } from '../db/transaction.js';
import type { Actor } from '../domain/actor.js';
import { notFound } from '../domain/errors.js';
import type { EmailPayload } from '../domain/outbox.js';
import { decodeCursor, encodeCursor } from '../lib/cursor.js';
import { requirePlatformAdmin } from '../people/people-commands.js';
import { deadDeliveries, failedMail, requeueDeadDelivery, requeueFailedMail } from './ops-repository.js';

export type FailureKind = 'mail' | 'webhook';

export interface Failure {
  kind: FailureKind;
  id: string;
  claimId: string | null;
  /** The address of a mail, the URL of a webhook. */
  target: string;
  /** The mail's template, the delivery's event type. */
  what: string;
  attempts: number;
  lastError: string | null;
  failedAt: string;
}

export async function listFailures(
  deps: Deps,
  actor: Actor,
  q: { kind: FailureKind; limit: number; cursor?: string },
): Promise<{ items: Failure[]; nextCursor: string | null }> {
  requirePlatformAdmin(actor);
  const after = q.cursor ? decodeCursor(q.cursor) : undefined;
  const at = after ? { at: new Date(after.at), id: after.id } : undefined;
  const items: Failure[] = await inTransaction(deps.db, actor, async (tx) =>
    q.kind === 'mail'
      ? (await failedMail(tx, at, q.limit + 1)).map((r) => ({
          kind: 'mail' as const,
          id: r.id,
          claimId: r.claim_id,
          target: (r.payload as EmailPayload).to.email,
          what: (r.payload as EmailPayload).template,
          attempts: r.attempts,
          lastError: r.last_error,
          failedAt: (r.failed_at ?? new Date(0)).toISOString(),
        }))
      : (await deadDeliveries(tx, at, q.limit + 1)).map((r) => ({
          kind: 'webhook' as const,
          id: r.id,
          claimId: r.claim_id,
          target: r.url,
          what: r.event_type,
          attempts: r.attempts,
          lastError: r.last_error ?? (r.response_code ? `HTTP ${r.response_code}` : null),
          failedAt: (r.dead_at ?? new Date(0)).toISOString(),
        })),
  );
  const page = items.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: page,
    nextCursor: items.length > q.limit && last ? encodeCursor({ at: last.failedAt, id: last.id }) : null,
  };
}

/** Tries a failed mail or a dead delivery again, from now; 404 when it is not one. */
export async function retryFailure(deps: Deps, actor: Actor, kind: FailureKind, id: string): Promise<void> {
  requirePlatformAdmin(actor);
  const now = deps.clock.now();
  const done = await inTransaction(deps.db, actor, (tx) =>
    kind === 'mail'
      ? requeueFailedMail(tx, id, now)
      : requeueDeadDelivery(
          tx,
          id,
          now,
          new Date(now.getTime() + deps.config.CPOR_WEBHOOK_GIVE_UP_HOURS * 3_600_000),
        ),
  );
  if (!done) throw notFound(kind === 'mail' ? 'failed mail' : 'dead delivery');
}
