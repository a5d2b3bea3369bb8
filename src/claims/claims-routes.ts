// HTTP only: parse, call the use case, present. Rules live in domain/.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Deps } from '../deps.js';
import { checkProgram } from '../domain/claim-rules.js';
import { routeNames, type Payload, type RoutedAction } from '../domain/claim-transitions.js';
import { DomainError } from '../domain/errors.js';
import { idempotent } from '../http/idempotency.js';
import { claimsCsv } from './claims-export.js';
import { addComment } from './commands/add-comment.js';
import type { ClaimInput } from './commands/claim-input.js';
import { createClaim } from './commands/create-claim.js';
import { editClaim } from './commands/edit-claim.js';
import { runClaimAction } from './commands/run-claim-action.js';
import {
  claimComments,
  claimHistory,
  commentOf,
  verifyClaimHistory,
  competingClaims,
  getClaimView,
  listClaims,
  presentComment,
  viewOf,
} from './claims-queries.js';
import {
  actionBodies,
  claimParams,
  commentBody,
  createClaimBody,
  listClaimsQuery,
  patchClaimBody,
} from './claims-schemas.js';

const tags = ['claims'];

/** `If-Match: "3"` (or W/"3", or 3) -> 3. */
export function ifMatchVersion(req: FastifyRequest): number | undefined {
  const h = req.headers['if-match'];
  // RFC 9110: "*" matches whatever version the claim has now.
  if (h === undefined || String(h).trim() === '*') return undefined;
  const m = /^(?:W\/)?"?(\d+)"?$/.exec(String(h).trim());
  if (!m) throw new DomainError('precondition_failed', 'If-Match must be the ETag of the claim, e.g. "3".');
  return Number(m[1]);
}

function withEtag(reply: FastifyReply, view: { version: number }) {
  void reply.header('ETag', `"${view.version}"`);
  return view;
}

// The route of each action is its name in `routeNames` (the transition table's file), the
// same name `allowedActions` answers with.
const actionRoutes: { action: RoutedAction; summary: string }[] = [
  { action: 'submit', summary: 'Submit a draft, or resubmit after a request for information (R-SUB-1)' },
  { action: 'start_review', summary: 'Reviewer: start reviewing the PoE' },
  { action: 'request_information', summary: 'Reviewer: ask the partner for more information (R-PAR-1)' },
  { action: 'approve', summary: 'Reviewer: approve; supersede transfers a held workload (R-UNIQ-5)' },
  { action: 'reject', summary: 'Reviewer: reject with a reason (R-REJ-1)' },
  { action: 'withdraw', summary: 'Partner: ask to have its own claim rejected (R-REJ-2)' },
  { action: 'disassociate', summary: 'Partner: end an approved association (R-REJ-2)' },
  { action: 'dispute', summary: 'Partner: dispute a rejection within the window (R-DISP-1/2)' },
  { action: 'resolve_dispute', summary: 'Reviewer: overturn or uphold a dispute' },
];

export function claimsRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/claims',
      { schema: { tags, summary: 'Create a draft claim', body: createClaimBody } },
      async (req, reply) => {
        const actor = req.actor;
        checkProgram(req.body);
        const { program: _program, ...input } = req.body;
        return idempotent(
          deps,
          req,
          reply,
          201,
          async () =>
            withEtag(reply, await viewOf(deps, actor, await createClaim(deps, actor, input as ClaimInput))),
          async (id) => withEtag(reply, await getClaimView(deps, actor, id)),
        );
      },
    );

    app.get(
      '/claims',
      {
        schema: { tags, summary: 'List claims (newest first, or by due date)', querystring: listClaimsQuery },
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
      '/claims/:id',
      { schema: { tags, summary: 'Read a claim', params: claimParams } },
      async (req, reply) => withEtag(reply, await getClaimView(deps, req.actor, req.params.id)),
    );

    app.patch(
      '/claims/:id',
      {
        schema: {
          tags,
          summary: 'Edit a claim, as its status allows (R-EDIT-1/2)',
          params: claimParams,
          body: patchClaimBody,
        },
      },
      async (req, reply) => {
        const actor = req.actor;
        checkProgram(req.body);
        const { program: _program, ...input } = req.body;
        const claim = await editClaim(deps, {
          actor,
          claimId: req.params.id,
          input: input as ClaimInput,
          ifMatch: ifMatchVersion(req),
        });
        return withEtag(reply, await viewOf(deps, actor, claim));
      },
    );

    for (const { action, summary } of actionRoutes) {
      const route = routeNames[action];
      app.post(
        `/claims/:id/${route}`,
        { schema: { tags, summary, params: claimParams, body: actionBodies[route] } },
        async (req, reply) => {
          const actor = req.actor;
          const claim = await runClaimAction(deps, {
            actor,
            claimId: req.params.id,
            action,
            payload: (req.body ?? {}) as Payload,
            ifMatch: ifMatchVersion(req),
          });
          return withEtag(reply, await viewOf(deps, actor, claim));
        },
      );
    }

    app.get(
      '/claims/:id/history',
      { schema: { tags, summary: 'The claim history, oldest first (R-HIST-1)', params: claimParams } },
      async (req) => claimHistory(deps, req.actor, req.params.id),
    );
    app.get(
      '/claims/:id/history/verify',
      {
        schema: {
          tags,
          summary: "Recomputes the claim history's hash chain: {valid, length, brokenAt} (R-HIST-1)",
          params: claimParams,
        },
      },
      async (req) => verifyClaimHistory(deps, req.actor, req.params.id),
    );
    app.get(
      '/claims/:id/comments',
      { schema: { tags, summary: 'Comments (R-COMM-1)', params: claimParams } },
      async (req) => claimComments(deps, req.actor, req.params.id),
    );
    app.post(
      '/claims/:id/comments',
      { schema: { tags, summary: 'Add a comment', params: claimParams, body: commentBody } },
      async (req, reply) => {
        const actor = req.actor;
        return idempotent(
          deps,
          req,
          reply,
          201,
          async () =>
            presentComment(await addComment(deps, { actor, claimId: req.params.id, text: req.body.text })),
          async (commentId) => commentOf(deps, actor, req.params.id, commentId),
        );
      },
    );
    app.get(
      '/claims/:id/competing',
      {
        schema: {
          tags,
          summary: 'Reviewers: competing claims of other partners (R-UNIQ-5)',
          params: claimParams,
        },
      },
      async (req) => competingClaims(deps, req.actor, req.params.id),
    );
  };
}
