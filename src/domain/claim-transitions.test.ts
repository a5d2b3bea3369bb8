// Exhaustive tests of THE transition table (issue 2 "Done when"): every status x action x
// part, allowed (with the next state, history, deadlines, messages and association effect)
// or refused with the right code. The expectations are written out here, by hand, from
// domain.md; nothing is derived from `rules`, so a change to the table shows up as a failure.
import { describe, expect, it } from 'vitest';
import type { Limits } from './limits.js';
import type { Actor, Part } from './actor.js';
import { customerActor, systemActor } from './actor.js';
import { utcCalendar } from './calendar.js';
import { claimFields, newDraft, statuses, type ClaimState, type Status } from './claim.js';
import {
  actions,
  transition,
  type Action,
  type Context,
  type Outcome,
  type Payload,
} from './claim-transitions.js';
import { disputeEndsAt } from './claim-deadlines.js';
import {
  allowedActions,
  authorizeAddDocument,
  authorizeComment,
  authorizeDeleteDocument,
  authorizeEdit,
  authorizeRead,
  editableFieldsFor,
} from './claim-policy.js';
import { DomainError } from './errors.js';

const orgA = 'org-a';
const orgB = 'org-b';
const now = new Date('2026-03-04T12:00:00Z'); // a Wednesday
const day = 24 * 60 * 60 * 1000;
const plusDays = (n: number, from = now) => new Date(from.getTime() + n * day);
/** Five business days after Wednesday 4 March 2026, no holidays. */
const fiveBusinessDays = new Date('2026-03-11T12:00:00Z');

const limits: Limits = {
  submittedSlaBusinessDays: 5,
  reviewSlaBusinessDays: 5,
  partnerResponseBusinessDays: 5,
  disputeDecisionBusinessDays: 5,
  decisionTargetBusinessDays: 10,
  consentWindowDays: 7,
  disputeWindowDays: 30,
};
const ctx = (over: Partial<Context> = {}): Context => ({ now, limits, calendar: utcCalendar(), ...over });

const user = (id: string, roles: Actor['roles'], organizationId: string | null): Actor => ({
  kind: 'user',
  id,
  name: id,
  roles,
  organizationId,
});

/** One actor per part a caller can play towards a claim of organization A. */
const actors: Record<Part, Actor> = {
  partner_writer: user('writer', ['incentives_admin'], orgA),
  partner_reader: user('reader', ['reader'], orgA),
  other_partner: user('other', ['global_admin'], orgB),
  reviewer: user('reviewer', ['reviewer'], null),
  platform_admin: user('admin', ['platform_admin'], null),
  customer: customerActor('Chris Customer'),
  system: systemActor,
};
const parts = Object.keys(actors) as Part[];

/** A complete claim of organization A in the given status, as the lifecycle leaves it there. */
function claimIn(status: Status, over: Partial<ClaimState> = {}): ClaimState {
  const base: ClaimState = {
    ...newDraft('claim-1', orgA),
    status,
    mpnId: '1234567',
    name: 'Contoso mail',
    tenantId: '6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
    domain: 'contoso.onmicrosoft.com',
    solutionArea: 'microsoft_365',
    activity: 'usage',
    products: [{ productId: 'exchange_online', subscriptionId: null }],
    customerContact: { name: 'Chris', title: 'CIO', email: 'chris@contoso.example' },
    partnerContact: { name: 'Paula', email: 'paula@a.example' },
    submittedAt: status === 'draft' ? null : plusDays(-10),
    version: 4,
    documentCount: 1,
  };

  const byStatus: Partial<Record<Status, Partial<ClaimState>>> = {
    partner_action_required: {
      requestedInformation: {
        reasons: ['poe_missing'],
        comment: 'sign it',
        dueAt: plusDays(3).toISOString(),
      },
      dueAt: plusDays(3),
      dueKind: 'partner_response',
    },
    approved: { decidedAt: plusDays(-1), consentState: 'pending', consentEndsAt: plusDays(6) },
    rejected: { statusReason: 'insufficient_poe', decidedAt: plusDays(-1), rejectedAt: plusDays(-1) },
    ended: { statusReason: 'superseded', decidedAt: plusDays(-1) },
    disputed: {
      statusReason: 'insufficient_poe',
      decidedAt: plusDays(-2),
      rejectedAt: plusDays(-2),
      disputedAt: plusDays(-1),
    },
  };
  return { ...base, ...byStatus[status], ...over };
}

