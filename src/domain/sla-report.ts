// R-TIME-7: the SLA report. For each claim decided in a period, the business days from its
// first submission to the reviewer's first decision (approve or reject), less the business
// days it waited on the partner (`partner_action_required`), against the target (10 business
// days by default): met or missed, with totals and the median, in all and per solution area.
import type { BusinessCalendar } from './calendar.js';
import type { SolutionArea } from './claim.js';

/** A claim's status changes, oldest first (history entries with `from` / `to`). */
export interface StatusChange {
  at: Date;
  type: string;
  from?: string;
  to?: string;
}

export interface SlaItem {
  claimId: string;
  solutionArea: SolutionArea | null;
  submittedAt: string;
  decidedAt: string;
  businessDays: number;
  partnerBusinessDays: number;
  met: boolean;
  /** The reviewer's first decision (issue 13 point 10: the approval rate counts only these). */
  decision: 'approved' | 'rejected';
}

const decisions = new Set(['approve', 'reject']);
const round = (n: number) => Math.round(n * 100) / 100;

/** The claim's SLA line, or null when it has no submission followed by a decision. */
export function slaItem(
  claimId: string,
  changes: StatusChange[],
  calendar: BusinessCalendar,
  targetBusinessDays: number,
  solutionArea: SolutionArea | null = null,
): SlaItem | null {
  const submitted = changes.find((c) => c.to === 'submitted');
  if (!submitted) return null;
  const decided = changes.find((c) => c.at >= submitted.at && decisions.has(c.type));
  if (!decided) return null;
  let partner = 0;
  let waitingSince: Date | null = null;
  for (const c of changes) {
    if (c.at > decided.at) break;
    if (c.to === 'partner_action_required') waitingSince = c.at;
    else if (waitingSince && c.from === 'partner_action_required') {
      partner += calendar.businessDaysBetween(waitingSince, c.at);
      waitingSince = null;
    }
  }
  const businessDays = calendar.businessDaysBetween(submitted.at, decided.at) - partner;
  return {
    claimId,
    solutionArea,
    submittedAt: submitted.at.toISOString(),
    decidedAt: decided.at.toISOString(),
    businessDays: round(businessDays),
    partnerBusinessDays: round(partner),
    met: businessDays <= targetBusinessDays,
    decision: decided.type === 'approve' ? 'approved' : 'rejected',
  };
}

function totalsOf(items: SlaItem[]) {
  const days = items.map((i) => i.businessDays).sort((a, b) => a - b);
  const mid = Math.floor(days.length / 2);
  const median =
    days.length === 0 ? null : days.length % 2 ? days[mid]! : round((days[mid - 1]! + days[mid]!) / 2);
  const met = items.filter((i) => i.met).length;
  const approved = items.filter((i) => i.decision === 'approved').length;
  return {
    decided: items.length,
    met,
    missed: items.length - met,
    medianBusinessDays: median,
    approved,
    rejected: items.length - approved,
  };
}

/**
 * The totals of the period, in all, per solution area (R-TIME-7) and per month of decision
 * (`monthOf`: the local month, `YYYY-MM`, of a decision's instant), oldest month first.
 */
export function slaTotals(items: SlaItem[], monthOf: (decidedAt: string) => string = (d) => d.slice(0, 7)) {
  const areas = [...new Set(items.map((i) => i.solutionArea))].sort((a, b) =>
    (a ?? '').localeCompare(b ?? ''),
  );
  const months = new Map<string, SlaItem[]>();
  for (const i of items) {
    const m = monthOf(i.decidedAt);
    months.set(m, [...(months.get(m) ?? []), i]);
  }
  return {
    ...totalsOf(items),
    bySolutionArea: areas.map((solutionArea) => ({
      solutionArea,
      ...totalsOf(items.filter((i) => i.solutionArea === solutionArea)),
    })),
    byMonth: [...months.keys()].sort().map((month) => ({ month, ...totalsOf(months.get(month) ?? []) })),
  };
}
