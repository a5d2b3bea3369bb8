// Who is calling: a bearer token (programs) or the session cookie (the web UI). Cookie
// requests that change something must echo the CSRF token (double submit).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.js';
import type { Actor } from '../domain/actor.js';
import { DomainError } from '../domain/errors.js';
import { sha256 } from '../people/passwords.js';
import { actorBySession, actorByTokenHash } from '../people/people-repository.js';

export const sessionCookie = 'cpor_session';
export const csrfCookie = 'cpor_csrf';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

export function installAuth(app: FastifyInstance, deps: Deps) {
  app.decorateRequest('actor', null);
  app.addHook('onRequest', async (req) => {
    const header = req.headers.authorization;
    if (header) {
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      if (!m?.[1])
        throw new DomainError('unauthenticated', 'The Authorization header must be "Bearer <token>".');
      req.actor = await actorByTokenHash(deps.db, sha256(m[1]));
      if (!req.actor) throw new DomainError('unauthenticated', 'The token is not valid.');
      return;
    }
    const cookie = req.cookies[sessionCookie];
    if (!cookie) return;
    const found = await actorBySession(deps.db, sha256(cookie), new Date());
    if (!found) return;
    if (!safeMethods.has(req.method) && req.headers['x-csrf-token'] !== found.csrfToken) {
      // Logging in again must stay possible with a stale cookie.
      if (!req.url.startsWith('/api/v1/auth/')) {
        throw new DomainError(
          'forbidden',
          'The X-CSRF-Token header is missing or does not match the session.',
        );
      }
      return;
    }
    req.actor = found.actor;
  });
}

export function requireActor(req: FastifyRequest): Actor {
  if (!req.actor) throw new DomainError('unauthenticated', 'Sign in or send a bearer token.');
  return req.actor;
}
