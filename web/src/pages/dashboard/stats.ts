// The dashboard's figures, from the server's reports only (issue 13 point 10: never a download
// of every claim): the claims by status and by outcome (GET /reports/claims-by-status, kept by
// the database), and the decisions of a period (GET /reports/sla: the reviewers' approvals and
// rejections with their business days, R-TIME-7, in all and by month). Pure, unit-tested.
import { OUTCOMES, STATUSES, type ClaimOutcome, type ClaimStatus, type Schema } from '../../api.js';

export type ClaimsByStatus = Schema<'ClaimsByStatus'>;
export type SlaTotals = Schema<'SlaReport'>['totals'];

export interface StatusBar {
  status: ClaimStatus;
  outcome: ClaimOutcome | null;
  count: number;
}

/** Open statuses, then each way a claim ended (issue 13 point 2) in place of rejected and ended. */
export function statusBars(r: ClaimsByStatus): StatusBar[] {
  const finalStatus = (o: ClaimOutcome): ClaimStatus =>
    o === 'disassociated' || o === 'ended' ? 'ended' : 'rejected';
  return [
    ...STATUSES.filter((st) => st !== 'rejected' && st !== 'ended').map((status) => ({
      status,
      outcome: null,
      count: r.items.find((i) => i.status === status)?.count ?? 0,
    })),
    ...OUTCOMES.map((outcome) => ({
      status: finalStatus(outcome),
      outcome,
      count: r.outcomes?.find((o) => o.outcome === outcome)?.count ?? 0,
    })),
  ];
}

/**
 * Of the reviewers' decisions, the share that approved. Only a reviewer's rejection counts
 * against it: a withdrawal, a customer's denial or an expiry without the partner's answer is
 * no reviewer's decision (the SLA report counts first decisions, approve or reject).
 */
export const approvalRate = (t: { decided: number; approved: number }): number | null =>
  t.decided ? t.approved / t.decided : null;

export interface MonthRow {
  month: string;
  approved: number;
  rejected: number;
  rate: number | null;
  medianDays: number | null;
  /** The share of the month's decisions within the SLA target. */
  met: number | null;
}

/** The months of the report (local months of CPOR_TIME_ZONE), oldest first. */
export function monthRows(totals: SlaTotals): MonthRow[] {
  return totals.byMonth.map((m) => ({
    month: m.month,
    approved: m.approved,
    rejected: m.rejected,
    rate: approvalRate(m),
    medianDays: m.medianBusinessDays,
    met: m.decided ? m.met / m.decided : null,
  }));
}
