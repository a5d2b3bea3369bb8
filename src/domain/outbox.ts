// What a change leaves in the outbox, to be sent after it commits (docs/architecture.md):
// an email to a contact, or an event for the programs that listen (webhooks, issue 12).
// The payload is written when the change commits and read, as typed here, by the sender.

/** An email: the template, the recipient and what the mail shows, as it was at the change. */
export interface EmailPayload {
  template: string;
  to: { name: string; email: string };
  language?: string | null;
  /** The claim the mail is about; null for the reviewers' digest (R-TIME-6), which lists many. */
  claimId: string | null;
  claimName?: string | null;
  organizationName?: string | null;
  status?: string | null;
  statusReason?: string | null;
  mpnId?: string | null;
  customer?: { domain?: string | null; tenantId?: string | null } | null;
  products?: { productId: string; subscriptionId?: string | null }[];
  requestedInformation?: { reasons?: string[]; comment?: string; dueAt?: string } | null;
  consentEndsAt?: string | null;
  rejectedAt?: string | null;
  /** R-TIME-6: the claims of the reviewers' digest, as they were when it was written. */
  overdue?: OverdueItem[];
}

export interface OverdueItem {
  claimId: string;
  claimName: string | null;
  organizationName: string | null;
  /** When the reviewer deadline passed. */
  since: string;
}

/**
 * An event of a claim's life for the webhooks: a pointer to the history entry it comes from,
 * written by the database for every history entry while any hook exists (migration 0007);
 * domain/webhook-events.ts says which events the entry is.
 */
export interface ClaimEventPayload {
  type: 'claim.history';
  claimId: string;
  seq: number;
}

export type OutboxMessage =
  | { kind: 'email'; claimId: string | null; payload: EmailPayload }
  | { kind: 'event'; claimId: string | null; payload: ClaimEventPayload };

export type OutboxKind = OutboxMessage['kind'];
