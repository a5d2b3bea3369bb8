// Idempotency-Key on creating writes: a retry with the same key and body gets the first
// answer and creates nothing new; the same key with another body is refused.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.js';
import { DomainError } from '../domain/errors.js';
import { canonicalJson } from '../lib/canonical-json.js';
import { sha256 } from '../lib/sha256.js';
import { KeyTaken, underIdempotencyKey } from '../db/transaction.js';
import { failpoint } from '../lib/failpoint.js';
import { keyOf, recordKey, storeAnswer } from './idempotency-repository.js';

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
): Promise<T> {
  const key = req.headers['idempotency-key'];
  if (typeof key !== 'string' || !req.principal?.id) {
    reply.status(status);
    return run();
  }
  if (key.length > 200)
    throw new DomainError('validation_failed', 'Idempotency-Key is too long.', [
      { path: 'Idempotency-Key', message: 'is longer than 200 characters' },
    ]);
  const userId = req.principal.id;
  // Keys sorted: a retry whose JSON lists the same fields in another order is the same request.
  const requestHash = sha256(`${req.method} ${req.url}\n${canonicalJson(req.body ?? null)}`);

  // A key's row exists only once its write committed (db/transaction.ts): answer from it.
  const answerFrom = async (seen: NonNullable<Awaited<ReturnType<typeof keyOf>>>): Promise<T> => {
    if (seen.request_hash !== requestHash)
      throw new DomainError('idempotency_key_reused', 'This Idempotency-Key was used with another request.', [
        { path: 'Idempotency-Key', message: 'was used with another request' },
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
      await storeAnswer(deps.db, userId, key, status, again);
      reply.status(status).header('Idempotent-Replayed', 'true');
      return again;
    }
    reply.status(seen.status_code).header('Idempotent-Replayed', 'true');
    return seen.response as T;
  };

  const seen = await keyOf(deps.db, userId, key);
  if (seen) return answerFrom(seen);
  let result: T;
  const pending = { userId, key, requestHash, now: deps.clock.now(), committed: false };
  try {
    result = await underIdempotencyKey(pending, run);
  } catch (e) {
    // Another request with this key committed while this one ran: its answer is this one's.
    const first = e instanceof KeyTaken ? await keyOf(deps.db, userId, key) : undefined;
    if (first) return answerFrom(first);
    throw e;
  }
  failpoint('idempotency-after-commit');
  // A write outside inTransaction (there should be none) took no key: record it now, after.
  if (!pending.committed) await recordKey(deps.db, pending);
  await storeAnswer(deps.db, userId, key, status, result);
  reply.status(status);
  return result;
}
