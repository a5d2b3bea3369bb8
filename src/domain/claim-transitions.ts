// THE transition table: every status change of a claim goes through `transition()`.
// It is pure: given the claim, the action, who acts and when, it returns the next state,
// the history events, the deadlines to set (all earlier ones of the claim end), the
// messages to send and what happens to associations; or it throws a DomainError.
// No status is ever written anywhere else.
// Who may act in which status is `rules` (R-ROLE-1); what else a caller may do is in
// claim-policy.ts, and the deadlines each status runs are in claim-deadlines.ts.
import { partOf, type Actor, type Part } from './actor.js';
import { addDays } from './calendar.js';
import {
  endReasons,
  informationReasons,
  reviewerRejectionReasons,
  undisputableReasons,
  type ClaimState,
  type EndReason,
  type InformationReason,
  type RejectionReason,
  type Status,
} from './claim.js';
import {
  deadlinesOf,
  disputeEndsAt,
  poeAddedSinceRejection,
  runningDeadline,
  type DeadlineKind,
  type TimeContext,
} from './claim-deadlines.js';
import { DomainError, forbidden, notFound, validationFailed } from './errors.js';

export const actions = [
  'submit',
  'start_review',
  'request_information',
  'approve',
  'reject',
  'withdraw',
  'disassociate',
  'dispute',
  'resolve_dispute',
  // Not people's buttons: the customer's link and the clock.
  'customer_deny',
  'expire_partner_response',
  'complete_consent',
  'close_dispute_window',
  // R-UNIQ-7: every association of an approved claim ended (superseded, expired).
  'end',
] as const;
export type Action = (typeof actions)[number];

/** What a deadline does when it falls due: the action it runs, or null for an SLA marker. */
export const deadlineAction: Record<DeadlineKind, Action | null> = {
  review_start_sla: null,
  decision_sla: null,
  dispute_decision_sla: null,
  partner_response: 'expire_partner_response',
  consent_window: 'complete_consent',
  dispute_window: 'close_dispute_window',
};

export type Template =
  | 'claim_approved'
  | 'partner_approved'
  | 'claim_rejected'
  | 'information_requested'
  | 'dispute_received'
  | 'dispute_decided'
  | 'association_superseded'
  | 'association_expired'
  | 'customer_declined';

export interface Message {
  template: Template;
  /**
   * Whose address: resolved by the command from the claim. Reviewers get no mail per claim:
   * their daily digest lists what became overdue (R-TIME-6).
   */
  to: 'customer_contact' | 'partner_contact';
}

export interface Payload {
  reasons?: InformationReason[];
  reason?: string;
  comment?: string;
  justification?: string;
  supersede?: boolean;
  outcome?: 'overturn' | 'uphold';
  checklist?: Record<string, boolean>;
}

/** What a transition reads besides the claim: the time, the limits and the business calendar. */
export type Context = TimeContext;

export interface Outcome {
  claim: ClaimState;
  /** History event type and data; actor and time are added by the command. */
  events: { type: string; data: Record<string, unknown> }[];
  /** Deadlines of the new state; every earlier open deadline of the claim is cancelled. */
  deadlines: { kind: DeadlineKind; dueAt: Date }[] | 'keep';
  messages: Message[];
  associations:
    { create: { supersede: boolean } } | { end: { reason: string } } | { completeConsent: true } | null;
}

interface Rule {
  from: readonly Status[];
  by: readonly Part[];
  apply(
    c: ClaimState,
    p: Payload,
    ctx: Context,
    from: Status,
  ): Omit<Outcome, 'events' | 'deadlines'> & {
    /** Unset: the deadlines of the new state (deadlinesOf). */
    deadlines?: Outcome['deadlines'];
    data?: Record<string, unknown>;
  };
}

const pendingStatuses: readonly Status[] = ['draft', 'submitted', 'in_review', 'partner_action_required'];

function enter(c: ClaimState, status: Status, ctx: Context, patch: Partial<ClaimState> = {}): ClaimState {
  const next: ClaimState = { ...c, ...patch, status };
  const due = runningDeadline(next, ctx);
  return { ...next, dueAt: due?.dueAt ?? null, dueKind: due?.kind ?? null };
}

