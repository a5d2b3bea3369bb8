// The dashboard's figures, computed from the claims list and, for the SLA, from the server's
// SLA report (business days and holidays are the server's to count, R-TIME-7). Pure, unit-tested.
import { OUTCOMES, STATUSES, type Claim, type ClaimOutcome, type ClaimStatus } from '../../api.js';

const DAY = 86_400_000;

export interface Stats {
  /** Open statuses, then each way a claim ended (issue 13 point 2) in place of rejected and ended. */
  byStatus: { status: ClaimStatus; outcome: ClaimOutcome | null; count: number }[];
  months: {
    month: string;
    approved: number;
    rejected: number;
    rate: number | null;
    avgDays: number | null;
  }[];
  approvalRate: number | null;
  avgDays: number | null;
  openWithDeadline: number;
  openOverdue: number;
}

export function computeStats(claims: Claim[]): Stats {
  const outcomeOf = (c: Claim): ClaimOutcome | null =>
    c.outcome ?? (c.status === 'rejected' ? 'rejected_by_reviewer' : c.status === 'ended' ? 'ended' : null);
  const finalStatus = (o: ClaimOutcome): ClaimStatus =>
    o === 'disassociated' || o === 'ended' ? 'ended' : 'rejected';
  const byStatus = [
    ...STATUSES.filter((st) => st !== 'rejected' && st !== 'ended').map((status) => ({
      status,
      outcome: null,
      count: claims.filter((c) => c.status === status).length,
    })),
    ...OUTCOMES.map((outcome) => ({
      status: finalStatus(outcome),
      outcome,
      count: claims.filter((c) => outcomeOf(c) === outcome).length,
    })),
  ];
  const decided = claims.filter((c) => (c.status === 'approved' || c.status === 'rejected') && c.submittedAt);
  // When the decision was made: decidedAt when the API gives it, else the last change.
  const decidedAt = (c: Claim) => c.decidedAt ?? c.updatedAt;
  const monthOf = (iso: string) => iso.slice(0, 7);
  const buckets = new Map<string, Claim[]>();
  for (const c of decided) {
    const m = monthOf(decidedAt(c));
    buckets.set(m, [...(buckets.get(m) ?? []), c]);
  }
  const days = (c: Claim) =>
    (new Date(decidedAt(c)).getTime() - new Date(c.submittedAt ?? c.createdAt).getTime()) / DAY;
  const months = [...buckets.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([month, cs]) => {
      const approved = cs.filter((c) => c.status === 'approved').length;
      const rejected = cs.length - approved;
      const avg = cs.reduce((n, c) => n + days(c), 0) / cs.length;
      return {
        month,
        approved,
        rejected,
        rate: cs.length ? approved / cs.length : null,
        avgDays: cs.length ? Math.round(avg * 10) / 10 : null,
      };
    });
  const approvedAll = decided.filter((c) => c.status === 'approved').length;
  const open = claims.filter((c) => c.dueAt && !['draft', 'approved', 'rejected'].includes(c.status));
  const openOverdue = open.filter((c) => c.overdue).length;
  return {
    byStatus,
    months,
    approvalRate: decided.length ? approvedAll / decided.length : null,
    avgDays: decided.length ? decided.reduce((n, c) => n + days(c), 0) / decided.length : null,
    openWithDeadline: open.length,
    openOverdue,
  };
}

/** One line of the server's SLA report (GET /api/v1/reports/sla). */
export interface SlaLine {
  decidedAt: string;
  met: boolean;
}

/** The share of decisions that met the SLA target, by month of decision (UTC), oldest first. */
export function slaByMonth(items: SlaLine[]): { month: string; met: number | null }[] {
  const months = new Map<string, { n: number; met: number }>();
  for (const i of items) {
    const m = i.decidedAt.slice(0, 7);
    const x = months.get(m) ?? { n: 0, met: 0 };
    months.set(m, { n: x.n + 1, met: x.met + (i.met ? 1 : 0) });
  }
  return [...months.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([month, x]) => ({ month, met: x.n ? x.met / x.n : null }));
}