/** A payload that satisfies every payload rule of the action. */
const validPayload: Record<Action, Payload> = {
  submit: {},
  start_review: {},
  request_information: { reasons: ['poe_missing', 'dates_missing_or_old'], comment: 'please re-sign' },
  approve: { comment: 'fine' },
  reject: { reason: 'insufficient_poe', comment: 'no signature' },
  withdraw: { comment: 'wrong customer' },
  disassociate: { reason: 'no longer working with the customer' },
  dispute: { justification: 'the PoE is signed on page 2' },
  resolve_dispute: { outcome: 'overturn', comment: 'indeed' },
  customer_deny: { reason: 'we never worked with them' },
  expire_partner_response: {},
  complete_consent: {},
  close_dispute_window: {},
  end: { reason: 'superseded' },
};

// ---------------------------------------------------------------------------------------------
// The expected table, written from domain.md "Statuses and what moves them", R-ROLE-1, R-REJ-2,
// R-DISP-1/2, R-CONS-2, R-TIME-2/3/4.
// ---------------------------------------------------------------------------------------------
interface Expected {
  from: Status[];
  by: Part[];
}
const table: Record<Action, Expected> = {
  submit: { from: ['draft', 'partner_action_required'], by: ['partner_writer'] },
  start_review: { from: ['submitted'], by: ['reviewer'] },
  request_information: { from: ['in_review'], by: ['reviewer'] },
  approve: { from: ['in_review'], by: ['reviewer'] },
  reject: { from: ['in_review'], by: ['reviewer'] },
  withdraw: {
    from: ['draft', 'submitted', 'in_review', 'partner_action_required'],
    by: ['partner_writer'],
  },
  disassociate: { from: ['approved'], by: ['partner_writer'] },
  dispute: { from: ['rejected'], by: ['partner_writer'] },
  resolve_dispute: { from: ['disputed'], by: ['reviewer'] },
  customer_deny: { from: ['approved'], by: ['customer'] },
  expire_partner_response: { from: ['partner_action_required'], by: ['system'] },
  complete_consent: { from: ['approved'], by: ['system'] },
  close_dispute_window: { from: ['rejected'], by: ['system'] },
  end: { from: ['approved'], by: ['system'] },
};

