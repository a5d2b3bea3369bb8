// Typed queries for organizations, partner locations, users, tokens and sessions.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Actor, Role } from '../domain/actor.js';

type Q = Kysely<DB>;

export async function actorByTokenHash(db: Q, tokenHash: string): Promise<Actor | null> {
  const row = await db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select(['users.id', 'users.name', 'users.roles', 'users.organization_id'])
    .where('api_tokens.token_hash', '=', tokenHash)
    .executeTakeFirst();
  return row ? toActor(row) : null;
}

export async function actorBySession(db: Q, tokenHash: string, now: Date) {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['users.id', 'users.name', 'users.roles', 'users.organization_id', 'sessions.csrf_token'])
    .where('sessions.token_hash', '=', tokenHash)
    .where('sessions.expires_at', '>', now)
    .executeTakeFirst();
  return row ? { actor: toActor(row), csrfToken: row.csrf_token } : null;
}

function toActor(row: { id: string; name: string; roles: string[]; organization_id: string | null }): Actor {
  return {
    kind: 'user',
    id: row.id,
    name: row.name,
    roles: row.roles as Role[],
    organizationId: row.organization_id,
  };
}

export const userByEmail = (db: Q, email: string) =>
  db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();

export async function organizationWithLocations(db: Q, id: string) {
  const org = await db.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();
  if (!org) return null;
  const locations = await db
    .selectFrom('partner_locations')
    .selectAll()
    .where('organization_id', '=', id)
    .orderBy('mpn_id')
    .execute();
  return presentOrganization(org, locations);
}

export function presentOrganization(
  org: { id: string; name: string; language: string | null; created_at: Date },
  locations: { mpn_id: string; name: string; country: string | null }[],
) {
  return {
    id: org.id,
    name: org.name,
    language: org.language,
    createdAt: org.created_at.toISOString(),
    locations: locations.map((l) => ({ mpnId: l.mpn_id, name: l.name, country: l.country })),
  };
}

export function presentUser(u: {
  id: string;
  email: string;
  name: string;
  roles: string[];
  organization_id: string | null;
  language: string | null;
}) {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    roles: u.roles,
    organizationId: u.organization_id,
    language: u.language,
  };
}
