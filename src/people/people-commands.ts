// Use cases for people: organizations, users, sign-in, the bootstrap admin.
import { randomUUID } from 'node:crypto';
import type { Deps } from '../deps.js';
import { json } from '../db/json.js';
import { inTransaction } from '../db/transaction.js';
import { partnerRoles, systemActor, type Actor, type Role } from '../domain/actor.js';
import { DomainError, forbidden, notFound, validationFailed } from '../domain/errors.js';
import { hashPassword, newSecret, sha256, verifyPassword } from './passwords.js';
import {
  anyUser,
  deleteSession,
  insertLocations,
  insertOrganization,
  insertSession,
  insertToken,
  insertUser,
  organizationWithLocations,
  presentUser,
  takenMpnIds,
  updateUserRow,
  userByEmail,
  userById,
} from './people-repository.js';

export function requirePlatformAdmin(actor: Actor) {
  if (!actor.roles.includes('platform_admin')) throw forbidden('Only platform admins manage this.');
}

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
    return { id };
  });
  return (await organizationWithLocations(deps.db, id))!;
}

export async function addLocation(
  deps: Deps,
  actor: Actor,
  organizationId: string,
  loc: OrganizationInput['locations'][number],
) {
  requirePlatformAdmin(actor);
  const org = await organizationWithLocations(deps.db, organizationId);
  if (!org) throw notFound('organization');
  await inTransaction(deps.db, actor, async (tx) => {
    if ((await takenMpnIds(tx, [loc.mpnId])).length)
      throw validationFailed([{ path: 'mpnId', message: 'is already a partner location' }]);
    await insertLocations(tx, organizationId, [loc]);
  });
  return (await organizationWithLocations(deps.db, organizationId))!;
}

export interface UserInput {
  email: string;
  name: string;
  password: string;
  organizationId?: string | null;
  roles: Role[];
  language?: string | null;
}

export function checkRoles(roles: Role[], organizationId: string | null | undefined) {
  const partner = roles.filter((r) => (partnerRoles as readonly string[]).includes(r));
  const staff = roles.filter((r) => !(partnerRoles as readonly string[]).includes(r));
  if (partner.length && staff.length) {
    throw validationFailed([
      { path: 'roles', message: 'partner roles and reviewer / platform_admin do not mix' },
    ]);
  }
  if (partner.length && !organizationId) {
    throw validationFailed([{ path: 'organizationId', message: 'is required for partner users' }]);
  }
  if (staff.length && organizationId) {
    throw validationFailed([
      { path: 'organizationId', message: 'must be empty for reviewers and platform admins' },
    ]);
  }
}

export async function createUser(deps: Deps, actor: Actor | null, input: UserInput) {
  if (actor) requirePlatformAdmin(actor);
  checkRoles(input.roles, input.organizationId);
  if (input.organizationId && !(await organizationWithLocations(deps.db, input.organizationId))) {
    throw validationFailed([{ path: 'organizationId', message: 'is not an organization' }]);
  }
  const row = {
    id: randomUUID(),
    email: input.email.toLowerCase(),
    name: input.name,
    password_hash: await hashPassword(input.password),
    organization_id: input.organizationId ?? null,
    roles: json([...new Set(input.roles)]),
    language: input.language ?? null,
    created_at: deps.clock.now(),
  };
  await inTransaction(deps.db, actor ?? systemActor, async (tx) => {
    if (await userByEmail(tx, input.email))
      throw validationFailed([{ path: 'email', message: 'is already taken' }]);
    await insertUser(tx, row);
    return row;
  });
  return presentUser({ ...row, roles: [...new Set(input.roles)] });
}

export async function updateUser(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { name?: string; roles?: Role[]; language?: string | null },
) {
  const self = actor.id === id;
  if (!self || input.roles) requirePlatformAdmin(actor);
  const user = await userById(deps.db, id);
  if (!user) throw notFound('user');
  if (input.roles) checkRoles(input.roles, user.organization_id);
  await updateUserRow(deps.db, id, {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.roles !== undefined ? { roles: json(input.roles) } : {}),
    ...(input.language !== undefined ? { language: input.language } : {}),
  });
  return presentUser((await userById(deps.db, id))!);
}

async function checkPassword(deps: Deps, email: string, password: string) {
  const user = await userByEmail(deps.db, email);
  // Verify against a dummy hash when the user is unknown, so timing does not tell.
  const ok = await verifyPassword(user?.password_hash ?? (await dummyHash()), password);
  if (!user || !ok) throw new DomainError('unauthenticated', 'Wrong email or password.');
  return user;
}
let dummy: Promise<string> | undefined;
const dummyHash = () => (dummy ??= hashPassword(newSecret()));

export async function issueToken(deps: Deps, email: string, password: string) {
  const user = await checkPassword(deps, email, password);
  const token = newSecret();
  await insertToken(deps.db, { token_hash: sha256(token), user_id: user.id, created_at: deps.clock.now() });
  return { token, user: presentUser(user) };
}

export async function startSession(deps: Deps, email: string, password: string) {
  const user = await checkPassword(deps, email, password);
  const token = newSecret();
  const csrfToken = newSecret(18);
  const expiresAt = new Date(Date.now() + deps.config.CPOR_SESSION_HOURS * 3600_000);
  await insertSession(deps.db, {
    token_hash: sha256(token),
    user_id: user.id,
    csrf_token: csrfToken,
    expires_at: expiresAt,
  });
  return { token, csrfToken, expiresAt, user: presentUser(user) };
}

export async function endSession(deps: Deps, token: string) {
  await deleteSession(deps.db, sha256(token));
}

/** On first start with no users: the platform admin from the settings, or a one-time password in the log. */
export async function bootstrapAdmin(deps: Deps, log: (msg: string) => void) {
  if (await anyUser(deps.db)) return;
  const email = deps.config.CPOR_ADMIN_EMAIL ?? 'admin@cpor.localhost';
  const password = deps.config.CPOR_ADMIN_PASSWORD ?? newSecret(12);
  await createUser(deps, null, { email, name: 'Platform admin', password, roles: ['platform_admin'] });
  if (!deps.config.CPOR_ADMIN_PASSWORD) {
    log(
      `First start: platform admin ${email} created with the one-time password ${password} (change it, or set CPOR_ADMIN_EMAIL / CPOR_ADMIN_PASSWORD).`,
    );
  }
}

/** `cpor create-admin`: a platform admin made by whoever runs the server's machine. */
export async function createPlatformAdmin(
  deps: Deps,
  input: { email: string; name: string; password: string },
) {
  if (input.password.length < 8)
    throw validationFailed([{ path: 'password', message: 'must be at least 8 characters' }]);
  return createUser(deps, null, { ...input, roles: ['platform_admin'] });
}
