// The claim as the domain sees it: plain data, no database or HTTP types.
import type { Language } from './languages.js';

export interface Contact {
  name: string;
  title?: string;
  email: string;
  /** Language of mails to this contact; else the organization's. */
  language?: Language;
}
export interface Revenue {
  solutionSellerName: string;
  customerName: string;
  isvSolutionName: string;
}
export interface RequestedInformation {
  reasons: InformationReason[];
  comment: string;
  dueAt: string;
}

export const statuses = [
  'draft',
  'submitted',
  'in_review',
  'partner_action_required',
  'approved',
  'rejected',
  'disputed',
  // R-UNIQ-7: was approved; every association of it has ended. Final.
  'ended',
] as const;
export type Status = (typeof statuses)[number];

/** The claims waiting for a reviewer (the review queue; R-TIME-6 marks them overdue): submitted, in review, disputed. */
export const reviewQueueStatuses = [
  'submitted',
  'in_review',
  'disputed',
] as const satisfies readonly Status[];

/** R-UNIQ-7: why an approved claim's associations ended (the customer's denial rejects instead). */
export const endReasons = ['superseded', 'partner_request', 'subscription_expired'] as const;
export type EndReason = (typeof endReasons)[number];

export const solutionAreas = ['microsoft_365', 'business_applications'] as const;
export type SolutionArea = (typeof solutionAreas)[number];

export const activities = ['pre_sales', 'usage', 'pre_sales_and_usage', 'revenue_association'] as const;
export type Activity = (typeof activities)[number];

/** Which activities each solution area takes (domain.md R-FIELD-1). */
export const activitiesBySolutionArea: Record<SolutionArea, readonly Activity[]> = {
  microsoft_365: ['pre_sales', 'usage'],
  business_applications: ['pre_sales', 'usage', 'pre_sales_and_usage', 'revenue_association'],
};

/** R-PAR-1: why a reviewer asks for more information. */
export const informationReasons = [
  'poe_missing',
  'customer_signature_missing',
  'dates_missing_or_old',
  'partner_solution_missing',
  'products_missing',
] as const;
export type InformationReason = (typeof informationReasons)[number];

/** R-REJ-1: why a claim is rejected. */
export const rejectionReasons = [
  'partner_request',
  'customer_declined',
  'insufficient_poe',
  'missing_customer_consent',
  'missing_products',
  'no_partner_response',
  'poe_unavailable',
] as const;
export type RejectionReason = (typeof rejectionReasons)[number];

/** Reasons a reviewer may pick; the others are set by the partner, the customer or the clock. */
export const reviewerRejectionReasons = [
  'insufficient_poe',
  'missing_customer_consent',
  'missing_products',
  'poe_unavailable',
] as const satisfies readonly RejectionReason[];
export type ReviewerRejectionReason = (typeof reviewerRejectionReasons)[number];

/** R-DISP-2: rejections that are final, the customer's and the partner's own word. */
export const undisputableReasons: readonly string[] = ['customer_declined', 'partner_request'];

/** R-SCOPE-1: the programs CPOR covers, and the ones it refuses by name. */
export const cporPrograms = ['osa_sell', 'osu_microsoft_365', 'osu_business_applications'] as const;
export const otherPrograms = ['csp', 'managed_reseller', 'hosting', 'surface_coop'] as const;

export interface ClaimProduct {
  productId: string;
  subscriptionId: string | null;
}

export interface ClaimState {
  id: string;
  organizationId: string;
  status: Status;
  statusReason: string | null;
  mpnId: string | null;
  name: string | null;
  tenantId: string | null;
  domain: string | null;
  solutionArea: SolutionArea | null;
  activity: Activity | null;
  products: ClaimProduct[];
  customerContact: Contact | null;
  technicalContact: Contact | null;
  partnerContact: Contact | null;
  revenue: Revenue | null;
  requestedInformation: RequestedInformation | null;
  submittedAt: Date | null;
  decidedAt: Date | null;
  rejectedAt: Date | null;
  disputedAt: Date | null;
  consentState: 'pending' | 'completed' | 'denied' | null;
  consentEndsAt: Date | null;
  dueAt: Date | null;
  dueKind: string | null;
  version: number;
  documentCount: number;
  /** When the latest PoE document was added (R-DISP-1: a dispute may rest on PoE added since the rejection). */
  latestDocumentAt: Date | null;
}

/** A new, empty draft: what createClaim starts from before applying the input. */
export function newDraft(id: string, organizationId: string): ClaimState {
  return {
    id,
    organizationId,
    status: 'draft',
    statusReason: null,
    mpnId: null,
    name: null,
    tenantId: null,
    domain: null,
    solutionArea: null,
    activity: null,
    products: [],
    customerContact: null,
    technicalContact: null,
    partnerContact: null,
    revenue: null,
    requestedInformation: null,
    submittedAt: null,
    decidedAt: null,
    rejectedAt: null,
    disputedAt: null,
    consentState: null,
    consentEndsAt: null,
    dueAt: null,
    dueKind: null,
    version: 1,
    documentCount: 0,
    latestDocumentAt: null,
  };
}

/** The editable fields of a claim, by their API names. */
export const claimFields = [
  'name',
  'mpnId',
  'customer',
  'solutionArea',
  'activity',
  'products',
  'customerContact',
  'technicalContact',
  'partnerContact',
  'revenue',
] as const;
export type ClaimField = (typeof claimFields)[number];

/** R-EDIT-2: what may change after submission, while the claim waits on a reviewer or the partner. */
export const editableAfterSubmit: readonly ClaimField[] = [
  'mpnId',
  'products',
  'customerContact',
  'technicalContact',
  'partnerContact',
];

export interface CatalogProduct {
  id: string;
  name: string;
  solutionArea: SolutionArea;
  scope: 'workload' | 'subscription';
  dynamics365: boolean;
  active: boolean;
}

export interface KnownTenant {
  tenantId: string;
  domains: string[];
  subscriptions: { id: string; productId: string; expiresAt: Date | null }[];
}
