// Who is calling: a bearer token (programs) or the session cookie (the web UI). Cookie
// requests that change something must echo the CSRF token (double submit). How a token or a
// cookie becomes an actor is the people module's (passed in as an Authenticator), so this
// layer knows neither hashing nor tables.
//
// Authentication is required once per route scope (`requireSignIn`), not in each handler:
// every route of the scope answers 401 to an anonymous caller unless it opts out with
// `config: { public: true }`. Handlers read `req.actor`, which is always set there.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../domain/actor.js';
import { DomainError } from '../domain/errors.js';

export const sessionCookie = 'cpor_session';
export const csrfCookie = 'cpor_csrf';

/** Which credential a request came with (a password change keeps that one alive). */
export type CredentialRef = { tokenId: string } | { sessionHash: string };

export interface Authenticated {
  actor: Actor;
  /** Until the password is changed, only routes that say `duringPasswordChange` answer. */
  mustChangePassword: boolean;
  credential: CredentialRef;
}

/** Turns credentials into an actor; null when they are unknown, expired, revoked or the user is disabled. */
export interface Authenticator {
  byToken(token: string): Promise<Authenticated | null>;
  bySession(cookie: string): Promise<(Authenticated & { csrfToken: string }) | null>;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in caller, or null (public routes). */
    principal: Actor | null;
    /** The signed-in caller; reading it on an anonymous request answers 401. */
    readonly actor: Actor;
    /** The credential of the signed-in caller, or null. */
    credential: CredentialRef | null;
    mustChangePassword: boolean;
  }
  interface FastifyContextConfig {
    /** The route answers anonymous callers (sign-in, the customer's consent link). */
    public?: boolean;
    /** The route answers a caller who must change its password first (the change itself, /me). */
    duringPasswordChange?: boolean;
    /** The route reads the Authorization header itself (/metrics and its own token). */
    ownAuthorization?: boolean;
  }
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

const unauthenticated = () => new DomainError('unauthenticated', 'Sign in or send a bearer token.');

export function installAuth(app: FastifyInstance, auth: Authenticator) {
  app.decorateRequest('principal', null);
  app.decorateRequest('credential', null);
  app.decorateRequest('mustChangePassword', false);
  app.decorateRequest('actor', {
    getter(this: FastifyRequest) {
      if (!this.principal) throw unauthenticated();
      return this.principal;
    },
  });
  app.addHook('onRequest', async (req) => {
    if (req.routeOptions.config.ownAuthorization === true) return;
    const header = req.headers.authorization;
    if (header) {
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      if (!m?.[1])
        throw new DomainError('unauthenticated', 'The Authorization header must be "Bearer <token>".');
      const found = await auth.byToken(m[1]);
      if (!found) throw new DomainError('unauthenticated', 'The token is not valid.');
      signIn(req, found);
      return;
    }
    const cookie = req.cookies[sessionCookie];
    if (!cookie) return;
    const found = await auth.bySession(cookie);
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
    signIn(req, found);
  });
}

function signIn(req: FastifyRequest, found: Authenticated) {
  req.principal = found.actor;
  req.credential = found.credential;
  req.mustChangePassword = found.mustChangePassword;
}

/** Every route of this scope needs a signed-in caller, unless its config says `public: true`. */
export function requireSignIn(scope: FastifyInstance) {
  scope.addHook('onRequest', async (req) => {
    const config = req.routeOptions.config;
    if (config.public === true) return;
    if (!req.principal) throw unauthenticated();
    if (req.mustChangePassword && config.duringPasswordChange !== true) {
      throw new DomainError(
        'password_change_required',
        'Change your password first: POST /api/v1/auth/password {currentPassword, newPassword}.',
      );
    }
  });
}
