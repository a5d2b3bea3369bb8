// Typed queries for organizations, partner locations, users, tokens and sessions.
import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type {
  ApiTokensTable,
  OrganizationsTable,
  PartnerLocationsTable,
  SessionsTable,
  UsersTable,
} from '../db/schema.js';
import type { Queryable as Q } from '../db/transaction.js';
import type { Actor, Role } from '../domain/actor.js';
import type { Language } from '../domain/languages.js';
import type { RowsAfter } from '../lib/cursor.js';

/** What a bearer token or a session cookie stands for, when it is still alive. */
export interface Credential {
  actor: Actor;
  mustChangePassword: boolean;
}

/** The user behind a live credential, as the lookup functions of migration 0014b return it. */
interface CredentialUser {
  id: string;
  name: string;
  roles: string[];
  organization_id: string | null;
  must_change_password: boolean;
}

/**
 * The caller of a bearer token. The lookup itself refuses a revoked or expired token, one of
 * an older credential epoch (the password changed since) and a disabled user. It runs before
 * anyone is known, and users are under row-level security: the SECURITY DEFINER function
 * `cpor_actor_by_token` returns that one user, to whoever holds the token (migration 0014b).
 */
export async function actorByTokenHash(db: Q, tokenHash: string, now: Date) {
  const { rows } = await sql<CredentialUser & { token_id: string; last_used_at: Date | null }>`
    SELECT * FROM cpor_actor_by_token(${tokenHash}, ${now})`.execute(db);
  const row = rows[0];
  return row ? { ...toCredential(row), tokenId: row.token_id, lastUsedAt: row.last_used_at } : null;
}

/**
 * lastUsedAt, written at most once a minute per token (not a write on every request); by the
 * function `cpor_touch_token`, since the lookup's scope sees no token row (migration 0014c).
 */
export async function touchToken(db: Q, id: string, now: Date) {
  await sql`SELECT cpor_touch_token(${id}, ${now})`.execute(db);
}

/** The caller of a session cookie: the same refusals as for tokens (`cpor_actor_by_session`). */
export async function actorBySession(db: Q, tokenHash: string, now: Date) {
  const { rows } = await sql<CredentialUser & { csrf_token: string }>`
    SELECT * FROM cpor_actor_by_session(${tokenHash}, ${now})`.execute(db);
  const row = rows[0];
  return row ? { ...toCredential(row), csrfToken: row.csrf_token } : null;
}

/**
 * The user of an email, to check a password at sign-in: before anyone is known, through the
 * SECURITY DEFINER function `cpor_sign_in_user` (migration 0014b), one row at most.
 */
export async function signInUser(db: Q, email: string) {
  const { rows } = await sql<Selectable<UsersTable>>`SELECT * FROM cpor_sign_in_user(${email})`.execute(db);
  return rows[0];
}

function toCredential(row: CredentialUser): Credential {
  return { actor: toActor(row), mustChangePassword: row.must_change_password };
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
  org: { id: string; name: string; language: string | null; created_at: Date; disabled_at: Date | null },
  locations: { mpn_id: string; name: string; country: string | null; disabled_at: Date | null }[],
) {
  return {
    id: org.id,
    name: org.name,
    // The column takes only these (the routes' schemas); typed here for the answer.
    language: org.language as Language | null,
    createdAt: org.created_at.toISOString(),
    disabled: org.disabled_at !== null,
    locations: locations.map((l) => ({
      mpnId: l.mpn_id,
      name: l.name,
      country: l.country,
      disabled: l.disabled_at !== null,
    })),
  };
}

/** The organization's row, locked until the transaction ends (a change of it). */
export const lockOrganization = (db: Q, id: string) =>
  db.selectFrom('organizations').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();

export async function updateOrganizationRow(db: Q, id: string, set: Updateable<OrganizationsTable>) {
  await db.updateTable('organizations').set(set).where('id', '=', id).execute();
}

/** The organization's location, locked until the transaction ends; undefined when it has none such. */
export const lockLocation = (db: Q, organizationId: string, mpnId: string) =>
  db
    .selectFrom('partner_locations')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('mpn_id', '=', mpnId)
    .forUpdate()
    .executeTakeFirst();

export async function updateLocationRow(db: Q, mpnId: string, set: Updateable<PartnerLocationsTable>) {
  await db.updateTable('partner_locations').set(set).where('mpn_id', '=', mpnId).execute();
}

/** The ids of the organization's users. */
export async function userIdsOf(db: Q, organizationId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('organization_id', '=', organizationId)
    .execute();
  return rows.map((r) => r.id);
}

/** Whether the organization is disabled (its users cannot sign in, issue 13 point 10). */
export async function organizationDisabled(db: Q, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('organizations')
    .select('disabled_at')
    .where('id', '=', id)
    .executeTakeFirst();
  return Boolean(row?.disabled_at);
}

