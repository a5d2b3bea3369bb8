// Answers of the sign-in, organization and user routes (zod): the OpenAPI document shows
// them and the serializer checks each answer against them.
import { z } from 'zod';
import { language, reviewQueueStatus, role } from '../claims/named-enums.js';

const dateTime = z.iso.datetime();

export const userView = z
  .strictObject({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    roles: z.array(role),
    organizationId: z.string().nullable(),
    language: language.nullable().meta({ description: "Else the organization's, else the browser's" }),
    disabled: z.boolean().meta({ description: 'A disabled user cannot sign in; its credentials stopped' }),
    mustChangePassword: z
      .boolean()
      .meta({ description: 'Every route but a few answers 403 until it changes' }),
  })
  .meta({ id: 'User' });

export const organizationView = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    language: language.nullable(),
    createdAt: dateTime,
    disabled: z.boolean().meta({
      description: 'A disabled organization: its users cannot sign in nor make claims; its claims stay',
    }),
    locations: z.array(
      z.strictObject({
        mpnId: z.string(),
        name: z.string(),
        country: z.string().nullable().meta({ description: 'ISO 3166-1 alpha-2 code, e.g. "BR"' }),
        disabled: z.boolean().meta({
          description: 'A disabled location cannot be chosen for a claim; claims naming it stay',
        }),
      }),
    ),
  })
  .meta({ id: 'Organization' });

export const meView = userView
  .extend({
    organization: organizationView.nullable(),
    now: z.iso.datetime().meta({ description: "The server's now (the test clock's when it is on)" }),
    abilities: z
      .strictObject({
        partner: z.boolean().meta({ description: 'A user of a partner organization (R-ROLE-1)' }),
        createClaims: z
          .boolean()
          .meta({ description: 'May create, edit, submit and import claims (R-ROLE-1)' }),
        review: z.boolean().meta({ description: 'A reviewer: the review queue (R-ROLE-3)' }),
        reviewQueue: z.array(reviewQueueStatus).meta({
          description:
            "The statuses of the review queue's claims (those waiting for a reviewer); empty unless review",
        }),
        administer: z.boolean().meta({ description: 'A platform admin: organizations, users, catalog...' }),
      })
      .meta({ id: 'UserAbilities', description: 'What this user may do across the product' }),
  })
  .meta({ id: 'Me', description: 'The signed-in user and its organization' });

export const tokenAnswer = z
  .strictObject({
    token: z.string().meta({ description: 'Send as Authorization: Bearer <token>; shown once' }),
    id: z.string(),
    name: z.string(),
    expiresAt: z.iso.datetime(),
    user: userView,
  })
  .meta({ id: 'Token' });

export const tokenList = z
  .strictObject({
    items: z.array(
      z.strictObject({
        id: z.string(),
        name: z.string(),
        createdAt: z.iso.datetime(),
        lastUsedAt: z.iso.datetime().nullable(),
        expiresAt: z.iso.datetime(),
      }),
    ),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'TokenList' });

export const signInOutcomes = [
  'pending',
  'success',
  'wrong_password',
  'unknown_account',
  'disabled',
  'throttled',
] as const;
export const signInList = z
  .strictObject({
    items: z.array(
      z.strictObject({
        id: z.string(),
        at: z.iso.datetime(),
        email: z.string(),
        address: z.string(),
        userAgent: z.string().nullable(),
        route: z.enum(['token', 'login', 'password']),
        outcome: z.enum(signInOutcomes),
        userId: z.string().nullable(),
      }),
    ),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'SignInList' });

export const sessionAnswer = z
  .strictObject({
    user: userView,
    csrfToken: z.string().meta({ description: 'Echo it in X-CSRF-Token on every write' }),
  })
  .meta({ id: 'Session' });

export const organizationList = z
  .strictObject({ items: z.array(organizationView), nextCursor: z.string().nullable() })
  .meta({ id: 'OrganizationList' });

export const userList = z
  .strictObject({ items: z.array(userView), nextCursor: z.string().nullable() })
  .meta({ id: 'UserList' });
