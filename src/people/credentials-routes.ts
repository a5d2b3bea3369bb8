// The caller's own credentials (tokens, password) and the record of sign-ins (platform admin).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { changePassword, listTokens, revokeToken } from './credentials-commands.js';
import { requirePlatformAdmin } from './people-commands.js';
import { originOf } from './people-routes.js';
import { signInAudit } from './sign-ins-queries.js';
import { answers, bodyErrors, noContent, ok } from '../http/contract.js';
import { signInList, signInOutcomes, tokenList, userView } from './people-schemas.js';

const limit = z.coerce.number().int().min(1).max(200).default(50);

export function credentialsRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/auth/tokens',
      {
        schema: {
          tags: ['auth'],
          operationId: 'listTokens',
          summary: "The caller's live tokens: id, name, createdAt, lastUsedAt, expiresAt (never the token)",
          response: answers({ 200: ok(tokenList, "The caller's live tokens, newest first") }, 422),
          querystring: z.strictObject({ limit, cursor: z.string().max(100).optional() }),
        },
      },
      async (req) => listTokens(deps, req.actor, req.query.limit, req.query.cursor),
    );
    app.delete(
      '/auth/tokens/:id',
      {
        schema: {
          tags: ['auth'],
          operationId: 'revokeToken',
          summary: "Revoke one of the caller's tokens, at once",
          response: answers({ 204: noContent('Revoked') }, 404, 422),
          params: z.strictObject({ id: z.string().max(100) }),
        },
      },
      async (req, reply) => {
        await revokeToken(deps, req.actor, req.params.id);
        return reply.status(204).send(null);
      },
    );
    app.post(
      '/auth/password',
      {
        config: { duringPasswordChange: true },
        schema: {
          tags: ['auth'],
          summary:
            "Change the caller's password with the current one; every other session and token of the user ends",
          operationId: 'changePassword',
          response: answers(
            { 200: ok(userView, 'The user; its other credentials ended') },
            ...bodyErrors,
            404,
            429,
          ),
          body: z.strictObject({
            currentPassword: z.string().max(1000),
            newPassword: z.string().min(12).max(1000),
          }),
        },
      },
      async (req) => changePassword(deps, req.actor, req.credential, req.body, originOf(req)),
    );
    app.get(
      '/audit/sign-ins',
      {
        schema: {
          tags: ['audit'],
          summary:
            'Platform admin: every sign-in attempt, newest first (time, email, address, user agent, outcome)',
          operationId: 'signInAudit',
          response: answers({ 200: ok(signInList, 'Sign-in attempts, newest first') }, 422),
          querystring: z.strictObject({
            limit,
            cursor: z.string().max(100).optional(),
            email: z.string().max(254).optional(),
            address: z.string().max(100).optional(),
            outcome: z.enum(signInOutcomes).optional(),
          }),
        },
      },
      async (req) => {
        requirePlatformAdmin(req.actor);
        const { limit: n, cursor, ...filter } = req.query;
        return signInAudit(deps, req.actor, filter, n, cursor);
      },
    );
  };
}
