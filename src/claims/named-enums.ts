// The domain's enums as named schemas: each is one component of the OpenAPI document
// (`#/components/schemas/ClaimStatus`...), so that the web UI's generated types and values
// (web/src/api-schema.ts) name them once, as the server does (issue 8 point 2).
import { z } from 'zod';
import { partnerRoles, staffRoles } from '../domain/actor.js';
import {
  activities,
  claimFields,
  informationReasons,
  rejectionReasons,
  reviewerRejectionReasons,
  reviewQueueStatuses,
  solutionAreas,
  statuses,
} from '../domain/claim.js';
import { allowedActionNames } from '../domain/claim-policy.js';
import { outcomes } from '../domain/claim-outcome.js';
import { languages } from '../domain/languages.js';

export const claimStatus = z.enum(statuses).meta({ id: 'ClaimStatus', description: 'domain.md statuses' });
export const reviewQueueStatus = z.enum(reviewQueueStatuses).meta({
  id: 'ReviewQueueStatus',
  description: 'A status of the claims waiting for a reviewer (the review queue)',
});
export const solutionArea = z.enum(solutionAreas).meta({ id: 'SolutionArea' });
export const activity = z.enum(activities).meta({ id: 'Activity' });
export const informationReason = z
  .enum(informationReasons)
  .meta({ id: 'InformationReason', description: 'What a reviewer may ask for (R-PAR-1)' });
export const rejectionReason = z
  .enum(rejectionReasons)
  .meta({ id: 'RejectionReason', description: 'Why a claim was rejected (R-REJ-1/2)' });
export const reviewerRejectionReason = z.enum(reviewerRejectionReasons).meta({
  id: 'ReviewerRejectionReason',
  description:
    'The rejection reasons a reviewer may pick (R-REJ-1); the others are set by the partner, the customer or the clock',
});
export const claimAction = z
  .enum(allowedActionNames)
  .meta({ id: 'ClaimAction', description: 'What a caller may do to a claim (allowedActions)' });
export const claimField = z
  .enum(claimFields)
  .meta({ id: 'ClaimField', description: 'A field of a claim that a PATCH may change (R-EDIT-1/2)' });
export const partnerRole = z.enum(partnerRoles).meta({
  id: 'PartnerRole',
  description: "A role in a partner organization (R-ROLE-1): needs the user's organization",
});
export const staffRole = z
  .enum(staffRoles)
  .meta({ id: 'StaffRole', description: 'A role of the programme (R-ROLE-3): no organization' });
export const role = z.union([partnerRole, staffRole]).meta({ id: 'Role' });
export const language = z.enum(languages).meta({ id: 'Language' });
export const claimOutcome = z.enum(outcomes).meta({
  id: 'ClaimOutcome',
  description:
    'How a rejected or ended claim ended (issue 13 point 2): withdrawn by the partner, denied by the customer, no partner response in time, rejected by a reviewer, disassociated by the partner, or ended (superseded, subscription expired)',
});