/** What each allowed (action, from) does with the valid payload. */
interface Effect {
  status: Status;
  statusReason?: string | null;
  deadlines: { kind: string; dueAt: Date }[];
  messages: Outcome['messages'];
  associations: Outcome['associations'];
  claim?: Partial<ClaimState>;
  data?: Record<string, unknown>;
}
const rejectedWindow = [{ kind: 'dispute_window', dueAt: plusDays(30) }];
const approvedEffect = (messages: Outcome['messages'], data: Record<string, unknown>): Effect => ({
  status: 'approved',
  statusReason: null,
  deadlines: [{ kind: 'consent_window', dueAt: plusDays(7) }],
  messages,
  associations: { create: { supersede: false } },
  claim: {
    consentState: 'pending',
    consentEndsAt: plusDays(7),
    decidedAt: now,
    rejectedAt: null,
    requestedInformation: null,
    dueAt: null,
  },
  data,
});
const withdrawn: Effect = {
  status: 'rejected',
  statusReason: 'partner_request',
  deadlines: [],
  messages: [],
  associations: null,
  claim: { rejectedAt: now, decidedAt: now, requestedInformation: null, dueAt: null },
};
const effects: Record<Action, Partial<Record<Status, Effect>>> = {
  submit: {
    draft: {
      status: 'submitted',
      deadlines: [{ kind: 'review_start_sla', dueAt: fiveBusinessDays }],
      messages: [],
      associations: null,
      claim: { submittedAt: now, dueAt: fiveBusinessDays, dueKind: 'review_start_sla' },
    },
    partner_action_required: {
      status: 'in_review',
      deadlines: [{ kind: 'decision_sla', dueAt: fiveBusinessDays }],
      messages: [],
      associations: null,
      claim: { requestedInformation: null, submittedAt: plusDays(-10), dueKind: 'decision_sla' },
      data: { resubmitted: true },
    },
  },
  start_review: {
    submitted: {
      status: 'in_review',
      deadlines: [{ kind: 'decision_sla', dueAt: fiveBusinessDays }],
      messages: [],
      associations: null,
      claim: { dueAt: fiveBusinessDays, dueKind: 'decision_sla' },
    },
  },
  request_information: {
    in_review: {
      status: 'partner_action_required',
      deadlines: [{ kind: 'partner_response', dueAt: fiveBusinessDays }],
      messages: [{ template: 'information_requested', to: 'partner_contact' }],
      associations: null,
      claim: {
        requestedInformation: {
          reasons: ['poe_missing', 'dates_missing_or_old'],
          comment: 'please re-sign',
          dueAt: fiveBusinessDays.toISOString(),
        },
        dueKind: 'partner_response',
      },
      data: { reasons: ['poe_missing', 'dates_missing_or_old'], comment: 'please re-sign' },
    },
  },
  approve: {
    in_review: approvedEffect(
      [
        { template: 'claim_approved', to: 'customer_contact' },
        { template: 'partner_approved', to: 'partner_contact' },
      ],
      {
        supersede: false,
        comment: 'fine',
      },
    ),
  },
  reject: {
    in_review: {
      status: 'rejected',
      statusReason: 'insufficient_poe',
      deadlines: rejectedWindow,
      messages: [{ template: 'claim_rejected', to: 'partner_contact' }],
      associations: null,
      claim: { rejectedAt: now, decidedAt: now, dueAt: null },
      data: { reason: 'insufficient_poe', comment: 'no signature' },
    },
  },
  withdraw: {
    draft: withdrawn,
    submitted: withdrawn,
    in_review: withdrawn,
    partner_action_required: withdrawn,
  },
  disassociate: {
    approved: {
      status: 'ended',
      statusReason: 'partner_request',
      deadlines: [],
      messages: [],
      associations: { end: { reason: 'partner_request' } },
      claim: { rejectedAt: null, consentState: null, consentEndsAt: null, dueAt: null },
      data: { reason: 'no longer working with the customer' },
    },
  },
  dispute: {
    rejected: {
      status: 'disputed',
      statusReason: 'insufficient_poe',
      deadlines: [{ kind: 'dispute_decision_sla', dueAt: fiveBusinessDays }],
      messages: [{ template: 'dispute_received', to: 'partner_contact' }],
      associations: null,
      claim: { disputedAt: now, dueKind: 'dispute_decision_sla' },
      data: {
        justification: 'the PoE is signed on page 2',
        newPoe: false,
        rejectionReason: 'insufficient_poe',
      },
    },
  },
  resolve_dispute: {
    disputed: approvedEffect(
      [
        { template: 'dispute_decided', to: 'partner_contact' },
        { template: 'claim_approved', to: 'customer_contact' },
      ],
      { outcome: 'overturn', supersede: false },
    ),
  },
  customer_deny: {
    approved: {
      status: 'rejected',
      statusReason: 'customer_declined',
      deadlines: [],
      messages: [{ template: 'customer_declined', to: 'partner_contact' }],
      associations: { end: { reason: 'customer_declined' } },
      claim: { consentState: 'denied', rejectedAt: now },
      data: { reason: 'we never worked with them' },
    },
  },
  expire_partner_response: {
    partner_action_required: {
      status: 'rejected',
      statusReason: 'no_partner_response',
      deadlines: rejectedWindow,
      messages: [{ template: 'claim_rejected', to: 'partner_contact' }],
      associations: null,
      claim: { requestedInformation: null, rejectedAt: now },
    },
  },
  complete_consent: {
    approved: {
      status: 'approved',
      deadlines: [],
      messages: [],
      associations: { completeConsent: true },
      claim: { consentState: 'completed' },
    },
  },
  close_dispute_window: {
    rejected: {
      status: 'rejected',
      statusReason: 'insufficient_poe',
      deadlines: [],
      messages: [],
      associations: null,
    },
  },
  end: {
    approved: {
      status: 'ended',
      statusReason: 'superseded',
      deadlines: [],
      messages: [],
      associations: null,
      claim: { consentState: null, consentEndsAt: null, decidedAt: plusDays(-1) },
    },
  },
};

