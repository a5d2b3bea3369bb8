// Issue 13 point 5: the latest words behind a claim's status, read from its history
// (R-HIST-1), for the status banner: a reviewer's comment, the rejection's reason and
// comment, the dispute's justification and decision, the customer's denial, the partner's
// reason for ending the association.
import { rejectionReasons, type RejectionReason } from '../domain/claim.js';

export const contextTypes = [
  'comment_added',
  'request_information',
  'approve',
  'reject',
  'withdraw',
  'expire_partner_response',
  'customer_deny',
  'dispute',
  'resolve_dispute',
  'disassociate',
];

interface Entry {
  at: Date;
  type: string;
  actor_name: string;
  actor_role: string;
  data: Record<string, unknown> | null;
}

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v : null);

/** Pure: the context from history entries, newest first. */
export function contextOf(rows: Entry[]) {
  const said = (r: Entry) => ({ at: r.at.toISOString(), by: r.actor_name });
  const comment = rows.find((r) => r.actor_role === 'reviewer' && text(r.data?.text ?? r.data?.comment));
  const rejectedBy: Record<string, RejectionReason | undefined> = {
    withdraw: 'partner_request',
    expire_partner_response: 'no_partner_response',
    customer_deny: 'customer_declined',
  };
  const rejection = rows.find((r) =>
    ['reject', 'withdraw', 'expire_partner_response', 'customer_deny'].includes(r.type),
  );
  const rejectionReason =
    rejection?.type === 'reject'
      ? rejectionReasons.find((x) => x === rejection.data?.reason)
      : rejection && rejectedBy[rejection.type];
  const disputeAt = rows.findIndex((r) => r.type === 'dispute');
  const dispute = rows[disputeAt];
  // The decision of that dispute: a resolve_dispute newer than it (rows are newest first).
  const decision = rows.slice(0, Math.max(disputeAt, 0)).findLast((r) => r.type === 'resolve_dispute');
  const outcome = decision?.data?.outcome;
  const denial = rows.find((r) => r.type === 'customer_deny');
  const disassociation = rows.find((r) => r.type === 'disassociate' && text(r.data?.reason));
  return {
    reviewerComment: comment
      ? { text: text(comment.data?.text ?? comment.data?.comment) ?? '', ...said(comment) }
      : null,
    rejection:
      rejection && rejectionReason
        ? {
            reason: rejectionReason,
            comment: rejection.type === 'customer_deny' ? null : text(rejection.data?.comment),
            ...said(rejection),
          }
        : null,
    dispute: dispute
      ? {
          justification: text(dispute.data?.justification),
          newPoe: dispute.data?.newPoe === true,
          ...said(dispute),
          decision:
            decision && (outcome === 'overturn' || outcome === 'uphold')
              ? {
                  outcome: outcome as 'overturn' | 'uphold',
                  comment: text(decision.data?.comment),
                  ...said(decision),
                }
              : null,
        }
      : null,
    customerDenial: denial ? { reason: text(denial.data?.reason), at: denial.at.toISOString() } : null,
    disassociation: disassociation
      ? { reason: text(disassociation.data?.reason) ?? '', ...said(disassociation) }
      : null,
  };
}

export type ClaimContext = ReturnType<typeof contextOf>;
