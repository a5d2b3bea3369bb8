// Issue 13 point 2: how a claim ended, told apart. Rejected and ended claims each carry one
// of six outcomes, derived from the status and its reason (R-REJ-1/2, R-CONS-2, R-TIME-2,
// R-UNIQ-7); every other claim has none. Pure.
import type { Status } from './claim.js';

export const outcomes = [
  // rejected, partner_request: the partner withdrew its own claim (R-REJ-2)
  'withdrawn',
  // rejected, customer_declined: the customer denied consent (R-CONS-2)
  'customer_denied',
  // rejected, no_partner_response: no answer to a request for information in time (R-TIME-2)
  'no_partner_response',
  // rejected for a reviewer's reason (R-REJ-1)
  'rejected_by_reviewer',
  // ended, partner_request: the partner ended its approved association (R-REJ-2, R-UNIQ-7)
  'disassociated',
  // ended otherwise: superseded by another partner's claim or the subscription expired (R-UNIQ-7)
  'ended',
] as const;
export type Outcome = (typeof outcomes)[number];

/**
 * The status and reasons each outcome stands for (`not`: any reason but these): the one
 * table that outcomeOf reads and the list filters turn into SQL.
 */
export const outcomeConditions: Record<Outcome, { status: Status; reasons: string[]; not?: boolean }> = {
  withdrawn: { status: 'rejected', reasons: ['partner_request'] },
  customer_denied: { status: 'rejected', reasons: ['customer_declined'] },
  no_partner_response: { status: 'rejected', reasons: ['no_partner_response'] },
  rejected_by_reviewer: {
    status: 'rejected',
    reasons: ['partner_request', 'customer_declined', 'no_partner_response'],
    not: true,
  },
  disassociated: { status: 'ended', reasons: ['partner_request'] },
  ended: { status: 'ended', reasons: ['partner_request'], not: true },
};

/** A claim's outcome, from the table above; null while the claim has none. */
export function outcomeOf(status: Status, statusReason: string | null): Outcome | null {
  return (
    outcomes.find((o) => {
      const c = outcomeConditions[o];
      return c.status === status && c.reasons.includes(statusReason ?? '') !== (c.not ?? false);
    }) ?? null
  );
}
