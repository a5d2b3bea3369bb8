// Idempotency-Key on creating writes: a retry with the same key and body gets the first
// answer and creates nothing new; the same key with another body is refused.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.js';
import { DomainError } from '../domain/errors.js';
import { canonicalJson } from '../lib/canonical-json.js';
import { sha256 } from '../lib/sha256.js';
import { KeyTaken, underIdempotencyKey, withCaller, type PendingKey, type Tx } from '../db/transaction.js';
import { failpoint } from '../lib/failpoint.js';
import { keyOf, recordKey, storeAnswer } from './idempotency-repository.js';

/** How an answer is written besides its body: its status, when it depends on the result, and its ETag. */
export interface AnswerShape<T> {
  /** The status of this result (e.g. 201 created, 200 an existing one renamed). */
  statusOf?: (result: T) => number;
  /** The ETag of the answer, written on the first answer and on every replay alike. */
  etagOf?: (result: T) => string;
  /**
   * The result of the request's one transaction is its whole answer (an import's report): it
   * is stored in that transaction, so a crash before the answer was sent loses nothing.
   */
  answerIsTheWrite?: boolean;
}

export async function idempotent<T>(
  deps: Deps,
  req: FastifyRequest,
  reply: FastifyReply,
  status: number,
  run: () => Promise<T>,
  /**
   * The answer again from the id of what the first request created: used when that request's
   * write committed but its answer was never stored (the process died in between).
   */
  replay?: (resourceId: string) => Promise<T>,
  shape: AnswerShape<T> = {},
): Promise<T> {
  const statusOf = (r: T) => shape.statusOf?.(r) ?? status;
  /** The status and ETag of an answer, first or replayed. */
  const answer = (r: T, code = statusOf(r)) => {
    reply.status(code);
    if (shape.etagOf && code < 300) void reply.header('ETag', shape.etagOf(r));
    return r;
  };
  const key = req.headers['idempotency-key'];
  if (typeof key !== 'string' || !req.principal?.id) return answer(await run());
  if (key.length > 200)
    throw new DomainError('validation_failed', 'Idempotency-Key is too long.', [
      {
        path: 'Idempotency-Key',
        message: 'is longer than 200 characters',
        code: 'too_long',
        params: { max: 200 },
      },
    ]);
  const userId = req.principal.id;
  const actor = req.principal;
  // The keys are the user's own (row-level security, migration 0014b): read and written as it.
  const asUser = <R>(fn: (q: Tx) => Promise<R>) => withCaller(deps.db, actor, fn);
  // Keys sorted: a retry whose JSON lists the same fields in another order is the same request.
  const requestHash = sha256(`${req.method} ${req.url}\n${canonicalJson(req.body ?? null)}`);

  // A key's row exists only once its write committed (db/transaction.ts): answer from it.
  const answerFrom = async (seen: NonNullable<Awaited<ReturnType<typeof keyOf>>>): Promise<T> => {
    if (seen.request_hash !== requestHash)
      throw new DomainError('idempotency_key_reused', 'This Idempotency-Key was used with another request.', [
        { path: 'Idempotency-Key', message: 'was used with another request', code: 'key_reused' },
      ]);
    if (seen.status_code === 0) {
      // Committed, but the answer was never stored (the process died in between, or the
      // first request is still writing it): the answer again from what it created.
      if (!replay || !seen.resource_id)
        throw new DomainError(
          'conflict',
          'The request with this Idempotency-Key was performed; its answer is not available: read the result instead of retrying.',
        );
      const again = await replay(seen.resource_id);
      await asUser((q) => storeAnswer(q, userId, key, statusOf(again), again));
      void reply.header('Idempotent-Replayed', 'true');
      return answer(again);
    }
    void reply.header('Idempotent-Replayed', 'true');
    return answer(seen.response as T, seen.status_code);
  };

  const seen = await asUser((q) => keyOf(q, userId, key));
  if (seen) return answerFrom(seen);
  let result: T;
  const pending: PendingKey = {
    userId,
    key,
    requestHash,
    now: deps.clock.now(),
    committed: false,
    ...(shape.answerIsTheWrite ? { answerOf: (r: unknown) => ({ status: statusOf(r as T), body: r }) } : {}),
  };
  try {
    result = await underIdempotencyKey(pending, run);
  } catch (e) {
    // Another request with this key committed while this one ran: its answer is this one's.
    const first = e instanceof KeyTaken ? await asUser((q) => keyOf(q, userId, key)) : undefined;
    if (first) return answerFrom(first);
    throw e;
  }
  failpoint('idempotency-after-commit');
  // A write outside inTransaction (there should be none) took no key: record it now, after.
  if (!pending.committed) await asUser((q) => recordKey(q, pending));
  if (!pending.answerOf || !pending.committed)
    await asUser((q) => storeAnswer(q, userId, key, statusOf(result), result));
  return answer(result);
}