function codeOf(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
}

function errorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}

function expectedCode(action: Action, status: Status, part: Part): string | null {
  // R-ROLE-2 first: another organization's claim does not exist for a partner.
  if (part === 'other_partner') return 'not_found';
  const row = table[action];
  if (!row.by.includes(part)) return 'forbidden';
  if (!row.from.includes(status)) return 'invalid_transition';
  return null;
}

const cells = actions.flatMap((action) =>
  statuses.flatMap((status) => parts.map((part) => ({ action, status, part }))),
);

describe('the transition table: every status x action x part', () => {
  it('covers every action of the table and nothing more', () => {
    expect([...actions].sort()).toEqual(Object.keys(table).sort());
    expect(cells).toHaveLength(actions.length * statuses.length * parts.length);
  });

  it.each(cells)('$action from $status by $part', ({ action, status, part }) => {
    const claim = claimIn(status);
    const expected = expectedCode(action, status, part);
    const run = () => transition(claim, action, actors[part], validPayload[action], ctx());
    if (expected) {
      expect(codeOf(run)).toBe(expected);
      return;
    }
    const effect = effects[action][status];
    if (!effect) throw new Error(`no expected effect written for ${action} from ${status}`);
    const out = run();
    expect(out.claim.status).toBe(effect.status);
    expect(out.claim.version).toBe(claim.version + 1);
    expect(out.claim.id).toBe(claim.id);
    expect(out.claim.organizationId).toBe(orgA);
    if (effect.statusReason !== undefined) expect(out.claim.statusReason).toBe(effect.statusReason);
    if (effect.claim) expect(out.claim).toMatchObject(effect.claim);
    expect(out.deadlines).toEqual(effect.deadlines);
    expect(out.messages).toEqual(effect.messages);
    expect(out.associations).toEqual(effect.associations);
    // R-HIST-1: one event named after the action, with the move and the payload's facts.
    expect(out.events).toHaveLength(1);
    expect(out.events[0]?.type).toBe(action);
    const data = out.events[0]?.data ?? {};
    if (effect.status !== status) expect(data).toMatchObject({ from: status, to: effect.status });
    else expect(data).not.toHaveProperty('from');
    if (effect.data) expect(data).toMatchObject(effect.data);
    // The running deadline shown as dueAt is the first of the new state's timed limits.
    const running = effect.deadlines.find((d) => !['consent_window', 'dispute_window'].includes(d.kind));
    expect(out.claim.dueAt).toEqual(running?.dueAt ?? null);
    // The input is never mutated.
    expect(claim).toEqual(claimIn(status));
  });

  it('refuses before looking at the payload: a role check never leaks payload errors', () => {
    expect(codeOf(() => transition(claimIn('in_review'), 'reject', actors.partner_writer, {}, ctx()))).toBe(
      'forbidden',
    );
    expect(
      codeOf(() => transition(claimIn('in_review'), 'request_information', actors.other_partner, {}, ctx())),
    ).toBe('not_found');
  });
});

