// Who is acting. Roles come from domain.md "Who takes part" (R-ROLE-1).
import { reviewQueueStatuses } from './claim.js';
export const partnerRoles = ['global_admin', 'billing_admin', 'incentives_admin', 'reader'] as const;
export const staffRoles = ['reviewer', 'platform_admin'] as const;
export const allRoles = [...partnerRoles, ...staffRoles] as const;
export type Role = (typeof allRoles)[number];

/** The partner roles that may create, edit, submit, withdraw and dispute (R-ROLE-1). */
export const claimWriterRoles: readonly Role[] = ['global_admin', 'billing_admin', 'incentives_admin'];

/** What a user may do across the product: the web UI's navigation follows it (GET /me). */
export function userAbilities(roles: readonly Role[], organizationId: string | null) {
  const partner = organizationId !== null && roles.some((r) => (partnerRoles as readonly Role[]).includes(r));
  return {
    partner,
    createClaims: partner && roles.some((r) => claimWriterRoles.includes(r)),
    review: roles.includes('reviewer'),
    reviewQueue: roles.includes('reviewer') ? [...reviewQueueStatuses] : [],
    administer: roles.includes('platform_admin'),
  };
}

export interface Actor {
  kind: 'user' | 'customer' | 'system';
  id: string | null;
  name: string;
  roles: Role[];
  organizationId: string | null;
}

export const systemActor: Actor = { kind: 'system', id: null, name: 'cpor', roles: [], organizationId: null };

export function customerActor(name: string): Actor {
  return { kind: 'customer', id: null, name, roles: [], organizationId: null };
}

/** The part an actor plays towards one claim; this is what history records as "role". */
export type Part =
  | 'partner_writer'
  | 'partner_reader'
  | 'other_partner'
  | 'reviewer'
  | 'platform_admin'
  | 'customer'
  | 'system';

export function partOf(actor: Actor, claimOrganizationId: string): Part {
  if (actor.kind === 'system') return 'system';
  if (actor.kind === 'customer') return 'customer';
  if (actor.roles.includes('reviewer')) return 'reviewer';
  if (actor.roles.includes('platform_admin')) return 'platform_admin';
  if (actor.organizationId !== claimOrganizationId) return 'other_partner';
  return actor.roles.some((r) => claimWriterRoles.includes(r)) ? 'partner_writer' : 'partner_reader';
}

/** The role written into history: the actor's most powerful role, or customer / system. */
export function roleLabel(actor: Actor): string {
  if (actor.kind !== 'user') return actor.kind;
  for (const r of [
    'platform_admin',
    'reviewer',
    'global_admin',
    'billing_admin',
    'incentives_admin',
    'reader',
  ] as const) {
    if (actor.roles.includes(r)) return r;
  }
  return 'user';
}
