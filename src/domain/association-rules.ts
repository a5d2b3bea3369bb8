// Rules about the associations a claim would create (R-UNIQ-2, R-UNIQ-6): which associations
// in force collide with a claimed product, and a partner never claiming what it holds. Pure.
import type { ClaimState } from './claim.js';
import { DomainError, type FieldError } from './errors.js';

/** An association in force, as these rules read it. */
export interface HeldAssociation {
  claimId: string | null;
  organizationId: string;
  productId: string;
  subscriptionId: string | null;
  /** Imported by the platform admin (R-UNIQ-4), not created by a claim. */
  legacy: boolean;
}

/**
 * R-UNIQ-2: an association in force collides with a claimed product when it is the same
 * product of the tenant (the caller has matched the tenant), unless both name different
 * subscriptions. One without a subscription ID holds the whole product.
 */
export function collides(
  held: Pick<HeldAssociation, 'productId' | 'subscriptionId'>,
  productId: string,
  subscriptionId: string | null,
): boolean {
  if (held.productId !== productId) return false;
  return held.subscriptionId === null || subscriptionId === null || held.subscriptionId === subscriptionId;
}

/**
 * R-UNIQ-6: the claim's own organization already holds this (pending consent or final). A
 * legacy association of its own is not "held" here: re-associating it through a claim is
 * the way R-UNIQ-4 keeps it (the approval replaces it). The claim's own associations do not
 * count either (an overturned dispute re-creates them).
 */
export function heldByClaimant(c: Pick<ClaimState, 'id' | 'organizationId'>, held: HeldAssociation): boolean {
  return held.organizationId === c.organizationId && !held.legacy && held.claimId !== c.id;
}

/**
 * R-UNIQ-6 at submit: one field error per claimed product the organization already holds.
 * `subscriptionOf(i)` is the subscription product i will hold (R-FIELD-3), null for a workload.
 */
export function alreadyHeldErrors(
  c: Pick<ClaimState, 'id' | 'organizationId' | 'products'>,
  held: HeldAssociation[],
  subscriptionOf: (i: number) => string | null,
): FieldError[] {
  return c.products.flatMap((p, i) =>
    held.some((h) => heldByClaimant(c, h) && collides(h, p.productId, subscriptionOf(i)))
      ? [
          {
            path: `products.${i}`,
            message: 'is already associated with your organization',
            code: 'already_yours' as const,
          },
        ]
      : [],
  );
}

export function alreadyHeldByYou(errors: FieldError[]): DomainError {
  return new DomainError(
    'already_associated',
    'Your organization already holds this workload or subscription: a partner never claims what it holds (R-UNIQ-6).',
    errors,
  );
}