function rejectWith(
  c: ClaimState,
  reason: RejectionReason,
  ctx: Context,
  extra: Partial<ClaimState> = {},
): ClaimState {
  return enter(c, 'rejected', ctx, {
    statusReason: reason,
    rejectedAt: ctx.now,
    decidedAt: ctx.now,
    requestedInformation: null,
    ...extra,
  });
}

function outcome(
  claim: ClaimState,
  rest: Partial<Omit<Outcome, 'claim' | 'events'>> & { data?: Record<string, unknown> } = {},
) {
  return { claim, messages: [], associations: null, ...rest };
}

const writer: readonly Part[] = ['partner_writer'];
const reviewer: readonly Part[] = ['reviewer'];

export const rules: Record<Action, Rule> = {
  // R-SUB-1 (completeness) is checked by the command, which has the catalog and documents.
  // From partner_action_required this is "respond and resubmit": the review goes on.
  submit: {
    from: ['draft', 'partner_action_required'],
    by: writer,
    apply: (c, _p, ctx, from) =>
      from === 'draft'
        ? outcome(enter(c, 'submitted', ctx, { submittedAt: ctx.now }))
        : outcome(enter(c, 'in_review', ctx, { requestedInformation: null }), {
            data: { resubmitted: true },
          }),
  },
  start_review: {
    from: ['submitted'],
    by: reviewer,
    apply: (c, _p, ctx) => outcome(enter(c, 'in_review', ctx)),
  },
  request_information: {
    from: ['in_review'],
    by: reviewer,
    apply: (c, p, ctx) => {
      const reasons = p.reasons ?? [];
      if (reasons.length === 0)
        throw validationFailed([
          { path: 'reasons', message: 'needs at least one reason', code: 'too_few', params: { min: 1 } },
        ]);
      const bad = reasons.findIndex((r) => !informationReasons.includes(r));
      if (bad >= 0)
        throw validationFailed([
          {
            path: `reasons.${bad}`,
            message: 'is not a known reason',
            code: 'invalid_enum',
            params: { options: [...informationReasons] },
          },
        ]);
      const next = enter(c, 'partner_action_required', ctx);
      next.requestedInformation = {
        reasons,
        comment: p.comment ?? '',
        dueAt: (next.dueAt ?? ctx.now).toISOString(),
      };
      return outcome(next, {
        messages: [{ template: 'information_requested', to: 'partner_contact' }],
        data: { reasons, checklist: p.checklist },
      });
    },
  },
  approve: {
    from: ['in_review'],
    by: reviewer,
    apply: (c, p, ctx) =>
      outcome(approved(c, ctx), {
        // R-NOTE-1 for the customer; the partner is told too (issue 13 point 11).
        messages: [
          { template: 'claim_approved', to: 'customer_contact' },
          { template: 'partner_approved', to: 'partner_contact' },
        ],
        associations: { create: { supersede: p.supersede === true } },
        data: { supersede: p.supersede === true, checklist: p.checklist },
      }),
  },
  reject: {
    from: ['in_review'],
    by: reviewer,
    apply: (c, p, ctx) => {
      const reason = p.reason as RejectionReason;
      if (!(reviewerRejectionReasons as readonly RejectionReason[]).includes(reason)) {
        throw validationFailed([
          {
            path: 'reason',
            message: `must be one of ${reviewerRejectionReasons.join(', ')}`,
            code: 'invalid_enum',
            params: { options: [...reviewerRejectionReasons] },
          },
        ]);
      }
      return outcome(rejectWith(c, reason, ctx), {
        messages: [{ template: 'claim_rejected', to: 'partner_contact' }],
        data: { reason, checklist: p.checklist },
      });
    },
  },
  // R-REJ-2: the partner asks to have its own claim rejected before a final decision.
  withdraw: {
    from: pendingStatuses,
    by: writer,
    apply: (c, _p, ctx) => outcome(rejectWith(c, 'partner_request', ctx)),
  },
  // R-REJ-2, R-UNIQ-7: the partner ends its approved association; the workloads are free
  // again and the claim has ended (final: no dispute, no consent, no evaluation).
  disassociate: {
    from: ['approved'],
    by: writer,
    apply: (c, p, ctx) => {
      if (!p.reason?.trim())
        throw validationFailed([{ path: 'reason', message: 'is required', code: 'required' }]);
      return outcome(ended(c, 'partner_request', ctx), {
        associations: { end: { reason: 'partner_request' } },
        data: { reason: p.reason },
      });
    },
  },
  // R-DISP-1/2: within the window, once, and never a customer's denial or a withdrawal.
  dispute: {
    from: ['rejected'],
    by: writer,
    apply: (c, p, ctx) => {
      if (c.statusReason && undisputableReasons.includes(c.statusReason)) {
        throw new DomainError(
          'dispute_not_allowed',
          `A claim rejected for ${c.statusReason} cannot be disputed.`,
        );
      }
      if (c.disputedAt) throw new DomainError('dispute_not_allowed', 'This claim was disputed already.');
      const ends = disputeEndsAt(c, ctx.limits.disputeWindowDays);
      if (!ends || ctx.now.getTime() > ends.getTime()) {
        throw new DomainError(
          'dispute_window_closed',
          `The dispute window closed ${ends?.toISOString() ?? ''}; submit a new claim with updated PoE.`,
        );
      }
      // R-DISP-1: a business justification and / or updated PoE, i.e. PoE added after the rejection.
      const newPoe = poeAddedSinceRejection(c);
      const justification = p.justification?.trim() || null;
      if (!justification && !newPoe)
        throw validationFailed([
          {
            path: 'justification',
            message: 'is required unless PoE was added since the rejection',
            code: 'required',
          },
        ]);
      return outcome(enter(c, 'disputed', ctx, { disputedAt: ctx.now }), {
        messages: [{ template: 'dispute_received', to: 'partner_contact' }],
        data: { justification, newPoe, rejectionReason: c.statusReason },
      });
    },
  },
  resolve_dispute: {
    from: ['disputed'],
    by: reviewer,
    apply: (c, p, ctx) => {
      if (p.outcome === 'overturn') {
        return outcome(approved(c, ctx), {
          messages: [
            { template: 'dispute_decided', to: 'partner_contact' },
            { template: 'claim_approved', to: 'customer_contact' },
          ],
          associations: { create: { supersede: p.supersede === true } },
          data: { outcome: 'overturn', supersede: p.supersede === true, checklist: p.checklist },
        });
      }
      if (p.outcome !== 'uphold') {
        throw validationFailed([
          {
            path: 'outcome',
            message: 'must be overturn or uphold',
            code: 'invalid_enum',
            params: { options: ['overturn', 'uphold'] },
          },
        ]);
      }
      // Upheld: rejected again for the same reason; the one dispute has been used.
      return outcome(enter(c, 'rejected', ctx, { decidedAt: ctx.now }), {
        messages: [{ template: 'dispute_decided', to: 'partner_contact' }],
        data: { outcome: 'uphold', reason: c.statusReason },
      });
    },
  },
  // R-CONS-2: a denial within the window rejects the claim and frees the workloads.
  customer_deny: {
    from: ['approved'],
    by: ['customer'],
    apply: (c, p, ctx) => {
      if (
        c.consentState !== 'pending' ||
        !c.consentEndsAt ||
        ctx.now.getTime() >= c.consentEndsAt.getTime()
      ) {
        throw new DomainError('consent_link_expired', 'The consent window has closed.');
      }
      return outcome(rejectWith(c, 'customer_declined', ctx, { consentState: 'denied' }), {
        messages: [{ template: 'customer_declined', to: 'partner_contact' }],
        associations: { end: { reason: 'customer_declined' } },
        data: { reason: p.reason ?? null },
      });
    },
  },
  // R-TIME-2: no answer in time.
  expire_partner_response: {
    from: ['partner_action_required'],
    by: ['system'],
    apply: (c, _p, ctx) =>
      outcome(rejectWith(c, 'no_partner_response', ctx), {
        messages: [{ template: 'claim_rejected', to: 'partner_contact' }],
        data: { reason: 'no_partner_response' },
      }),
  },
  // R-TIME-3: the window closed without a denial; the association is final.
  complete_consent: {
    from: ['approved'],
    by: ['system'],
    apply: (c) => {
      if (c.consentState !== 'pending')
        throw new DomainError('invalid_transition', 'Consent is not pending.');
      const claim = { ...c, consentState: 'completed' as const };
      return outcome(claim, { associations: { completeConsent: true } });
    },
  },
  // R-UNIQ-7: the last association in force of an approved claim ended (the command that
  // ended it says why and has mailed the partner): the claim ends, its timers with it.
  end: {
    from: ['approved'],
    by: ['system'],
    apply: (c, p, ctx) => {
      const reason = endReasons.find((r) => r === p.reason);
      if (!reason || reason === 'partner_request')
        throw validationFailed([
          {
            path: 'reason',
            message: 'must be superseded or subscription_expired',
            code: 'invalid_enum',
            params: { options: ['superseded', 'subscription_expired'] },
          },
        ]);
      return outcome(ended(c, reason, ctx));
    },
  },
  // R-TIME-4: the dispute window closed (recorded; dispute() reads the clock itself).
  close_dispute_window: {
    from: ['rejected'],
    by: ['system'],
    apply: (c) => outcome(c, { deadlines: [] }),
  },
};