describe('payload rules of allowed moves', () => {
  const refuse = (c: ClaimState, action: Action, part: Part, payload: Payload, at = ctx()) =>
    errorOf(() => transition(c, action, actors[part], payload, at));

  it('R-PAR-1: a request for information needs known reasons', () => {
    const none = refuse(claimIn('in_review'), 'request_information', 'reviewer', { comment: 'x' });
    expect(none.code).toBe('validation_failed');
    expect(none.errors).toEqual([
      { path: 'reasons', message: expect.any(String), code: 'too_few', params: { min: 1 } },
    ]);
    const bad = refuse(claimIn('in_review'), 'request_information', 'reviewer', {
      reasons: ['poe_missing', 'bogus' as never],
    });
    expect(bad.code).toBe('validation_failed');
    expect(bad.errors?.[0]?.path).toBe('reasons.1');
  });

  it('R-PAR-1: every information reason is accepted', () => {
    for (const reason of [
      'poe_missing',
      'customer_signature_missing',
      'dates_missing_or_old',
      'partner_solution_missing',
      'products_missing',
    ] as const) {
      const out = transition(
        claimIn('in_review'),
        'request_information',
        actors.reviewer,
        {
          reasons: [reason],
          comment: '',
        },
        ctx(),
      );
      expect(out.claim.requestedInformation?.reasons).toEqual([reason]);
    }
  });

  it('R-REJ-1: a reviewer rejects with a reviewer reason only', () => {
    for (const reason of [
      'insufficient_poe',
      'missing_customer_consent',
      'missing_products',
      'poe_unavailable',
    ]) {
      const out = transition(
        claimIn('in_review'),
        'reject',
        actors.reviewer,
        { reason, comment: 'c' },
        ctx(),
      );
      expect(out.claim).toMatchObject({ status: 'rejected', statusReason: reason });
    }
    // Set by the partner, the customer or the clock, never picked by a reviewer.
    for (const reason of [
      'partner_request',
      'customer_declined',
      'no_partner_response',
      'bogus',
      undefined,
    ]) {
      const e = refuse(claimIn('in_review'), 'reject', 'reviewer', { reason, comment: 'c' });
      expect(e.code).toBe('validation_failed');
      expect(e.errors?.[0]?.path).toBe('reason');
    }
  });

  it('R-REJ-2: disassociating needs a reason', () => {
    for (const reason of [undefined, '', '   ']) {
      const e = refuse(claimIn('approved'), 'disassociate', 'partner_writer', { reason });
      expect(e.code).toBe('validation_failed');
      expect(e.errors?.[0]?.path).toBe('reason');
    }
  });

  it('R-UNIQ-5: approve and overturn pass supersede on to the association effect', () => {
    const a = transition(claimIn('in_review'), 'approve', actors.reviewer, { supersede: true }, ctx());
    expect(a.associations).toEqual({ create: { supersede: true } });
    expect(a.events[0]?.data).toMatchObject({ supersede: true });
    const o = transition(
      claimIn('disputed'),
      'resolve_dispute',
      actors.reviewer,
      { outcome: 'overturn', supersede: true },
      ctx(),
    );
    expect(o.associations).toEqual({ create: { supersede: true } });
  });

  it('a resubmission after a request for information keeps the review going', () => {
    const out = transition(claimIn('partner_action_required'), 'submit', actors.partner_writer, {}, ctx());
    expect(out.claim).toMatchObject({ status: 'in_review', requestedInformation: null });
  });

  describe('R-UNIQ-7: ended', () => {
    it('ends for superseded or subscription_expired; disassociate is the partner_request way', () => {
      for (const reason of ['superseded', 'subscription_expired']) {
        const out = transition(claimIn('approved'), 'end', actors.system, { reason }, ctx());
        expect(out.claim).toMatchObject({ status: 'ended', statusReason: reason, consentState: null });
        expect(out.deadlines).toEqual([]);
      }
      for (const reason of [undefined, 'partner_request', 'customer_declined', 'bogus']) {
        expect(refuse(claimIn('approved'), 'end', 'system', { reason }).code).toBe('validation_failed');
      }
    });

    it('keeps a consent that had completed: that association was final while it lasted', () => {
      const done = claimIn('approved', { consentState: 'completed', consentEndsAt: plusDays(-1) });
      const out = transition(done, 'end', actors.system, { reason: 'subscription_expired' }, ctx());
      expect(out.claim).toMatchObject({ consentState: 'completed', consentEndsAt: plusDays(-1) });
    });

    it('is final: no dispute, disassociation, denial, consent or edit', () => {
      const c = claimIn('ended');
      for (const [action, part] of [
        ['dispute', 'partner_writer'],
        ['disassociate', 'partner_writer'],
        ['customer_deny', 'customer'],
        ['complete_consent', 'system'],
        ['end', 'system'],
      ] as const) {
        expect(refuse(c, action, part, validPayload[action]).code).toBe('invalid_transition');
      }
      expect(editableFieldsFor('ended')).toEqual([]);
      expect(allowedActions(c, actors.partner_writer, now, limits)).toEqual(['comment']);
    });
  });

  describe('R-DISP-1/2: disputes', () => {
    it('refuses a dispute of a withdrawal, a disassociation or a customer denial', () => {
      for (const statusReason of ['partner_request', 'customer_declined']) {
        const e = refuse(claimIn('rejected', { statusReason }), 'dispute', 'partner_writer', {
          justification: 'please',
        });
        expect(e.code).toBe('dispute_not_allowed');
      }
    });

    it('accepts a dispute of every other rejection reason, a timeout included', () => {
      for (const statusReason of [
        'insufficient_poe',
        'missing_customer_consent',
        'missing_products',
        'no_partner_response',
        'poe_unavailable',
      ]) {
        const out = transition(
          claimIn('rejected', { statusReason }),
          'dispute',
          actors.partner_writer,
          { justification: 'please' },
          ctx(),
        );
        expect(out.claim).toMatchObject({ status: 'disputed', statusReason });
      }
    });

    it('needs a justification, or PoE added since the rejection (R-DISP-1)', () => {
      const rejected = claimIn('rejected', { latestDocumentAt: plusDays(-5) });
      for (const justification of [undefined, '', '   ']) {
        const e = refuse(rejected, 'dispute', 'partner_writer', { justification });
        expect(e.code).toBe('validation_failed');
        expect(e.errors).toEqual([
          {
            path: 'justification',
            message: 'is required unless PoE was added since the rejection',
            code: 'required',
          },
        ]);
      }
      expect(
        refuse(claimIn('rejected', { latestDocumentAt: plusDays(-1) }), 'dispute', 'partner_writer', {}).code,
      ).toBe('validation_failed');
      const withPoe = claimIn('rejected', { latestDocumentAt: now });
      const out = transition(withPoe, 'dispute', actors.partner_writer, {}, ctx());
      expect(out.claim.status).toBe('disputed');
      expect(out.events[0]?.data).toMatchObject({ justification: null, newPoe: true });
      const both = transition(withPoe, 'dispute', actors.partner_writer, { justification: ' why ' }, ctx());
      expect(both.events[0]?.data).toMatchObject({ justification: 'why', newPoe: true });
    });

    it('allows one dispute only', () => {
      const again = claimIn('rejected', { disputedAt: plusDays(-1) });
      expect(refuse(again, 'dispute', 'partner_writer', { justification: 'again' }).code).toBe(
        'dispute_not_allowed',
      );
    });

    it('closes the window 30 days after the rejection, read from the clock', () => {
      const rejectedAt = plusDays(-30);
      const c = claimIn('rejected', { rejectedAt });
      const p = { justification: 'late but right' };
      expect(transition(c, 'dispute', actors.partner_writer, p, ctx()).claim.status).toBe('disputed');
      const late = ctx({ now: new Date(now.getTime() + 1) });
      expect(refuse(c, 'dispute', 'partner_writer', p, late).code).toBe('dispute_window_closed');
    });

    it('reads the window length from the settings', () => {
      const short = { ...limits, disputeWindowDays: 10 };
      const c = claimIn('rejected', { rejectedAt: plusDays(-11) });
      const e = refuse(c, 'dispute', 'partner_writer', { justification: 'x' }, ctx({ limits: short }));
      expect(e.code).toBe('dispute_window_closed');
      // and the dispute_window deadline a rejection sets follows the same setting
      const out = transition(
        claimIn('in_review'),
        'reject',
        actors.reviewer,
        { reason: 'insufficient_poe', comment: 'c' },
        ctx({ limits: short }),
      );
      expect(out.deadlines).toEqual([{ kind: 'dispute_window', dueAt: plusDays(10) }]);
    });

    it('needs a justification', () => {
      for (const justification of [undefined, '', '  ']) {
        const e = refuse(claimIn('rejected'), 'dispute', 'partner_writer', { justification });
        expect(e.code).toBe('validation_failed');
        expect(e.errors?.[0]?.path).toBe('justification');
      }
    });

    it('upholding leaves the claim rejected for the same reason, with no second dispute', () => {
      const out = transition(
        claimIn('disputed'),
        'resolve_dispute',
        actors.reviewer,
        { outcome: 'uphold', comment: 'no' },
        ctx(),
      );
      expect(out.claim).toMatchObject({ status: 'rejected', statusReason: 'insufficient_poe' });
      expect(out.deadlines).toEqual([]);
      expect(out.messages).toEqual([{ template: 'dispute_decided', to: 'partner_contact' }]);
      expect(out.associations).toBeNull();
      expect(out.events[0]?.data).toMatchObject({ outcome: 'uphold', from: 'disputed', to: 'rejected' });
      expect(disputeEndsAt(out.claim, 30)).toBeNull();
      expect(refuse(out.claim, 'dispute', 'partner_writer', { justification: 'again' }).code).toBe(
        'dispute_not_allowed',
      );
    });

    it('a dispute decision needs an outcome', () => {
      const e = refuse(claimIn('disputed'), 'resolve_dispute', 'reviewer', { comment: 'hm' });
      expect(e.code).toBe('validation_failed');
      expect(e.errors?.[0]?.path).toBe('outcome');
    });
  });

  describe('R-CONS-2 / R-TIME-3: consent', () => {
    it('refuses a denial once the window has closed or consent is no longer pending', () => {
      const closed = claimIn('approved', { consentEndsAt: now });
      expect(refuse(closed, 'customer_deny', 'customer', {}).code).toBe('consent_link_expired');
      const done = claimIn('approved', { consentState: 'completed' });
      expect(refuse(done, 'customer_deny', 'customer', {}).code).toBe('consent_link_expired');
    });

    it('completes consent once only', () => {
      const done = claimIn('approved', { consentState: 'completed' });
      expect(refuse(done, 'complete_consent', 'system', {}).code).toBe('invalid_transition');
    });
  });
});

