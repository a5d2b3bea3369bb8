// Use cases for people: organizations, users, sign-in, the bootstrap admin.
import { randomUUID } from 'node:crypto';
import type { Deps } from '../deps.js';
import { json } from '../db/json.js';
import { inTransaction, withCaller } from '../db/transaction.js';
import { partnerRoles, systemActor, type Actor, type Role } from '../domain/actor.js';
import { DomainError, forbidden, notFound, validationFailed } from '../domain/errors.js';
import { appendAudit } from '../audit/audit-repository.js';
import { changesOf, updateAction, type AuditEntry } from '../domain/admin-audit.js';
import { checkNewPassword } from './credentials-commands.js';
import { hashPassword, newSecret } from './passwords.js';
import {
  anyUser,
  endCredentials,
  insertLocations,
  insertOrganization,
  insertUser,
  lockAndCountPlatformAdmins,
  lockLocation,
  lockOrganization,
  organizationWithLocations,
  presentUser,
  takenMpnIds,
  updateLocationRow,
  updateOrganizationRow,
  updateUserRow,
  userByEmail,
  userById,
  userIdsOf,
} from './people-repository.js';

export function requirePlatformAdmin(actor: Actor) {
  if (!actor.roles.includes('platform_admin')) throw forbidden('Only platform admins manage this.');
}

const organizationFields = ['name', 'language', 'disabled'] as const;
const locationFields = ['organizationId', 'name', 'country', 'disabled'] as const;
const userFields = [
  'email',
  'name',
  'organizationId',
  'roles',
  'language',
  'disabled',
  'mustChangePassword',
] as const;

/** The admin audit's entry of new partner locations (migration 0019). */
const locationsCreated = (organizationId: string, locations: OrganizationInput['locations']): AuditEntry[] =>
  locations.map((l) => ({
    entity: 'location',
    entityId: l.mpnId,
    action: 'created',
    changes: changesOf(
      null,
      { organizationId, name: l.name, country: l.country ?? null, disabled: false },
      locationFields,
    ),
  }));

export interface OrganizationInput {
  name: string;
  language?: string | null;
  locations: { mpnId: string; name: string; country?: string | null }[];
}

export async function createOrganization(deps: Deps, actor: Actor, input: OrganizationInput) {
  requirePlatformAdmin(actor);
  const id = randomUUID();
  await inTransaction(deps.db, actor, async (tx) => {
    const taken = await takenMpnIds(
      tx,
      input.locations.map((l) => l.mpnId),
    );
    if (taken.length) {
      throw validationFailed(
        taken.map((t) => ({
          path: `locations.${input.locations.findIndex((l) => l.mpnId === t)}.mpnId`,
          message: 'belongs to another organization',
          code: 'taken',
        })),
      );
    }
    await insertOrganization(tx, {
      id,
      name: input.name,
      language: input.language ?? null,
      createdAt: deps.clock.now(),
    });
    await insertLocations(tx, id, input.locations);
    await appendAudit(tx, actor, deps.clock.now(), [
      {
        entity: 'organization',
        entityId: id,
        action: 'created',
        changes: changesOf(
          null,
          { name: input.name, language: input.language ?? null, disabled: false },
          organizationFields,
        ),
      },
      ...locationsCreated(id, input.locations),
    ]);
    return { id };
  });
  return (await withCaller(deps.db, actor, (q) => organizationWithLocations(q, id)))!;
}

export async function addLocation(
  deps: Deps,
  actor: Actor,
  organizationId: string,
  loc: OrganizationInput['locations'][number],
) {
  requirePlatformAdmin(actor);
  const org = await withCaller(deps.db, actor, (q) => organizationWithLocations(q, organizationId));
  if (!org) throw notFound('organization');
  await inTransaction(deps.db, actor, async (tx) => {
    if ((await takenMpnIds(tx, [loc.mpnId])).length)
      throw validationFailed([{ path: 'mpnId', message: 'is already a partner location', code: 'taken' }]);
    await insertLocations(tx, organizationId, [loc]);
    await appendAudit(tx, actor, deps.clock.now(), locationsCreated(organizationId, [loc]));
    // The Idempotency-Key (if any) records what this wrote: the organization's id.
    return { id: organizationId };
  });
  return (await withCaller(deps.db, actor, (q) => organizationWithLocations(q, organizationId)))!;
}

export interface OrganizationChange {
  name?: string;
  language?: string | null;
  /** Issue 13 point 10: its users cannot sign in (every session and token ends) nor make claims. */
  disabled?: boolean;
}

