// HTTP only: parse, call the use case, present. Rules live in domain/.
import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { checkProgram } from '../domain/claim-rules.js';
import { routeNames, type Payload, type RoutedAction } from '../domain/claim-transitions.js';
import { idempotent } from '../http/idempotency.js';
import { claimEtag, ifMatchVersion, withEtag } from '../http/preconditions.js';
import { answers, bodyErrors, csvText, fieldError, ok, okAs, pageQuery } from '../http/contract.js';
import { withCode } from '../http/errors.js';
import { claimsCsv } from './claims-export.js';
import { addComment } from './commands/add-comment.js';
import type { ClaimInput } from './commands/claim-input.js';
import { createClaim } from './commands/create-claim.js';
import { editClaim } from './commands/edit-claim.js';
import { runClaimAction } from './commands/run-claim-action.js';
import { claimReadiness } from './commands/submit-check.js';
import {
  claimComments,
  claimHistory,
  commentOf,
  verifyClaimHistory,
  competingClaims,
  countClaims,
  getClaimView,
  listClaims,
  presentComment,
  viewIn,
  viewOf,
} from './claims-queries.js';
import {
  actionBodies,
  claimCount,
  claimList,
  claimParams,
  claimView,
  commentBody,
  commentList,
  commentView,
  competingList,
  countClaimsQuery,
  createClaimBody,
  historyList,
  historyVerdict,
  listClaimsQuery,
  patchClaimBody,
} from './claims-schemas.js';

const tags = ['claims'];

// The route of each action is its name in `routeNames` (the transition table's file), the
// same name `allowedActions` answers with.
const actionRoutes: { action: RoutedAction; operationId: string; summary: string }[] = [
  {
    action: 'submit',
    operationId: 'submitClaim',
    summary: 'Submit a draft, or resubmit after a request for information (R-SUB-1)',
  },
  { action: 'start_review', operationId: 'startReview', summary: 'Reviewer: start reviewing the PoE' },
  {
    action: 'request_information',
    operationId: 'requestInformation',
    summary: 'Reviewer: ask the partner for more information (R-PAR-1)',
  },
  {
    action: 'approve',
    operationId: 'approveClaim',
    summary: 'Reviewer: approve; supersede transfers a held workload (R-UNIQ-5)',
  },
  { action: 'reject', operationId: 'rejectClaim', summary: 'Reviewer: reject with a reason (R-REJ-1)' },
  {
    action: 'withdraw',
    operationId: 'withdrawClaim',
    summary: 'Partner: ask to have its own claim rejected (R-REJ-2)',
  },
  {
    action: 'disassociate',
    operationId: 'disassociateClaim',
    summary: 'Partner: end an approved association (R-REJ-2)',
  },
  {
    action: 'dispute',
    operationId: 'disputeClaim',
    summary: 'Partner: dispute a rejection within the window (R-DISP-1/2)',
  },
  {
    action: 'resolve_dispute',
    operationId: 'resolveDispute',
    summary: 'Reviewer: overturn or uphold a dispute',
  },
];

const readiness = z
  .strictObject({
    ready: z.boolean().meta({ description: 'Submit would accept the claim now' }),
    errors: z.array(fieldError).meta({
      description:
        'Every field problem submit would answer (R-SUB-1, R-FIELD-1..4, R-UNIQ-6), as in its 422 / 409; empty when ready',
    }),
  })
  .meta({ id: 'ClaimReadiness' });

const theClaim = ok(claimView, 'The claim as it is now; ETag: its version');
/** A claim write: who may (403), which claim (404), its status (409), If-Match (412). */
const claimWriteErrors = [...bodyErrors, 403, 404, 409, 412] as const;