describe('allowedActions: what each part may do next, per status', () => {
  const routeName: Partial<Record<Action, string>> = {
    submit: 'submit',
    start_review: 'start-review',
    request_information: 'request-information',
    approve: 'approve',
    reject: 'reject',
    withdraw: 'withdraw',
    disassociate: 'disassociate',
    dispute: 'dispute',
    resolve_dispute: 'resolve-dispute',
  };
  const editable: Status[] = ['draft', 'submitted', 'partner_action_required'];
  const grid = statuses.flatMap((status) => parts.map((part) => ({ status, part })));

  it.each(grid)('$status for $part', ({ status, part }) => {
    const expected = (Object.keys(routeName) as Action[])
      .filter((a) => expectedCode(a, status, part) === null)
      .map((a) => routeName[a]);
    if (part === 'partner_writer' && editable.includes(status)) expected.push('edit');
    if (part === 'partner_writer' || part === 'reviewer') expected.push('comment');
    // claimIn('rejected') is a disputable rejection, so it still takes PoE; in review the
    // evidence does not move under the reviewer (R-EDIT-2).
    // An ended claim is final (R-UNIQ-7).
    if (part === 'partner_writer' && status !== 'in_review' && status !== 'ended')
      expected.push('upload-document');
    expect(allowedActions(claimIn(status), actors[part], now, limits).sort()).toEqual(expected.sort());
  });

  it('offers no dispute once the window closed, after a dispute, or for the partner and customer word', () => {
    const has = (c: ClaimState, at = now) =>
      allowedActions(c, actors.partner_writer, at, limits).includes('dispute');
    expect(has(claimIn('rejected'))).toBe(true);
    expect(has(claimIn('rejected'), plusDays(30))).toBe(false);
    expect(has(claimIn('rejected', { disputedAt: plusDays(-1) }))).toBe(false);
    expect(has(claimIn('rejected', { statusReason: 'partner_request' }))).toBe(false);
    expect(has(claimIn('rejected', { statusReason: 'customer_declined' }))).toBe(false);
  });
});

