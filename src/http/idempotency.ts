// Idempotency-Key on creating writes: a retry with the same key and body gets the first
// answer and creates nothing new; the same key with another body is refused.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.js';
import { DomainError } from '../domain/errors.js';
import { canonicalJson } from '../lib/canonical-json.js';
import { sha256 } from '../lib/sha256.js';
import { underIdempotencyKey } from '../db/transaction.js';
import { failpoint } from '../lib/failpoint.js';
import { keyOf, releaseKey, reserveKey, storeAnswer } from './idempotency-repository.js';

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
  const now = deps.clock.now();
  // Reserve the key before running, so that concurrent retries (a client that timed out and
  // tried again while the first request was still running) cannot both create. A reservation
  // has status_code 0; one left behind by a crash is taken over after a minute.
  const reserve = () => reserveKey(deps.db, { userId, key, requestHash, now });
  let reserved = await reserve();
  if (!reserved) {
    const seen = await keyOf(deps.db, userId, key);
    if (seen && seen.request_hash !== requestHash) {
      throw new DomainError('idempotency_key_reused', 'This Idempotency-Key was used with another request.', [
        { path: 'Idempotency-Key', message: 'was used with another request' },
      ]);
    }
    if (seen && seen.status_code !== 0) {
      reply.status(seen.status_code).header('Idempotent-Replayed', 'true');
      return seen.response as T;
    }
    if (seen && seen.resource_id !== null) {
      // The first request's write committed, its answer was lost: never run it again.
      if (!replay || seen.resource_id === '')
        throw new DomainError(
          'conflict',
          'The request with this Idempotency-Key was performed, but its answer was lost; read the result instead of retrying.',
        );
      const again = await replay(seen.resource_id);
      await storeAnswer(deps.db, userId, key, status, again);
      reply.status(status).header('Idempotent-Replayed', 'true');
      return again;
    }
    const abandoned = seen && now.getTime() - new Date(seen.created_at).getTime() > 60_000;
    if (seen && !abandoned) {
      throw new DomainError(
        'conflict',
        'A request with this Idempotency-Key is still running; retry shortly.',
      );
    }
    await releaseKey(deps.db, userId, key);
    reserved = await reserve();
    if (!reserved) throw new DomainError('conflict', 'A request with this Idempotency-Key is still running.');
  }
  let result: T;
  try {
    result = await underIdempotencyKey({ userId, key, committed: false }, run);
  } catch (e) {
    // A refused request stores nothing: its retry runs again (releaseKey keeps a key whose
    // write committed before the failure).
    await releaseKey(deps.db, userId, key);
    throw e;
  }
  failpoint('idempotency-after-commit');
  await storeAnswer(deps.db, userId, key, status, result);
  reply.status(status);
  return result;
}