/** Platform admin: renames, or disables / enables, an organization; nothing is deleted. */
export async function updateOrganization(deps: Deps, actor: Actor, id: string, input: OrganizationChange) {
  requirePlatformAdmin(actor);
  const now = deps.clock.now();
  await inTransaction(deps.db, actor, async (tx) => {
    const org = await lockOrganization(tx, id);
    if (!org) throw notFound('organization');
    await updateOrganizationRow(tx, id, {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.language !== undefined ? { language: input.language } : {}),
      ...(input.disabled !== undefined
        ? { disabled_at: input.disabled ? (org.disabled_at ?? now) : null }
        : {}),
    });
    const before = { name: org.name, language: org.language, disabled: org.disabled_at !== null };
    const changes = changesOf(before, { ...before, ...input }, organizationFields);
    await appendAudit(tx, actor, now, [
      { entity: 'organization', entityId: id, action: updateAction(changes), changes },
    ]);
    // Disabled: its users' sessions and tokens stop at once, as a disabled user's do; they
    // stay ended when the organization is enabled again (its users sign in anew).
    if (input.disabled === true && !org.disabled_at)
      for (const userId of await userIdsOf(tx, id)) await endCredentials(tx, userId, now);
  });
  return (await withCaller(deps.db, actor, (q) => organizationWithLocations(q, id)))!;
}

export interface LocationChange {
  name?: string;
  country?: string | null;
  /** Issue 13 point 10: it cannot be chosen for a claim any more; claims naming it stay. */
  disabled?: boolean;
}

/** Platform admin: renames, moves or disables / enables a partner location of the organization. */
export async function updateLocation(
  deps: Deps,
  actor: Actor,
  organizationId: string,
  mpnId: string,
  input: LocationChange,
) {
  requirePlatformAdmin(actor);
  const now = deps.clock.now();
  await inTransaction(deps.db, actor, async (tx) => {
    const location = await lockLocation(tx, organizationId, mpnId);
    if (!location) throw notFound('location');
    await updateLocationRow(tx, mpnId, {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.country !== undefined ? { country: input.country } : {}),
      ...(input.disabled !== undefined
        ? { disabled_at: input.disabled ? (location.disabled_at ?? now) : null }
        : {}),
    });
    const before = {
      organizationId,
      name: location.name,
      country: location.country,
      disabled: location.disabled_at !== null,
    };
    const changes = changesOf(before, { ...before, ...input }, locationFields);
    await appendAudit(tx, actor, now, [
      { entity: 'location', entityId: mpnId, action: updateAction(changes), changes },
    ]);
  });
  return (await withCaller(deps.db, actor, (q) => organizationWithLocations(q, organizationId)))!;
}

export interface UserInput {
  email: string;
  name: string;
  password: string;
  organizationId?: string | null;
  roles: Role[];
  language?: string | null;
  /** The password must be changed at the first sign-in (api.md). */
  mustChangePassword?: boolean;
}

export function checkRoles(roles: Role[], organizationId: string | null | undefined) {
  const partner = roles.filter((r) => (partnerRoles as readonly string[]).includes(r));
  const staff = roles.filter((r) => !(partnerRoles as readonly string[]).includes(r));
  if (partner.length && staff.length) {
    throw validationFailed([
      {
        path: 'roles',
        message: 'partner roles and reviewer / platform_admin do not mix',
        code: 'roles_do_not_mix',
      },
    ]);
  }
  if (partner.length && !organizationId) {
    throw validationFailed([
      { path: 'organizationId', message: 'is required for partner users', code: 'required' },
    ]);
  }
  if (staff.length && organizationId) {
    throw validationFailed([
      {
        path: 'organizationId',
        message: 'must be empty for reviewers and platform admins',
        code: 'must_be_empty',
      },
    ]);
  }
}

export async function createUser(deps: Deps, actor: Actor | null, input: UserInput) {
  if (actor) requirePlatformAdmin(actor);
  checkRoles(input.roles, input.organizationId);
  const organizationId = input.organizationId;
  if (
    organizationId &&
    !(await withCaller(deps.db, actor ?? systemActor, (q) => organizationWithLocations(q, organizationId)))
  ) {
    throw validationFailed([
      { path: 'organizationId', message: 'is not an organization', code: 'not_found' },
    ]);
  }
  checkNewPassword(input.password, { email: input.email });
  const row = {
    id: randomUUID(),
    email: input.email.toLowerCase(),
    name: input.name,
    password_hash: await hashPassword(input.password),
    organization_id: input.organizationId ?? null,
    roles: json([...new Set(input.roles)]),
    language: input.language ?? null,
    created_at: deps.clock.now(),
    must_change_password: input.mustChangePassword ?? false,
  };
  await inTransaction(deps.db, actor ?? systemActor, async (tx) => {
    if (await userByEmail(tx, input.email))
      throw validationFailed([{ path: 'email', message: 'is already taken', code: 'taken' }]);
    await insertUser(tx, row);
    await appendAudit(tx, actor ?? systemActor, row.created_at, [
      {
        entity: 'user',
        entityId: row.id,
        action: 'created',
        changes: changesOf(
          null,
          {
            email: row.email,
            name: row.name,
            organizationId: row.organization_id,
            roles: [...new Set(input.roles)],
            language: row.language,
            disabled: false,
            mustChangePassword: row.must_change_password,
          },
          userFields,
        ),
      },
    ]);
    return row;
  });
  return presentUser({ ...row, roles: [...new Set(input.roles)] });
}