describe('R-EDIT-1/2: every status x field', () => {
  const afterSubmit = ['mpnId', 'products', 'customerContact', 'technicalContact', 'partnerContact'];
  const expectedEditable: Record<Status, readonly string[]> = {
    draft: claimFields,
    submitted: afterSubmit,
    partner_action_required: afterSubmit,
    in_review: [],
    approved: [],
    rejected: [],
    disputed: [],
    ended: [],
  };
  const grid = statuses.flatMap((status) => claimFields.map((field) => ({ status, field })));

  it.each(grid)('$field in $status', ({ status, field }) => {
    const c = claimIn(status);
    const may = expectedEditable[status].includes(field);
    expect(editableFieldsFor(status).includes(field)).toBe(may);
    const e = (() => {
      try {
        authorizeEdit(c, actors.partner_writer, [field]);
        return null;
      } catch (err) {
        return err as DomainError;
      }
    })();
    if (may) {
      expect(e).toBeNull();
    } else {
      expect(e?.code).toBe('edit_not_allowed');
      expect(e?.errors).toEqual([
        {
          path: field,
          message: `cannot change in status ${status}`,
          code: 'not_editable',
          params: { status },
        },
      ]);
    }
  });

  it('names every refused field, and only those', () => {
    const e = errorOf(() =>
      authorizeEdit(claimIn('submitted'), actors.partner_writer, ['products', 'name', 'customer', 'revenue']),
    );
    expect(e.code).toBe('edit_not_allowed');
    expect(e.errors?.map((x) => x.path)).toEqual(['name', 'customer', 'revenue']);
  });

  it.each(statuses)('in %s only the claiming partner admins edit; other partners get 404', (status) => {
    const c = claimIn(status);
    const field = ['name'];
    expect(codeOf(() => authorizeEdit(c, actors.other_partner, field))).toBe('not_found');
    for (const part of ['partner_reader', 'reviewer', 'platform_admin', 'customer', 'system'] as const) {
      expect(codeOf(() => authorizeEdit(c, actors[part], field))).toBe('forbidden');
    }
  });
});

