// Who may do what with a claim, beside the status changes of the transition table: reading,
// editing (R-EDIT-1/2), commenting (R-COMM-1), adding and deleting PoE (R-POE-2), and the
// list of what a caller may do next (`allowedActions`). Pure.
import { partOf, type Actor, type Part } from './actor.js';
import {
  claimFields,
  editableAfterSubmit,
  informationReasons,
  reviewerRejectionReasons,
  type ClaimField,
  type ClaimState,
  type InformationReason,
  type RejectionReason,
  type Status,
} from './claim.js';
import { disputableNow, disputeEndsAt, poeAddedSinceRejection } from './claim-deadlines.js';
import { rules, routeNames, type Action } from './claim-transitions.js';
import { DomainError, forbidden, notFound } from './errors.js';
import type { Limits } from './limits.js';

/** What `allowedActions` may name: the actions' route names, and what is not a status change. */
export const allowedActionNames = [
  ...Object.values(routeNames),
  'edit',
  'comment',
  'upload-document',
] as const;
export type AllowedAction = (typeof allowedActionNames)[number];

/** What the actor may do next with this claim (status and role only; payload rules apply later). */
const routeActions = Object.entries(routeNames) as [Action, AllowedAction][];

export function allowedActions(c: ClaimState, actor: Actor, now: Date, limits: Limits): AllowedAction[] {
  const part = partOf(actor, c.organizationId);
  const list: AllowedAction[] = [];
  for (const [action, name] of routeActions) {
    const rule = rules[action];
    if (!rule.by.includes(part) || !rule.from.includes(c.status)) continue;
    if (action === 'dispute' && !disputableNow(c, now, limits)) continue;
    list.push(name);
  }
  if (part === 'partner_writer' && editableFieldsFor(c.status).length > 0) list.push('edit');
  if (part === 'partner_writer' || part === 'reviewer') list.push('comment');
  if (part === 'partner_writer' && takesPoe(c, now, limits)) list.push('upload-document');
  return list;
}

/**
 * What this caller may do with the claim and with what (issue 8 point 3), so that a client
 * holds no rule of its own: the fields it may change (R-EDIT-1/2), the reasons it may give
 * when it rejects (R-REJ-1: a reviewer's four) or asks for information (R-PAR-1), whether it
 * may add PoE (R-POE-2), and whether the claim may still be disputed, by its partner, and
 * until when (R-DISP-1/2).
 */
export interface Abilities {
  editableFields: ClaimField[];
  rejectionReasons: RejectionReason[];
  informationReasons: InformationReason[];
  addDocument: boolean;
  dispute: { possible: boolean; until: Date | null; justificationRequired: boolean };
}

/** `allowed`: allowedActions of the same claim, caller and instant, when the caller has them. */
export function abilitiesOf(
  c: ClaimState,
  actor: Actor,
  now: Date,
  limits: Limits,
  allowed: readonly AllowedAction[] = allowedActions(c, actor, now, limits),
): Abilities {
  const until = disputeEndsAt(c, limits.disputeWindowDays);
  return {
    editableFields: allowed.includes('edit') ? [...editableFieldsFor(c.status)] : [],
    rejectionReasons: allowed.includes('reject') ? [...reviewerRejectionReasons] : [],
    informationReasons: allowed.includes('request-information') ? [...informationReasons] : [],
    addDocument: allowed.includes('upload-document'),
    dispute: {
      possible: disputableNow(c, now, limits),
      until,
      justificationRequired: !poeAddedSinceRejection(c),
    },
  };
}

/**
 * R-POE-2, R-EDIT-2, R-DISP-1: PoE is added while the claim can still move: before review,
 * while the partner answers a request, after approval, while disputed, and while a rejection
 * can still be disputed ("with updated PoE"). Never in review: the evidence does not move
 * under the reviewer. A rejection that is final (withdrawn, denied by the customer, window
 * closed, dispute used) takes none: the way forward is a new claim.
 */
function takesPoe(c: ClaimState, now: Date, limits: Limits): boolean {
  // R-UNIQ-7: an ended claim is final, like a final rejection.
  if (c.status === 'in_review' || c.status === 'ended') return false;
  return c.status !== 'rejected' || disputableNow(c, now, limits);
}

/** R-EDIT-1/2: which fields may change in a status. */
export function editableFieldsFor(status: Status): readonly ClaimField[] {
  switch (status) {
    case 'draft':
      return claimFields;
    case 'submitted':
    case 'partner_action_required':
      return editableAfterSubmit;
    case 'in_review':
    case 'approved':
    case 'rejected':
    case 'disputed':
    case 'ended':
      return [];
  }
}

/** R-EDIT-1/2 and R-ROLE-1 for a PATCH: throws unless every changed field may change. */
export function authorizeEdit(c: ClaimState, actor: Actor, fields: string[]): void {
  const part = partOf(actor, c.organizationId);
  if (part === 'other_partner') throw notFound();
  if (part !== 'partner_writer') throw forbidden("Only the claiming partner's admins can edit a claim.");
  const allowed: readonly string[] = editableFieldsFor(c.status);
  const refused = fields.filter((f) => !allowed.includes(f));
  if (refused.length > 0) {
    throw new DomainError(
      'edit_not_allowed',
      allowed.length === 0
        ? `A claim in status ${c.status} cannot be edited.`
        : `In status ${c.status} only ${allowed.join(', ')} can change.`,
      refused.map((path) => ({
        path,
        message: `cannot change in status ${c.status}`,
        code: 'not_editable',
        params: { status: c.status },
      })),
    );
  }
}

/** R-ROLE-1/2, R-COMM-1, R-POE-2: reading, commenting and adding PoE. */
export function authorizeRead(c: ClaimState, actor: Actor): Part {
  const part = partOf(actor, c.organizationId);
  if (part === 'other_partner') throw notFound();
  return part;
}

export function authorizeComment(c: ClaimState, actor: Actor): void {
  const part = authorizeRead(c, actor);
  if (part !== 'partner_writer' && part !== 'reviewer')
    throw forbidden('Your role cannot comment on claims.');
}

export function authorizeAddDocument(c: ClaimState, actor: Actor, now: Date, limits: Limits): void {
  if (authorizeRead(c, actor) !== 'partner_writer')
    throw forbidden("Only the claiming partner's admins can add PoE.");
  if (c.status === 'in_review') {
    throw new DomainError(
      'edit_not_allowed',
      'The claim is in review: its evidence does not change under the reviewer. Comment, or wait for a request for information (R-EDIT-2).',
    );
  }
  if (c.status === 'ended') {
    throw new DomainError(
      'edit_not_allowed',
      'The association of this claim ended: the claim is final (R-UNIQ-7).',
    );
  }
  if (!takesPoe(c, now, limits)) {
    throw new DomainError(
      'edit_not_allowed',
      'This rejection is final: it takes no more PoE. Submit a new claim with updated PoE (R-DISP-1).',
    );
  }
}

export function authorizeDeleteDocument(c: ClaimState, actor: Actor): void {
  if (authorizeRead(c, actor) !== 'partner_writer')
    throw forbidden("Only the claiming partner's admins can delete PoE.");
  if (c.status !== 'draft') {
    throw new DomainError('edit_not_allowed', 'Documents of a submitted claim are kept for good (R-POE-2).');
  }
}