/**
 * R-UNIQ-7: ended. A consent still pending no longer applies (the link stops working, the
 * window's timer is cancelled, nothing goes to evaluation): consent becomes null. A consent
 * that completed stays completed: that association was final while it lasted.
 */
function ended(c: ClaimState, reason: EndReason, ctx: Context): ClaimState {
  return enter(c, 'ended', ctx, {
    statusReason: reason,
    requestedInformation: null,
    consentState: c.consentState === 'completed' ? 'completed' : null,
    consentEndsAt: c.consentState === 'completed' ? c.consentEndsAt : null,
  });
}

function approved(c: ClaimState, ctx: Context): ClaimState {
  return enter(c, 'approved', ctx, {
    statusReason: null,
    requestedInformation: null,
    decidedAt: ctx.now,
    rejectedAt: null,
    consentState: 'pending',
    consentEndsAt: addDays(ctx.now, ctx.limits.consentWindowDays),
  });
}

/**
 * Checks who may act, and whether the claim's status allows the action.
 * Order: a claim of another organization does not exist for a partner (404, R-ROLE-2);
 * a role that can never take the action gets 403 (R-ROLE-1); a role that could, in the
 * wrong status, gets 409 invalid_transition.
 */
export function authorize(c: ClaimState, action: Action, actor: Actor): Part {
  const part = partOf(actor, c.organizationId);
  if (part === 'other_partner') throw notFound();
  const rule = rules[action];
  if (!rule.by.includes(part)) throw forbidden(`Your role cannot ${action.replace(/_/g, ' ')} a claim.`);
  if (!rule.from.includes(c.status)) {
    throw new DomainError(
      'invalid_transition',
      `A claim in status ${c.status} cannot ${action.replace(/_/g, ' ')}.`,
    );
  }
  return part;
}

