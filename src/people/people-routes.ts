// Sign-in, the current user, organizations and users (platform admin).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { language, role } from '../claims/named-enums.js';
import type { Deps } from '../deps.js';
import { notFound } from '../domain/errors.js';
import { userAbilities } from '../domain/actor.js';
import { csrfCookie, sessionCookie } from '../http/auth.js';
import { idempotent } from '../http/idempotency.js';
import { withCaller } from '../db/transaction.js';
import { answers, bodyErrors, noContent, ok, pageQuery } from '../http/contract.js';
import { decodeKeyCursor, keyPage } from '../lib/cursor.js';
import { email, mpnId, text } from '../claims/claims-schemas.js';
import { countryCodes } from '../domain/countries.js';
import {
  addLocation,
  createOrganization,
  createUser,
  requirePlatformAdmin,
  updateLocation,
  updateOrganization,
  updateUser,
} from './people-commands.js';
import { endSession, issueToken, maxTokenDays, startSession } from './credentials-commands.js';
import {
  organizationWithLocations,
  organizationsWithLocations,
  presentUser,
  userById,
  usersByEmail,
} from './people-repository.js';
import {
  meView,
  organizationList,
  organizationView,
  sessionAnswer,
  tokenAnswer,
  userList,
  userView,
} from './people-schemas.js';

const credentials = z.strictObject({ email: z.string().max(254), password: z.string().max(1000) });
const password = z.string().min(12).max(1000);
/** Issue 13 point 10: an ISO 3166-1 alpha-2 code; the web UI names it in the reader's language. */
const country = z
  .enum(countryCodes as [string, ...string[]])
  .meta({ id: 'Country', description: 'ISO 3166-1 alpha-2 code, e.g. "BR"' });
const location = z.strictObject({
  mpnId,
  name: text(200),
  country: country.nullable().optional(),
});
const locationParams = z.strictObject({ id: z.string().max(100), mpnId: z.string().max(100) });
const idParams = z.strictObject({ id: z.string().max(100) });
/** Where a sign-in attempt comes from: the socket, or a proxy CPOR_TRUST_PROXY names (app.ts). */
export const originOf = (req: { ip: string; headers: { 'user-agent'?: string } }) => ({
  address: req.ip,
  userAgent: req.headers['user-agent'] ?? null,
});

