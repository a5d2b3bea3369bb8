// Typed queries for organizations, partner locations, users, tokens and sessions.
import type { Insertable, Updateable } from 'kysely';
import type { ApiTokensTable, SessionsTable, UsersTable } from '../db/schema.js';
import type { Queryable as Q } from '../db/transaction.js';
import type { Actor, Role } from '../domain/actor.js';

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

/** The MPN IDs among these that are some organization's location already. */
export async function takenMpnIds(db: Q, mpnIds: string[]): Promise<string[]> {
  if (mpnIds.length === 0) return [];
  const rows = await db
    .selectFrom('partner_locations')
    .select('mpn_id')
    .where('mpn_id', 'in', mpnIds)
    .execute();
  return rows.map((r) => r.mpn_id);
}

export async function insertOrganization(
  db: Q,
  org: { id: string; name: string; language: string | null; createdAt: Date },
) {
  await db
    .insertInto('organizations')
    .values({ id: org.id, name: org.name, language: org.language, created_at: org.createdAt })
    .execute();
}

export async function insertLocations(
  db: Q,
  organizationId: string,
  locations: { mpnId: string; name: string; country?: string | null }[],
) {
  if (locations.length === 0) return;
  await db
    .insertInto('partner_locations')
    .values(
      locations.map((l) => ({
        mpn_id: l.mpnId,
        organization_id: organizationId,
        name: l.name,
        country: l.country ?? null,
      })),
    )
    .execute();
}

/** Organizations by name with their locations; only `onlyId` when given. */
export async function organizationsWithLocations(db: Q, onlyId?: string) {
  let q = db.selectFrom('organizations').selectAll().orderBy('name');
  if (onlyId !== undefined) q = q.where('id', '=', onlyId);
  const orgs = await q.execute();
  const locations = orgs.length
    ? await db
        .selectFrom('partner_locations')
        .selectAll()
        .where(
          'organization_id',
          'in',
          orgs.map((o) => o.id),
        )
        .orderBy('mpn_id')
        .execute()
    : [];
  return orgs.map((o) =>
    presentOrganization(
      o,
      locations.filter((l) => l.organization_id === o.id),
    ),
  );
}

export async function insertUser(db: Q, row: Insertable<UsersTable>) {
  await db.insertInto('users').values(row).execute();
}

export const userById = (db: Q, id: string) =>
  db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();

export async function updateUserRow(db: Q, id: string, set: Updateable<UsersTable>) {
  await db.updateTable('users').set(set).where('id', '=', id).execute();
}

/** Users by email, of one organization when given. */
export function usersByEmail(db: Q, organizationId?: string) {
  let q = db.selectFrom('users').selectAll().orderBy('email');
  if (organizationId) q = q.where('organization_id', '=', organizationId);
  return q.execute();
}

export async function anyUser(db: Q): Promise<boolean> {
  return (await db.selectFrom('users').select('id').limit(1).executeTakeFirst()) !== undefined;
}

export async function insertToken(db: Q, row: Insertable<ApiTokensTable>) {
  await db.insertInto('api_tokens').values(row).execute();
}

export async function insertSession(db: Q, row: Insertable<SessionsTable>) {
  await db.insertInto('sessions').values(row).execute();
}

export async function deleteSession(db: Q, tokenHash: string) {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}

export async function anyOrganization(db: Q): Promise<boolean> {
  return (await db.selectFrom('organizations').select('id').limit(1).executeTakeFirst()) !== undefined;
}