export interface UserChange {
  name?: string;
  roles?: Role[];
  language?: string | null;
  /** Platform admin: a disabled user's sessions and tokens stop at once; it cannot sign in. */
  disabled?: boolean;
  /** Platform admin: a new password; every session and token of the user ends. */
  password?: string;
  mustChangePassword?: boolean;
}

export async function updateUser(deps: Deps, actor: Actor, id: string, input: UserChange) {
  const self = actor.id === id;
  const adminOnly =
    input.roles !== undefined ||
    input.disabled !== undefined ||
    input.password !== undefined ||
    input.mustChangePassword !== undefined;
  if (!self || adminOnly) requirePlatformAdmin(actor);
  const user = await withCaller(deps.db, actor, (q) => userById(q, id));
  if (!user) throw notFound('user');
  if (input.roles) checkRoles(input.roles, user.organization_id);
  if (input.password !== undefined) checkNewPassword(input.password, { email: user.email });
  const hash = input.password !== undefined ? await hashPassword(input.password) : undefined;
  const now = deps.clock.now();
  await inTransaction(deps.db, actor, async (tx) => {
    const isAdmin = (roles: readonly string[]) => roles.includes('platform_admin');
    const wasActiveAdmin = isAdmin(user.roles) && !user.disabled_at;
    const staysActiveAdmin =
      isAdmin(input.roles ?? user.roles) && !(input.disabled ?? Boolean(user.disabled_at));
    // Never no platform admin left: counted under a lock, so two admins disabling each other
    // at once cannot both succeed.
    if (wasActiveAdmin && !staysActiveAdmin && (await lockAndCountPlatformAdmins(tx)) <= 1) {
      throw new DomainError(
        'last_platform_admin',
        'This is the last enabled platform admin: it can be neither disabled nor demoted.',
      );
    }
    await updateUserRow(tx, id, {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.roles !== undefined ? { roles: json(input.roles) } : {}),
      ...(input.language !== undefined ? { language: input.language } : {}),
      ...(input.disabled !== undefined
        ? { disabled_at: input.disabled ? (user.disabled_at ?? now) : null }
        : {}),
      ...(hash !== undefined ? { password_hash: hash, password_changed_at: now } : {}),
      ...(input.mustChangePassword !== undefined ? { must_change_password: input.mustChangePassword } : {}),
    });
    // Disabled, or given a new password: every credential ends (and stays ended if the user is
    // enabled again). A change of roles takes effect on the next request by itself.
    if (input.disabled === true || hash !== undefined) await endCredentials(tx, id, now);
    // The audit names a new password, never its value nor its hash.
    const before = {
      email: user.email,
      name: user.name,
      organizationId: user.organization_id,
      roles: user.roles,
      language: user.language,
      disabled: user.disabled_at !== null,
      mustChangePassword: user.must_change_password,
    };
    // A user's own language is its preference (the language picker sets it), not an
    // administration change: it is left out of its own entries.
    const fields = self ? userFields.filter((f) => f !== 'language') : userFields;
    const changes = changesOf(before, { ...before, ...input }, fields);
    await appendAudit(tx, actor, now, [
      { entity: 'user', entityId: id, action: updateAction(changes), changes },
      ...(hash !== undefined
        ? [{ entity: 'user', entityId: id, action: 'password_reset', changes: {} } as const]
        : []),
    ]);
  });
  return presentUser((await withCaller(deps.db, actor, (q) => userById(q, id)))!);
}

/** On first start with no users: the platform admin from the settings, or a one-time password in the log. */
export async function bootstrapAdmin(deps: Deps, log: (msg: string) => void) {
  if (await withCaller(deps.db, systemActor, (q) => anyUser(q))) return;
  const email = deps.config.CPOR_ADMIN_EMAIL ?? 'admin@cpor.localhost';
  const password = deps.config.CPOR_ADMIN_PASSWORD ?? newSecret(12);
  // A password printed to the log must be changed at the first sign-in.
  await createUser(deps, null, {
    email,
    name: 'Platform admin',
    password,
    roles: ['platform_admin'],
    mustChangePassword: !deps.config.CPOR_ADMIN_PASSWORD,
  });
  if (!deps.config.CPOR_ADMIN_PASSWORD) {
    log(
      `First start: platform admin ${email} created with the one-time password ${password} (change it, or set CPOR_ADMIN_EMAIL / CPOR_ADMIN_PASSWORD).`,
    );
  }
}

/** `cpor create-admin`: a platform admin made by whoever runs the server's machine. */
export async function createPlatformAdmin(
  deps: Deps,
  input: { email: string; name: string; password: string; mustChangePassword?: boolean },
) {
  return createUser(deps, null, { ...input, roles: ['platform_admin'] });
}
