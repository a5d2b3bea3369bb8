// The claim fields a create or a PATCH carries, and how they apply to a claim (pure).
import { canonicalJson } from '../../lib/canonical-json.js';
import {
  claimFields,
  type Activity,
  type ClaimState,
  type Contact,
  type Revenue,
  type SolutionArea,
} from '../../domain/claim.js';

/** The claim fields as the API names them; every one optional (drafts may be incomplete). */
export interface ClaimInput {
  name?: string | null;
  mpnId?: string | null;
  customer?: { domain?: string | null; tenantId?: string | null } | null;
  solutionArea?: SolutionArea | null;
  activity?: Activity | null;
  products?: { productId: string; subscriptionId?: string | null }[];
  customerContact?: Contact | null;
  technicalContact?: Contact | null;
  partnerContact?: Contact | null;
  revenue?: Revenue | null;
}

export function applyInput(c: ClaimState, input: ClaimInput): ClaimState {
  const next = { ...c };
  if (input.name !== undefined) next.name = input.name;
  if (input.mpnId !== undefined) next.mpnId = input.mpnId;
  if (input.customer !== undefined) {
    next.domain =
      input.customer?.domain !== undefined
        ? input.customer.domain
        : input.customer === null
          ? null
          : c.domain;
    next.tenantId =
      input.customer?.tenantId !== undefined
        ? input.customer.tenantId
        : input.customer === null
          ? null
          : c.tenantId;
    if (next.tenantId) next.tenantId = next.tenantId.toLowerCase();
    if (next.domain) next.domain = next.domain.toLowerCase();
  }
  if (input.solutionArea !== undefined) next.solutionArea = input.solutionArea;
  if (input.activity !== undefined) next.activity = input.activity;
  if (input.products !== undefined) {
    next.products = input.products.map((p) => ({
      productId: p.productId,
      subscriptionId: p.subscriptionId ?? null,
    }));
  }
  if (input.customerContact !== undefined) next.customerContact = input.customerContact;
  if (input.technicalContact !== undefined) next.technicalContact = input.technicalContact;
  if (input.partnerContact !== undefined) next.partnerContact = input.partnerContact;
  if (input.revenue !== undefined) next.revenue = input.revenue;
  return next;
}

export function fieldValue(c: ClaimState, field: string): unknown {
  switch (field) {
    case 'customer':
      return { domain: c.domain, tenantId: c.tenantId };
    default:
      return c[field as keyof ClaimState] ?? null;
  }
}

/** R-EDIT-2: only fields whose value really changes count; sending back what was read is no edit. */
export function changedFields(a: ClaimState, b: ClaimState): string[] {
  return claimFields.filter((f) => canonicalJson(fieldValue(a, f)) !== canonicalJson(fieldValue(b, f)));
}
