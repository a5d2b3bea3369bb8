// Request and response schemas of the claim routes (zod): they validate requests and
// generate the OpenAPI document.
import { z } from 'zod';
import {
  activity,
  claimAction,
  claimOutcome,
  claimField,
  claimStatus,
  informationReason,
  language,
  rejectionReason,
  reviewerRejectionReason,
  solutionArea,
} from './named-enums.js';
import { cporPrograms, informationReasons, otherPrograms, statuses } from '../domain/claim.js';
import { claimSorts } from './claims-repository.js';

/** Text PostgreSQL can store: its text and jsonb types refuse NUL characters (a 500 otherwise). */
const storable = (s: z.ZodString) =>
  s.refine((v) => !v.includes('\u0000'), 'must not contain NUL characters');

// Free text is shown to others (the UI, mails, CSV, history): no control characters (a CR/LF
// in a name splits a CSV row or a mail header) and no bidirectional embeddings, overrides or
// isolates, which make text show in another order than it is stored (a spoofed name; "Trojan
// Source", CVE-2021-42574). Multi-line text keeps tab and line breaks.
// eslint-disable-next-line no-control-regex -- control characters are what these refuse
const controls = /[\u0000-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex -- as above, less tab, LF and CR
const multilineControls = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const bidiControls = /[\u202a-\u202e\u2066-\u2069]/;
const shown = (s: z.ZodString, multiline: boolean) =>
  s
    .refine(
      (v) => !(multiline ? multilineControls : controls).test(v),
      multiline
        ? 'must not contain control characters'
        : 'must not contain line breaks, tabs or control characters',
    )
    .refine((v) => !bidiControls.test(v), 'must not contain bidirectional control characters');
/** One line of free text (a name, a title). */
export const text = (max: number) => shown(z.string().trim().min(1).max(max), false);
/** Free text that may span lines (a comment, a reason). */
export const multilineText = (max: number) => shown(z.string().trim().min(1).max(max), true);
/** Single-line or multi-line text that may be empty. */
export const optionalText = (max: number, multiline = false) => shown(z.string().trim().max(max), multiline);
export const guid = z
  .string()
  .regex(
    /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
    'must be a GUID (directory ID)',
  );
export const domainName = z
  .string()
  .max(253)
  .regex(
    /^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]{2,63}$/,
    'must be a DNS name such as contoso.onmicrosoft.com',
  );
export const mpnId = z.string().regex(/^[0-9]{6,8}$/, 'must be 6 to 8 digits');
export const email = z.email().max(254);

const contact = z.strictObject({
  name: text(200).optional(),
  title: text(200).optional(),
  email: email.optional(),
  /** Language of the mails this contact gets; else the organization's. */
  language: language.optional(),
});

const claimFields = {
  name: text(200).nullable(),
  mpnId: mpnId.nullable(),
  customer: z
    .strictObject({ domain: domainName.nullable().optional(), tenantId: guid.nullable().optional() })
    .nullable(),
  solutionArea: solutionArea.nullable(),
  activity: activity.nullable(),
  products: z
    .array(z.strictObject({ productId: text(100), subscriptionId: text(100).nullable().optional() }))
    .max(50),
  customerContact: contact.nullable(),
  technicalContact: contact.nullable(),
  partnerContact: z.strictObject({ name: text(200).optional(), email: email.optional() }).nullable(),
  revenue: z
    .strictObject({
      solutionSellerName: text(200).optional(),
      customerName: text(200).optional(),
      isvSolutionName: text(200).optional(),
    })
    .nullable(),
};

/** R-SCOPE-1: the incentive program, when the caller says which; other programs are refused. */
export const program = z.enum([...cporPrograms, ...otherPrograms]);

export const createClaimBody = z.strictObject({ ...claimFields, program: program.nullable() }).partial();

export const patchClaimBody = createClaimBody;

export const claimParams = z.strictObject({ id: storable(z.string().max(100)) });

