// Use cases for people: organizations, users, sign-in, the bootstrap admin.
import { randomUUID } from 'node:crypto';
import type { Deps } from '../deps.js';
import { partnerRoles, type Actor, type Role } from '../domain/actor.js';
import { DomainError, forbidden, notFound, validationFailed } from '../domain/errors.js';
import { json } from '../claims/claims-repository.js';
import { hashPassword, newSecret, sha256, verifyPassword } from './passwords.js';
import { organizationWithLocations, presentUser, userByEmail } from './people-repository.js';

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
  await deps.db.transaction().execute(async (trx) => {
    const taken = await trx
      .selectFrom('partner_locations')
      .select('mpn_id')
      .where(
        'mpn_id',
        'in',
        input.locations.map((l) => l.mpnId),
      )
      .execute();
    if (taken.length) {
      throw validationFailed(
        taken.map((t) => ({
          path: `locations.${input.locations.findIndex((l) => l.mpnId === t.mpn_id)}.mpnId`,
          message: 'belongs to another organization',
        })),
      );
    }
    await trx
      .insertInto('organizations')
      .values({ id, name: input.name, language: input.language ?? null, created_at: deps.clock.now() })
      .execute();
    await trx
      .insertInto('partner_locations')
      .values(
        input.locations.map((l) => ({
          mpn_id: l.mpnId,
          organization_id: id,
          name: l.name,
          country: l.country ?? null,
        })),
      )
      .execute();
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
  const taken = await deps.db
    .selectFrom('partner_locations')
    .select('mpn_id')
    .where('mpn_id', '=', loc.mpnId)
    .executeTakeFirst();
  if (taken) throw validationFailed([{ path: 'mpnId', message: 'is already a partner location' }]);
  await deps.db
    .insertInto('partner_locations')
    .values({
      mpn_id: loc.mpnId,
      organization_id: organizationId,
      name: loc.name,
      country: loc.country ?? null,
    })
    .execute();
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
  if (await userByEmail(deps.db, input.email))
    throw validationFailed([{ path: 'email', message: 'is already taken' }]);
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
  await deps.db.insertInto('users').values(row).execute();
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
  const user = await deps.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  if (!user) throw notFound('user');
  if (input.roles) checkRoles(input.roles, user.organization_id);
  await deps.db
    .updateTable('users')
    .set({
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.roles !== undefined ? { roles: json(input.roles) } : {}),
      ...(input.language !== undefined ? { language: input.language } : {}),
    })
    .where('id', '=', id)
    .execute();
  const after = await deps.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  return presentUser(after);
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
  await deps.db
    .insertInto('api_tokens')
    .values({ token_hash: sha256(token), user_id: user.id, created_at: deps.clock.now() })
    .execute();
  return { token, user: presentUser(user) };
}

export async function startSession(deps: Deps, email: string, password: string) {
  const user = await checkPassword(deps, email, password);
  const token = newSecret();
  const csrfToken = newSecret(18);
  const expiresAt = new Date(Date.now() + deps.config.CPOR_SESSION_HOURS * 3600_000);
  await deps.db
    .insertInto('sessions')
    .values({ token_hash: sha256(token), user_id: user.id, csrf_token: csrfToken, expires_at: expiresAt })
    .execute();
  return { token, csrfToken, expiresAt, user: presentUser(user) };
}

export async function endSession(deps: Deps, token: string) {
  await deps.db.deleteFrom('sessions').where('token_hash', '=', sha256(token)).execute();
}

/** On first start with no users: the platform admin from the settings, or a one-time password in the log. */
export async function bootstrapAdmin(deps: Deps, log: (msg: string) => void) {
  const any = await deps.db.selectFrom('users').select('id').limit(1).executeTakeFirst();
  if (any) return;
  const email = deps.config.CPOR_ADMIN_EMAIL ?? 'admin@cpor.localhost';
  const password = deps.config.CPOR_ADMIN_PASSWORD ?? newSecret(12);
  await createUser(deps, null, { email, name: 'Platform admin', password, roles: ['platform_admin'] });
  if (!deps.config.CPOR_ADMIN_PASSWORD) {
    log(
      `First start: platform admin ${email} created with the one-time password ${password} (change it, or set CPOR_ADMIN_EMAIL / CPOR_ADMIN_PASSWORD).`,
    );
  }
}
