// The dashboard's figures, computed from the claims list (pure, unit-tested).
import { STATUSES, type Claim, type ClaimStatus } from '../../api.js';

const DAY = 86_400_000;
/** Ten business days is about fourteen calendar days; the SLA report uses calendar time here. */
const DECISION_SLA_DAYS = 14;

export interface Stats {
  byStatus: { status: ClaimStatus; count: number }[];
  months: {
    month: string;
    approved: number;
    rejected: number;
    rate: number | null;
    avgDays: number | null;
    withinSla: number | null;
  }[];
  approvalRate: number | null;
  avgDays: number | null;
  openWithDeadline: number;
  openOverdue: number;
  slaAdherence: number | null;
}

export function computeStats(claims: Claim[]): Stats {
  const byStatus = STATUSES.map((status) => ({
    status,
    count: claims.filter((c) => c.status === status).length,
  }));
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
        withinSla: cs.length ? cs.filter((c) => days(c) <= DECISION_SLA_DAYS).length / cs.length : null,
      };
    });
  const approvedAll = decided.filter((c) => c.status === 'approved').length;
  const open = claims.filter((c) => c.dueAt && !['draft', 'approved', 'rejected'].includes(c.status));
  const openOverdue = open.filter((c) => c.overdue).length;
  const withinSla = decided.filter((c) => days(c) <= DECISION_SLA_DAYS).length;
  const slaDenominator = decided.length + open.length;
  return {
    byStatus,
    months,
    approvalRate: decided.length ? approvedAll / decided.length : null,
    avgDays: decided.length ? decided.reduce((n, c) => n + days(c), 0) / decided.length : null,
    openWithDeadline: open.length,
    openOverdue,
    slaAdherence: slaDenominator ? (withinSla + open.length - openOverdue) / slaDenominator : null,
  };
}