export function peopleRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/auth/token',
      {
        config: { public: true },
        schema: {
          tags: ['auth'],
          operationId: 'issueToken',
          summary: `Exchange email and password for a bearer token (expires in 90 days unless asked, at most ${maxTokenDays})`,
          response: answers({ 200: ok(tokenAnswer, 'A new bearer token') }, ...bodyErrors, 429),
          security: [],
          body: credentials.extend({
            name: text(100).optional(),
            expiresInDays: z.number().int().min(1).max(maxTokenDays).optional(),
          }),
        },
      },
      async (req) => issueToken(deps, req.body, originOf(req)),
    );
    app.post(
      '/auth/login',
      {
        config: { public: true },
        schema: {
          tags: ['auth'],
          operationId: 'login',
          summary: 'Start a cookie session (web UI)',
          response: answers(
            { 200: ok(sessionAnswer, 'Signed in: the session cookie is set, with its CSRF token') },
            ...bodyErrors,
            429,
          ),
          security: [],
          body: credentials,
        },
      },
      async (req, reply) => {
        const s = await startSession(deps, req.body, originOf(req), req.cookies[sessionCookie]);
        const secure = deps.config.CPOR_PUBLIC_URL.startsWith('https:');
        void reply.setCookie(sessionCookie, s.token, {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure,
          expires: s.expiresAt,
        });
        void reply.setCookie(csrfCookie, s.csrfToken, {
          path: '/',
          httpOnly: false,
          sameSite: 'lax',
          secure,
          expires: s.expiresAt,
        });
        return { user: s.user, csrfToken: s.csrfToken };
      },
    );
    app.post(
      '/auth/logout',
      {
        config: { public: true },
        schema: {
          tags: ['auth'],
          operationId: 'logout',
          summary: 'End the cookie session',
          security: [],
          response: answers({ 204: noContent('Signed out (also when there was no session)') }),
        },
      },
      async (req, reply) => {
        const token = req.cookies[sessionCookie];
        if (token) await endSession(deps, token);
        void reply.clearCookie(sessionCookie, { path: '/' }).clearCookie(csrfCookie, { path: '/' });
        return reply.status(204).send(null);
      },
    );
    app.get(
      '/me',
      {
        config: { duringPasswordChange: true },
        schema: {
          tags: ['auth'],
          operationId: 'getMe',
          summary: "The signed-in user, and the server's now (the test clock's when it is on)",
          response: answers({ 200: ok(meView, 'The signed-in user and its organization') }, 404),
        },
      },
      async (req) => {
        const actor = req.actor;
        const { user, organization } = await withCaller(deps.db, actor, async (q) => {
          const u = await userById(q, actor.id ?? '');
          return {
            user: u,
            organization: u?.organization_id ? await organizationWithLocations(q, u.organization_id) : null,
          };
        });
        if (!user) throw notFound('user');
        return {
          ...presentUser(user),
          organization,
          now: deps.clock.now().toISOString(),
          abilities: userAbilities(actor.roles, actor.organizationId),
        };
      },
    );

    app.post(
      '/organizations',
      {
        schema: {
          tags: ['people'],
          operationId: 'createOrganization',
          summary: 'Platform admin: create a partner organization with its locations (MPN IDs)',
          response: answers({ 201: ok(organizationView, 'The new organization') }, ...bodyErrors, 409),
          body: z.strictObject({
            name: text(200),
            language: language.nullable().optional(),
            locations: z.array(location).min(1).max(100),
          }),
        },
      },
      async (req, reply) => {
        const actor = req.actor;
        return idempotent(deps, req, reply, 201, () => createOrganization(deps, actor, req.body));
      },
    );
    app.get(
      '/organizations',
      {
        schema: {
          tags: ['people'],
          operationId: 'listOrganizations',
          summary: 'Organizations (platform admins and reviewers see all; partners their own)',
          querystring: z.strictObject(pageQuery),
          response: answers(
            { 200: ok(organizationList, 'The organizations, by name, a page at a time') },
            422,
          ),
        },
      },
      async (req) => {
        const actor = req.actor;
        const staff = actor.roles.includes('platform_admin') || actor.roles.includes('reviewer');
        const { limit, cursor } = req.query;
        const after = cursor ? decodeKeyCursor(cursor) : undefined;
        const rows = await withCaller(deps.db, actor, (q) =>
          organizationsWithLocations(q, staff ? undefined : (actor.organizationId ?? ''), {
            after,
            limit: limit + 1,
          }),
        );
        return keyPage(
          rows,
          limit,
          (o) => o,
          (o) => ({ k: o.name, id: o.id }),
        );
      },
    );
    app.get(
      '/organizations/:id',
      {
        schema: {
          tags: ['people'],
          operationId: 'getOrganization',
          summary: 'One organization',
          params: idParams,
          response: answers({ 200: ok(organizationView, 'The organization') }, 404, 422),
        },
      },
      async (req) => {
        const actor = req.actor;
        const staff = actor.roles.includes('platform_admin') || actor.roles.includes('reviewer');
        const org =
          staff || actor.organizationId === req.params.id
            ? await withCaller(deps.db, actor, (q) => organizationWithLocations(q, req.params.id))
            : null;
        if (!org) throw notFound('organization');
        return org;
      },
    );
    app.patch(
      '/organizations/:id',
      {
        schema: {
          tags: ['people'],
          operationId: 'updateOrganization',
          summary:
            'Platform admin: rename, or disable / enable, an organization (disabled: its users cannot sign in nor make claims; nothing is deleted)',
          response: answers({ 200: ok(organizationView, 'The organization as changed') }, ...bodyErrors, 404),
          params: idParams,
          body: z.strictObject({
            name: text(200).optional(),
            language: language.nullable().optional(),
            disabled: z.boolean().optional(),
          }),
        },
      },
      async (req) => updateOrganization(deps, req.actor, req.params.id, req.body),
    );
    app.patch(
      '/organizations/:id/locations/:mpnId',
      {
        schema: {
          tags: ['people'],
          operationId: 'updateLocation',
          summary:
            'Platform admin: rename, move or disable / enable a partner location (disabled: it cannot be chosen for a claim; its claims stay)',
          response: answers(
            { 200: ok(organizationView, 'The organization with the location as changed') },
            ...bodyErrors,
            404,
          ),
          params: locationParams,
          body: z.strictObject({
            name: text(200).optional(),
            country: country.nullable().optional(),
            disabled: z.boolean().optional(),
          }),
        },
      },
      async (req) => updateLocation(deps, req.actor, req.params.id, req.params.mpnId, req.body),
    );
    app.post(
      '/organizations/:id/locations',
      {
        schema: {
          tags: ['people'],
          operationId: 'addLocation',
          summary: 'Platform admin: add a partner location',
          response: answers(
            { 201: ok(organizationView, 'The organization with its new location') },
            ...bodyErrors,
            404,
            // The same Idempotency-Key still running.
            409,
          ),
          params: idParams,
          body: location,
        },
      },
      async (req, reply) =>
        idempotent(
          deps,
          req,
          reply,
          201,
          () => addLocation(deps, req.actor, req.params.id, req.body),
          async (id) => {
            const org = await withCaller(deps.db, req.actor, (q) => organizationWithLocations(q, id));
            if (!org) throw notFound('organization');
            return org;
          },
        ),
    );

    app.post(
      '/users',
      {
        schema: {
          tags: ['people'],
          operationId: 'createUser',
          summary: 'Platform admin: create a user',
          response: answers({ 201: ok(userView, 'The new user') }, ...bodyErrors, 409),
          body: z.strictObject({
            email,
            name: text(200),
            password,
            organizationId: z.string().max(100).nullable().optional(),
            roles: z.array(role).min(1),
            language: language.nullable().optional(),
            mustChangePassword: z.boolean().optional(),
          }),
        },
      },
      async (req, reply) => {
        const actor = req.actor;
        return idempotent(deps, req, reply, 201, () => createUser(deps, actor, req.body));
      },
    );
    app.get(
      '/users',
      {
        schema: {
          tags: ['people'],
          operationId: 'listUsers',
          summary: 'Platform admin: users',
          response: answers({ 200: ok(userList, 'The users, by email, a page at a time') }, 422),
          querystring: z.strictObject({ organizationId: z.string().max(100).optional(), ...pageQuery }),
        },
      },
      async (req) => {
        requirePlatformAdmin(req.actor);
        const { organizationId, limit, cursor } = req.query;
        const after = cursor ? decodeKeyCursor(cursor) : undefined;
        const users = await withCaller(deps.db, req.actor, (q) =>
          usersByEmail(q, organizationId, { after, limit: limit + 1 }),
        );
        return keyPage(users, limit, presentUser, (u) => ({ k: u.email, id: u.id }));
      },
    );
    app.patch(
      '/users/:id',
      {
        schema: {
          tags: ['people'],
          summary:
            'Change a user (name and language: the user too; roles, disabled, password, mustChangePassword: platform admin)',
          operationId: 'updateUser',
          response: answers({ 200: ok(userView, 'The user as changed') }, ...bodyErrors, 404, 409),
          params: idParams,
          body: z.strictObject({
            name: text(200).optional(),
            roles: z.array(role).min(1).optional(),
            language: language.nullable().optional(),
            disabled: z.boolean().optional(),
            password: password.optional(),
            mustChangePassword: z.boolean().optional(),
          }),
        },
      },
      async (req) => updateUser(deps, req.actor, req.params.id, req.body),
    );
  };
}
