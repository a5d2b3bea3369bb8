// Idempotency-Key on creating writes: a retry with the same key and body gets the first
// answer and creates nothing new; the same key with another body is refused.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.js';
import { DomainError } from '../domain/errors.js';
import { json } from '../claims/claims-repository.js';
import { sha256 } from '../people/passwords.js';

export async function idempotent<T>(
  deps: Deps,
  req: FastifyRequest,
  reply: FastifyReply,
  status: number,
  run: () => Promise<T>,
): Promise<T> {
  const key = req.headers['idempotency-key'];
  if (typeof key !== 'string' || !req.actor?.id) {
    reply.status(status);
    return run();
  }
  if (key.length > 200)
    throw new DomainError('validation_failed', 'Idempotency-Key is too long.', [
      { path: 'Idempotency-Key', message: 'is longer than 200 characters' },
    ]);
  const userId = req.actor.id;
  const requestHash = sha256(`${req.method} ${req.url}\n${JSON.stringify(req.body ?? null)}`);
  const seen = await deps.db
    .selectFrom('idempotency_keys')
    .selectAll()
    .where('user_id', '=', userId)
    .where('key', '=', key)
    .executeTakeFirst();
  if (seen) {
    if (seen.request_hash !== requestHash) {
      throw new DomainError('idempotency_key_reused', 'This Idempotency-Key was used with another request.', [
        { path: 'Idempotency-Key', message: 'was used with another request' },
      ]);
    }
    reply.status(seen.status_code).header('Idempotent-Replayed', 'true');
    return seen.response as T;
  }
  const result = await run();
  await deps.db
    .insertInto('idempotency_keys')
    .values({
      user_id: userId,
      key,
      request_hash: requestHash,
      status_code: status,
      response: json(result),
      created_at: deps.clock.now(),
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
  reply.status(status);
  return result;
}