export function transition(
  c: ClaimState,
  action: Action,
  actor: Actor,
  payload: Payload,
  ctx: Context,
): Outcome {
  authorize(c, action, actor);
  const { data, deadlines, ...rest } = rules[action].apply(c, payload, ctx, c.status);
  const claim = { ...rest.claim, version: c.version + 1 };
  const events: Outcome['events'] = [
    {
      type: action,
      data: {
        ...(claim.status !== c.status ? { from: c.status, to: claim.status } : {}),
        ...(claim.statusReason !== c.statusReason && claim.statusReason
          ? { statusReason: claim.statusReason }
          : {}),
        ...(payload.comment ? { comment: payload.comment } : {}),
        ...stripUndefined(data ?? {}),
      },
    },
  ];
  // R-DISP-1: the dispute window follows the setting, like dispute() itself.
  return { ...rest, deadlines: deadlines ?? deadlinesOf(claim, ctx), claim, events };
}

function stripUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/** Route names of the actions a person can take, for `allowedActions`. */
export const routeNames = {
  submit: 'submit',
  start_review: 'start-review',
  request_information: 'request-information',
  approve: 'approve',
  reject: 'reject',
  withdraw: 'withdraw',
  disassociate: 'disassociate',
  dispute: 'dispute',
  resolve_dispute: 'resolve-dispute',
} as const satisfies Partial<Record<Action, string>>;
export type RoutedAction = keyof typeof routeNames;