export const listClaimsQuery = z.strictObject({
  status: z
    .string()
    .transform((s) => s.split(','))
    .pipe(z.array(z.enum(statuses)))
    .optional(),
  solutionArea: solutionArea.optional(),
  tenantId: guid.optional(),
  mpnId: mpnId.optional(),
  q: storable(z.string().max(200))
    .optional()
    .meta({ description: "Part of the claim's name, customer domain or partner's name; or an MPN ID" }),
  overdue: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  outcome: z
    .string()
    .transform((s) => s.split(','))
    .pipe(z.array(claimOutcome))
    .optional()
    .meta({ description: 'Rejected or ended claims with these outcomes (comma-separated)' }),
  sort: z
    .enum(claimSorts)
    .optional()
    .meta({
      description:
        'newest (created, newest first; the default), oldest (created, oldest first) or due ' +
        '(the next deadline first, none last)',
    }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
  format: z.enum(['json', 'csv']).optional(),
});

/** The list's filters, without its order and paging: what `GET /claims/count` counts. */
export const countClaimsQuery = listClaimsQuery.omit({ sort: true, limit: true, cursor: true, format: true });

// R-PAR-1's five points, and R-CONS-3's `customer_contact_verified` (approval of a claim
// whose tenant's domains the directory does not know).
const checklist = z
  .partialRecord(z.enum([...informationReasons, 'customer_contact_verified']), z.boolean())
  .optional();
const comment = optionalText(5000, true);

export const actionBodies = {
  submit: z.strictObject({ comment: comment.optional() }).nullish(),
  'start-review': z.strictObject({ comment: comment.optional() }).nullish(),
  'request-information': z.strictObject({
    reasons: z.array(informationReason).min(1).max(5),
    comment: comment,
    checklist,
  }),
  approve: z
    .strictObject({ comment: comment.optional(), supersede: z.boolean().optional(), checklist })
    .nullish(),
  reject: z.strictObject({ reason: reviewerRejectionReason, comment: comment, checklist }),
  withdraw: z.strictObject({ comment: comment.optional() }).nullish(),
  disassociate: z.strictObject({ reason: multilineText(2000) }),
  dispute: z.strictObject({ justification: optionalText(5000, true).optional() }),
  'resolve-dispute': z.strictObject({
    outcome: z.enum(['overturn', 'uphold']),
    comment: comment,
    supersede: z.boolean().optional(),
    // An overturn approves: R-CONS-3's `customer_contact_verified` as for approve.
    checklist,
  }),
} as const;

export const commentBody = z.strictObject({ text: multilineText(5000) });

// ---- Answers (what the server sends; the zod serializer checks each answer against them) ----

const dateTime = z.iso.datetime();
const actionName = claimAction;

const abilities = z
  .strictObject({
    editableFields: z
      .array(claimField)
      .meta({ description: 'The fields this caller may change now (R-EDIT-1/2); empty: no edit' }),
    rejectionReasons: z
      .array(rejectionReason)
      .meta({ description: 'The reasons this caller may give when it rejects (R-REJ-1); empty: no reject' }),
    informationReasons: z
      .array(informationReason)
      .meta({ description: 'What this caller may ask the partner for (R-PAR-1); empty: it may not ask' }),
    addDocument: z.boolean().meta({ description: 'Whether this caller may add PoE now (R-POE-2)' }),
    dispute: z
      .strictObject({
        possible: z.boolean().meta({
          description: "Whether the rejection may still be disputed, by the claim's partner (R-DISP-1/2)",
        }),
        until: dateTime.nullable().meta({ description: 'When the dispute window closes; null: never open' }),
        justificationRequired: z.boolean().meta({
          description:
            'A dispute needs a written justification: no PoE was added since the rejection (R-DISP-1)',
        }),
      })
      .meta({ description: 'Whether the claim may still be disputed, whoever asks' }),
  })
  .meta({ id: 'ClaimAbilities', description: 'What this caller may do with the claim, and with what' });

const contactView = z.strictObject({
  name: z.string(),
  title: z.string().optional(),
  email: z.string(),
  language: language.optional(),
});

// Issue 13 point 5: what the status banner puts on top, from the claim's history (R-HIST-1).
const said = { at: dateTime, by: z.string() };
const claimContext = z
  .strictObject({
    reviewerComment: z
      .strictObject({ text: z.string(), ...said })
      .nullable()
      .meta({ description: "A reviewer's latest comment, in the comments or with a decision" }),
    rejection: z
      .strictObject({ reason: rejectionReason, comment: z.string().nullable(), ...said })
      .nullable()
      .meta({ description: 'The latest rejection: its reason and comment' }),
    dispute: z
      .strictObject({
        justification: z.string().nullable(),
        newPoe: z.boolean().meta({ description: 'PoE was added since the rejection (R-DISP-1)' }),
        ...said,
        decision: z
          .strictObject({ outcome: z.enum(['overturn', 'uphold']), comment: z.string().nullable(), ...said })
          .nullable(),
      })
      .nullable()
      .meta({ description: "The latest dispute, its justification and the reviewer's decision, if any" }),
    customerDenial: z
      .strictObject({ reason: z.string().nullable(), at: dateTime })
      .nullable()
      .meta({ description: "The customer's denial of consent and its reason (R-CONS-2)" }),
    disassociation: z
      .strictObject({ reason: z.string(), ...said })
      .nullable()
      .meta({ description: "The partner's reason for ending the association (R-REJ-2)" }),
  })
  .meta({ id: 'ClaimContext' });

const claimProduct = z.strictObject({ productId: z.string(), subscriptionId: z.string().nullable() });

export const claimView = z
  .strictObject({
    id: z.string(),
    name: z.string().nullable(),
    status: claimStatus,
    statusReason: z
      .string()
      .nullable()
      .meta({ description: 'Why the claim is in its status, e.g. a rejection reason' }),
    outcome: claimOutcome
      .nullable()
      .meta({ description: 'How a rejected or ended claim ended; null otherwise' }),
    organizationId: z.string(),
    organizationName: z.string().nullable(),
    mpnId: z.string().nullable(),
    customer: z.strictObject({ domain: z.string().nullable(), tenantId: z.string().nullable() }),
    solutionArea: solutionArea.nullable(),
    activity: activity.nullable(),
    products: z.array(claimProduct),
    customerContact: contactView.nullable(),
    customerContactCheck: z
      .enum(['at_tenant_domain', 'outside_tenant_domains', 'reviewer_required'])
      .nullable()
      .meta({
        description:
          "Reviewers and platform admins (null for partners, and before there is an address): whether the customer contact's address is at one of the tenant's domains the directory knows, or a reviewer must confirm it (checklist `customer_contact_verified` on approval; domain.md R-CONS-3)",
      }),
    technicalContact: contactView.nullable(),
    partnerContact: contactView.nullable(),
    revenue: z
      .strictObject({ solutionSellerName: z.string(), customerName: z.string(), isvSolutionName: z.string() })
      .nullable(),
    requestedInformation: z
      .strictObject({ reasons: z.array(informationReason), comment: z.string(), dueAt: dateTime })
      .nullable(),
    dueAt: dateTime.nullable(),
    dueKind: z.string().nullable(),
    overdue: z.boolean(),
    consent: z
      .strictObject({ state: z.enum(['pending', 'completed', 'denied']), endsAt: dateTime.nullable() })
      .nullable(),
    disputeEndsAt: dateTime.nullable(),
    documentCount: z.number().int(),
    latestDocumentAt: dateTime.nullable().meta({ description: 'When the latest PoE document was added' }),
    associations: z.array(
      z.strictObject({
        productId: z.string(),
        subscriptionId: z.string().nullable(),
        since: dateTime,
        endedAt: dateTime.nullable(),
        endReason: z.string().nullable(),
      }),
    ),
    version: z.number().int().meta({ description: 'Moves with every change; the ETag is "<version>"' }),
    createdAt: dateTime,
    updatedAt: dateTime,
    submittedAt: dateTime.nullable(),
    decidedAt: dateTime.nullable(),
    allowedActions: z.array(actionName).meta({ description: 'What this caller may do now' }),
    abilities: abilities,
    context: claimContext.optional().meta({
      description: 'Reading one claim (not in lists): the latest words behind its status, from its history',
    }),
  })
  .meta({ id: 'Claim' });

export const claimCount = z
  .strictObject({
    count: z.number().int().min(0).meta({
      description: 'The claims the filters keep; when `exact` is false, at least this many (the cap, 10000)',
    }),
    exact: z.boolean().meta({ description: 'false: more claims than `count` match; counting stopped there' }),
  })
  .meta({ id: 'ClaimCount', description: 'How many claims a filter set keeps, counted up to a cap' });

export const claimList = z
  .strictObject({ items: z.array(claimView), nextCursor: z.string().nullable() })
  .meta({ id: 'ClaimList' });

const personRef = z.strictObject({ id: z.string().nullable(), name: z.string(), role: z.string() });

export const historyList = z
  .strictObject({
    items: z.array(
      z.strictObject({
        seq: z.number().int().meta({ description: 'Position in the chain, from 1' }),
        at: dateTime,
        type: z.string().meta({ description: 'The event: an action, deadline_moved, sla_overdue...' }),
        actor: personRef,
        data: z.record(z.string(), z.unknown()).nullable(),
        prevHash: z
          .string()
          .nullable()
          .meta({ description: "The previous entry's hash (null for the first)" }),
        hash: z.string().meta({ description: 'SHA-256 over this entry and prevHash (R-HIST-1)' }),
      }),
    ),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'History' });

export const historyVerdict = z
  .strictObject({
    valid: z.boolean(),
    length: z.number().int(),
    brokenAt: z.number().int().nullable().meta({ description: 'The first seq that does not hold, or null' }),
  })
  .meta({ id: 'HistoryVerdict' });

export const commentView = z
  .strictObject({ id: z.string(), text: z.string(), author: personRef, createdAt: dateTime })
  .meta({ id: 'Comment' });

export const commentList = z
  .strictObject({ items: z.array(commentView), nextCursor: z.string().nullable() })
  .meta({ id: 'CommentList' });

export const competingList = z
  .strictObject({
    claim: z.strictObject({ id: z.string(), latestPoeAt: dateTime.nullable() }),
    items: z.array(
      claimView.extend({ latestPoeAt: dateTime.nullable(), sharedProducts: z.array(claimProduct) }),
    ),
  })
  .meta({ id: 'CompetingClaims' });
