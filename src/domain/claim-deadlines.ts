// The deadlines of a claim (R-TIME-2/3/4, the reviewer SLAs): which one runs in each status,
// when it falls due, and until when a rejection can be disputed. Pure; the transition table
// (claim-transitions.ts) sets them, the scheduler (src/deadlines/) fires them.
import { addDays, type BusinessCalendar } from './calendar.js';
import { undisputableReasons, type ClaimState } from './claim.js';
import type { Limits } from './limits.js';

/** What the deadline arithmetic needs: the time, the limits and the business calendar. */
export interface TimeContext {
  now: Date;
  limits: Limits;
  calendar: BusinessCalendar;
}

export type DeadlineKind =
  | 'review_start_sla'
  | 'decision_sla'
  | 'partner_response'
  | 'dispute_decision_sla'
  | 'consent_window'
  | 'dispute_window';

/** Deadline kinds that are reviewer SLAs: passing them marks the claim overdue, nothing more. */
export const slaKinds: readonly DeadlineKind[] = ['review_start_sla', 'decision_sla', 'dispute_decision_sla'];

/** The setting of each deadline counted in business days (the calendar may move them). */
export const businessDayLimit = {
  review_start_sla: 'submittedSlaBusinessDays',
  decision_sla: 'reviewSlaBusinessDays',
  partner_response: 'partnerResponseBusinessDays',
  dispute_decision_sla: 'disputeDecisionBusinessDays',
} as const satisfies Partial<Record<DeadlineKind, keyof Limits>>;

/** The SLA or response deadline that runs in a status (shown as `dueAt`). */
export function runningDeadline(c: ClaimState, ctx: TimeContext): { kind: DeadlineKind; dueAt: Date } | null {
  const bd = (kind: keyof typeof businessDayLimit) => ({
    kind,
    dueAt: ctx.calendar.addBusinessDays(ctx.now, ctx.limits[businessDayLimit[kind]]),
  });
  switch (c.status) {
    case 'submitted':
      return bd('review_start_sla');
    case 'in_review':
      return bd('decision_sla');
    case 'partner_action_required':
      return bd('partner_response');
    case 'disputed':
      return bd('dispute_decision_sla');
    case 'draft':
    case 'approved':
    case 'rejected':
    case 'ended':
      return null;
  }
}

/** The open deadlines of a claim in its (new) state: the running one, consent and dispute windows. */
export function deadlinesOf(c: ClaimState, ctx: TimeContext): { kind: DeadlineKind; dueAt: Date }[] {
  const list: { kind: DeadlineKind; dueAt: Date }[] = [];
  if (c.dueAt && c.dueKind) list.push({ kind: c.dueKind as DeadlineKind, dueAt: c.dueAt });
  if (c.status === 'approved' && c.consentState === 'pending' && c.consentEndsAt) {
    list.push({ kind: 'consent_window', dueAt: c.consentEndsAt });
  }
  const disputeEnds = disputeEndsAt(c, ctx.limits.disputeWindowDays);
  if (c.status === 'rejected' && disputeEnds) list.push({ kind: 'dispute_window', dueAt: disputeEnds });
  return list;
}

/** R-DISP-1: until when a rejected claim may be disputed; null when it may not be at all. */
export function disputeEndsAt(c: ClaimState, windowDays?: number): Date | null {
  if (c.status !== 'rejected' || !c.rejectedAt || c.disputedAt) return null;
  if (c.statusReason && undisputableReasons.includes(c.statusReason)) return null;
  return addDays(c.rejectedAt, windowDays ?? 30);
}

/**
 * R-DISP-1: PoE was added after the rejection, so a dispute needs no written justification
 * (strictly after: one added at the same instant cannot be told from the PoE reviewed).
 */
export function poeAddedSinceRejection(c: ClaimState): boolean {
  return Boolean(c.latestDocumentAt && c.rejectedAt && c.latestDocumentAt.getTime() > c.rejectedAt.getTime());
}

/** R-DISP-1: a rejected claim that may still be disputed, now. */
export function disputableNow(c: ClaimState, now: Date, limits: Limits): boolean {
  const ends = disputeEndsAt(c, limits.disputeWindowDays);
  return ends !== null && now.getTime() <= ends.getTime();
}