export function presentUser(u: {
  id: string;
  email: string;
  name: string;
  roles: string[];
  organization_id: string | null;
  language: string | null;
  disabled_at?: Date | null;
  must_change_password?: boolean;
}) {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    // The columns take only these (the routes' schemas); typed here for the answer.
    roles: u.roles as Role[],
    organizationId: u.organization_id,
    language: u.language as Language | null,
    disabled: Boolean(u.disabled_at),
    mustChangePassword: u.must_change_password ?? false,
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

/** Organizations by name with their locations; only `onlyId` when given; a page when asked. */
export async function organizationsWithLocations(db: Q, onlyId?: string, page?: RowsAfter) {
  let q = db.selectFrom('organizations').selectAll().orderBy('name').orderBy('id');
  if (onlyId !== undefined) q = q.where('id', '=', onlyId);
  const after = page?.after;
  if (after) q = q.where((eb) => eb(eb.refTuple('name', 'id'), '>', eb.tuple(after.k, after.id)));
  if (page) q = q.limit(page.limit);
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

/** Users by email, of one organization when given, a page at a time. */
export function usersByEmail(db: Q, organizationId: string | undefined, page: RowsAfter) {
  let q = db.selectFrom('users').selectAll().orderBy('email').orderBy('id').limit(page.limit);
  if (organizationId) q = q.where('organization_id', '=', organizationId);
  const after = page.after;
  if (after) q = q.where((eb) => eb(eb.refTuple('email', 'id'), '>', eb.tuple(after.k, after.id)));
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

/** Ends the session of a cookie (`cpor_end_session`: signing out sees no session row, 0014c). */
export async function deleteSession(db: Q, tokenHash: string) {
  await sql`SELECT cpor_end_session(${tokenHash})`.execute(db);
}

/** The user's live tokens, newest first; `after`: the id of the last token of the previous page. */
export function liveTokensOf(db: Q, userId: string, now: Date, limit: number, after?: string) {
  let q = db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select([
      'api_tokens.id',
      'api_tokens.name',
      'api_tokens.created_at',
      'api_tokens.last_used_at',
      'api_tokens.expires_at',
    ])
    .where('api_tokens.user_id', '=', userId)
    .where('api_tokens.revoked_at', 'is', null)
    .where('api_tokens.expires_at', '>', now)
    .whereRef('api_tokens.credential_epoch', '=', 'users.credential_epoch')
    .orderBy('api_tokens.created_at', 'desc')
    .orderBy('api_tokens.id', 'desc')
    .limit(limit + 1);
  if (after !== undefined) {
    q = q.where(({ eb, refTuple, selectFrom }) =>
      eb(
        refTuple('api_tokens.created_at', 'api_tokens.id'),
        '<',
        selectFrom('api_tokens as c')
          .select(['c.created_at', 'c.id'])
          .where('c.id', '=', after)
          .$asTuple('created_at', 'id'),
      ),
    );
  }
  return q.execute();
}

export const tokenById = (db: Q, id: string) =>
  db.selectFrom('api_tokens').select(['id', 'user_id']).where('id', '=', id).executeTakeFirst();

/** Revokes one token of this user; false when the user has no such live token. */
export async function revokeTokenRow(db: Q, userId: string, id: string, now: Date): Promise<boolean> {
  const r = await db
    .updateTable('api_tokens')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/**
 * Ends every credential of a user: a new credential epoch (a session or token of an older one
 * finds no user any more, even one signed in with the old password while this ran), every
 * token revoked and every session deleted, but for the one kept (the caller's own). Returns the
 * new epoch, which the kept credential is moved to.
 */
export async function endCredentials(
  db: Q,
  userId: string,
  now: Date,
  keep?: { tokenId?: string; sessionHash?: string },
): Promise<number> {
  const { credential_epoch: epoch } = await db
    .updateTable('users')
    .set((eb) => ({ credential_epoch: eb('credential_epoch', '+', 1) }))
    .where('id', '=', userId)
    .returning('credential_epoch')
    .executeTakeFirstOrThrow();
  let tokens = db
    .updateTable('api_tokens')
    .set({ revoked_at: now })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null);
  if (keep?.tokenId) tokens = tokens.where('id', '<>', keep.tokenId);
  await tokens.execute();
  let sessions = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keep?.sessionHash) sessions = sessions.where('token_hash', '<>', keep.sessionHash);
  await sessions.execute();
  if (keep?.tokenId)
    await db
      .updateTable('api_tokens')
      .set({ credential_epoch: epoch })
      .where('id', '=', keep.tokenId)
      .execute();
  if (keep?.sessionHash)
    await db
      .updateTable('sessions')
      .set({ credential_epoch: epoch })
      .where('token_hash', '=', keep.sessionHash)
      .execute();
  return epoch;
}

/**
 * Serializes every change that could leave no enabled platform admin (disable, demote), then
 * counts those left. Both databases hold the lock until the transaction ends.
 */
export async function lockAndCountPlatformAdmins(db: Q): Promise<number> {
  await sql`SELECT pg_advisory_xact_lock(12, 0)`.execute(db);
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where(sql<boolean>`roles @> '["platform_admin"]'::jsonb`)
    .where('disabled_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function anyOrganization(db: Q): Promise<boolean> {
  return (await db.selectFrom('organizations').select('id').limit(1).executeTakeFirst()) !== undefined;
}

/** The reviewers who receive mail: enabled users with the reviewer role (R-TIME-6). */
export async function enabledReviewers(db: Q) {
  return db
    .selectFrom('users')
    .select(['id', 'name', 'email', 'language'])
    .where(sql<boolean>`roles @> '["reviewer"]'::jsonb`)
    .where('disabled_at', 'is', null)
    .orderBy('email')
    .execute();
}
