// R-TIME-7: the SLA report. For each claim decided in a period, the business days from its
// first submission to the reviewer's first decision (approve or reject), less the business
// days it waited on the partner (`partner_action_required`), against the target (10 business
// days by default): met or missed, with totals and the median.
import type { BusinessCalendar } from './calendar.js';

/** A claim's status changes, oldest first (history entries with `from` / `to`). */
export interface StatusChange {
  at: Date;
  type: string;
  from?: string;
  to?: string;
}

export interface SlaItem {
  claimId: string;
  submittedAt: string;
  decidedAt: string;
  businessDays: number;
  partnerBusinessDays: number;
  met: boolean;
}

const decisions = new Set(['approve', 'reject']);
const round = (n: number) => Math.round(n * 100) / 100;

/** The claim's SLA line, or null when it has no submission followed by a decision. */
export function slaItem(
  claimId: string,
  changes: StatusChange[],
  calendar: BusinessCalendar,
  targetBusinessDays: number,
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
    submittedAt: submitted.at.toISOString(),
    decidedAt: decided.at.toISOString(),
    businessDays: round(businessDays),
    partnerBusinessDays: round(partner),
    met: businessDays <= targetBusinessDays,
  };
}

export function slaTotals(items: SlaItem[]) {
  const days = items.map((i) => i.businessDays).sort((a, b) => a - b);
  const mid = Math.floor(days.length / 2);
  const median =
    days.length === 0 ? null : days.length % 2 ? days[mid]! : round((days[mid - 1]! + days[mid]!) / 2);
  const met = items.filter((i) => i.met).length;
  return { decided: items.length, met, missed: items.length - met, medianBusinessDays: median };
}