describe('R-POE-2, R-DISP-1: a final rejection takes no more PoE', () => {
  const writer = actors.partner_writer;
  it.each([
    ['withdrawn', claimIn('rejected', { statusReason: 'partner_request' }), now],
    ['denied by the customer', claimIn('rejected', { statusReason: 'customer_declined' }), now],
    ['after the dispute window', claimIn('rejected'), plusDays(31)],
    ['after its one dispute', claimIn('rejected', { disputedAt: plusDays(-1) }), now],
  ])('%s', (_name, c, at) => {
    expect(codeOf(() => authorizeAddDocument(c, writer, at, limits))).toBe('edit_not_allowed');
    expect(allowedActions(c, writer, at, limits)).not.toContain('upload-document');
  });
  it('R-EDIT-2: no PoE while in review', () => {
    const e = errorOf(() => authorizeAddDocument(claimIn('in_review'), writer, now, limits));
    expect(e.code).toBe('edit_not_allowed');
    expect(e.message).toMatch(/in review/);
  });
  it('a disputable rejection and an approved claim still take PoE', () => {
    expect(codeOf(() => authorizeAddDocument(claimIn('rejected'), writer, now, limits))).toBeNull();
    expect(codeOf(() => authorizeAddDocument(claimIn('approved'), writer, now, limits))).toBeNull();
  });
});

describe('R-ROLE-1/2, R-COMM-1, R-POE-2: reading, commenting, documents', () => {
  const grid = statuses.flatMap((status) => parts.map((part) => ({ status, part })));
  it.each(grid)('$status for $part', ({ status, part }) => {
    const c = claimIn(status);
    const a = actors[part];
    const hidden = part === 'other_partner' ? 'not_found' : null;
    expect(codeOf(() => authorizeRead(c, a))).toBe(hidden);
    const canComment = part === 'partner_writer' || part === 'reviewer';
    expect(codeOf(() => authorizeComment(c, a))).toBe(hidden ?? (canComment ? null : 'forbidden'));
    const canAdd = part === 'partner_writer';
    expect(codeOf(() => authorizeAddDocument(c, a, now, limits))).toBe(
      hidden ??
        (!canAdd ? 'forbidden' : status === 'in_review' || status === 'ended' ? 'edit_not_allowed' : null),
    );
    expect(codeOf(() => authorizeDeleteDocument(c, a))).toBe(
      hidden ?? (!canAdd ? 'forbidden' : status === 'draft' ? null : 'edit_not_allowed'),
    );
  });
});

describe('every partner writer role acts alike (R-ROLE-1)', () => {
  it.each(['global_admin', 'billing_admin', 'incentives_admin'] as const)('%s submits', (role) => {
    const out = transition(claimIn('draft'), 'submit', user('u', [role], orgA), {}, ctx());
    expect(out.claim.status).toBe('submitted');
  });
  it('a reader with no writer role cannot', () => {
    expect(codeOf(() => transition(claimIn('draft'), 'submit', user('u', ['reader'], orgA), {}, ctx()))).toBe(
      'forbidden',
    );
  });
});