export function claimsRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/claims',
      {
        schema: {
          tags,
          operationId: 'createClaim',
          summary: 'Create a draft claim',
          body: createClaimBody,
          // 409: a request with the same Idempotency-Key is still running.
          response: answers(
            { 201: ok(claimView, 'The new draft; ETag: its version') },
            ...bodyErrors,
            403,
            409,
          ),
        },
      },
      async (req, reply) => {
        const actor = req.actor;
        checkProgram(req.body);
        const { program: _program, ...input } = req.body;
        return idempotent(
          deps,
          req,
          reply,
          201,
          async () => createClaim(deps, actor, input as ClaimInput, viewIn(deps, actor)),
          async (id) => getClaimView(deps, actor, id),
          { etagOf: claimEtag },
        );
      },
    );

    app.get(
      '/claims',
      {
        schema: {
          tags,
          operationId: 'listClaims',
          summary: 'List claims (newest or oldest first, by last change, or by due date)',
          querystring: listClaimsQuery,
          response: answers(
            {
              200: okAs(
                {
                  'application/json': { schema: claimList },
                  'text/csv': csvText,
                },
                'A page of claims, or all of them as CSV',
              ),
            },
            401,
            403,
            422,
          ),
        },
      },
      async (req, reply) => {
        const actor = req.actor;
        const { format, ...filters } = req.query;
        if (format !== 'csv') return listClaims(deps, actor, filters);
        return reply
          .type('text/csv; charset=utf-8')
          .header('Content-Disposition', 'attachment; filename="claims.csv"')
          .send(Readable.from(claimsCsv(deps, actor, filters)));
      },
    );

    app.get(
      '/claims/count',
      {
        schema: {
          tags,
          operationId: 'countClaims',
          summary: "How many claims the list's filters keep, counted exactly up to 10000",
          querystring: countClaimsQuery,
          response: answers({ 200: ok(claimCount, 'The count, and whether it is exact') }, 401, 403, 422),
        },
      },
      async (req) => countClaims(deps, req.actor, req.query),
    );

    app.get(
      '/claims/:id',
      {
        schema: {
          tags,
          operationId: 'getClaim',
          summary: 'Read a claim',
          params: claimParams,
          response: answers({ 200: theClaim }, 401, 404, 422),
        },
      },
      async (req, reply) => withEtag(reply, await getClaimView(deps, req.actor, req.params.id)),
    );

    app.patch(
      '/claims/:id',
      {
        schema: {
          tags,
          operationId: 'editClaim',
          summary: 'Edit a claim, as its status allows (R-EDIT-1/2)',
          params: claimParams,
          body: patchClaimBody,
          response: answers({ 200: theClaim }, ...claimWriteErrors),
        },
      },
      async (req, reply) => {
        const actor = req.actor;
        checkProgram(req.body);
        const { program: _program, ...input } = req.body;
        const view = await editClaim(
          deps,
          { actor, claimId: req.params.id, input: input as ClaimInput, ifMatch: ifMatchVersion(req) },
          viewIn(deps, actor),
        );
        return withEtag(reply, view);
      },
    );

    for (const { action, operationId, summary } of actionRoutes) {
      const route = routeNames[action];
      app.post(
        `/claims/:id/${route}`,
        {
          schema: {
            tags,
            operationId,
            summary,
            params: claimParams,
            body: actionBodies[route],
            response: answers({ 200: theClaim }, ...claimWriteErrors),
          },
        },
        async (req, reply) => {
          const actor = req.actor;
          const request = {
            actor,
            claimId: req.params.id,
            action,
            payload: (req.body ?? {}) as Payload,
            ifMatch: ifMatchVersion(req),
          };
          // The view in the action's own transaction, but for a customer (its consent scope
          // sees the one claim: the view is read as the customer, as before).
          const view =
            actor.kind === 'customer'
              ? await viewOf(deps, actor, await runClaimAction(deps, request))
              : await runClaimAction(deps, request, viewIn(deps, actor));
          return withEtag(reply, view);
        },
      );
    }

    app.get(
      '/claims/:id/check',
      {
        schema: {
          tags,
          operationId: 'checkClaim',
          summary:
            'What submit would refuse now, by field, without submitting (the wizard checks each step with it)',
          params: claimParams,
          response: answers(
            { 200: ok(readiness, 'Whether the claim can be submitted, and why not') },
            401,
            404,
            422,
          ),
        },
      },
      async (req) => {
        const r = await claimReadiness(deps, req.actor, req.params.id);
        return { ready: r.ready, errors: r.errors.map(withCode) };
      },
    );

    app.get(
      '/claims/:id/history',
      {
        schema: {
          tags,
          operationId: 'claimHistory',
          summary: 'The claim history, oldest first (R-HIST-1)',
          params: claimParams,
          querystring: z.strictObject(pageQuery),
          response: answers(
            { 200: ok(historyList, 'The events, oldest first, a page at a time') },
            401,
            404,
            422,
          ),
        },
      },
      async (req) => claimHistory(deps, req.actor, req.params.id, req.query),
    );
    app.get(
      '/claims/:id/history/verify',
      {
        schema: {
          tags,
          operationId: 'verifyClaimHistory',
          summary: "Recomputes the claim history's hash chain: {valid, length, brokenAt} (R-HIST-1)",
          params: claimParams,
          response: answers({ 200: ok(historyVerdict, 'Whether the chain holds') }, 401, 404, 422),
        },
      },
      async (req) => verifyClaimHistory(deps, req.actor, req.params.id),
    );
    app.get(
      '/claims/:id/comments',
      {
        schema: {
          tags,
          operationId: 'listComments',
          summary: 'Comments (R-COMM-1)',
          params: claimParams,
          querystring: z.strictObject(pageQuery),
          response: answers(
            { 200: ok(commentList, 'The comments, oldest first, a page at a time') },
            401,
            404,
            422,
          ),
        },
      },
      async (req) => claimComments(deps, req.actor, req.params.id, req.query),
    );
    app.post(
      '/claims/:id/comments',
      {
        schema: {
          tags,
          operationId: 'addComment',
          summary: 'Add a comment',
          params: claimParams,
          body: commentBody,
          // 412: If-Match names a version the claim no longer has.
          response: answers(
            { 201: ok(commentView, "The new comment; the claim's version moved") },
            ...bodyErrors,
            403,
            404,
            409,
            412,
          ),
        },
      },
      async (req, reply) => {
        const actor = req.actor;
        return idempotent(
          deps,
          req,
          reply,
          201,
          async () =>
            presentComment(
              await addComment(deps, {
                actor,
                claimId: req.params.id,
                text: req.body.text,
                ifMatch: ifMatchVersion(req),
              }),
            ),
          async (commentId) => commentOf(deps, actor, req.params.id, commentId),
        );
      },
    );
    app.get(
      '/claims/:id/competing',
      {
        schema: {
          tags,
          operationId: 'competingClaims',
          summary: 'Reviewers: competing claims of other partners (R-UNIQ-5)',
          params: claimParams,
          response: answers(
            { 200: ok(competingList, "Other partners' claims on the same workloads or subscriptions") },
            401,
            403,
            404,
            422,
          ),
        },
      },
      async (req) => competingClaims(deps, req.actor, req.params.id),
    );
  };
}
