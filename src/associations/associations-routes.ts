// Associations in force (R-UNIQ-2), availability before submitting (R-UNIQ-3), and the
// evaluation feed of associations whose consent window completed (R-TIME-3).
import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { forbidden } from '../domain/errors.js';
import { answers, bodyErrors, csvText, okAs, ok, pageQuery } from '../http/contract.js';
import { guid, text } from '../claims/claims-schemas.js';
import { visibleOrganization } from '../claims/claims-queries.js';
import { loadTenant } from '../claims/claims-repository.js';
import { withCaller } from '../db/transaction.js';
import { associationsInForce, claimantsOf, completedConsents, holdersOf } from './associations-repository.js';
import { associationsCsv, pageOf } from './associations-queries.js';
import { answerImport, importQuery, importReport } from '../claims/claims-import-routes.js';
import { importLegacyAssociations, legacyImportLimits, readLegacyCsv } from './associations-import.js';

const pendingStatuses = ['submitted', 'in_review', 'partner_action_required', 'disputed'] as const;

/** api.md "Lists": every list pages the same way. */
const paging = {
  ...pageQuery,
};

const dateTime = z.iso.datetime();
const associationView = z
  .strictObject({
    id: z.string(),
    claimId: z.string().nullable().meta({ description: 'null: recorded before cpor (legacy)' }),
    organizationId: z.string(),
    mpnId: z.string(),
    tenantId: z.string(),
    productId: z.string(),
    subscriptionId: z.string().nullable(),
    scope: z.enum(['workload', 'subscription']),
    since: dateTime,
    expiresAt: dateTime.nullable(),
    legacy: z.boolean().meta({ description: 'Imported by a platform admin, held before cpor (R-UNIQ-4)' }),
    consentState: z.enum(['pending', 'completed', 'legacy']),
    consentCompletedAt: dateTime.nullable(),
    endedAt: dateTime.nullable(),
    endReason: z.string().nullable(),
  })
  .meta({ id: 'Association' });
const associationList = z
  .strictObject({ items: z.array(associationView), nextCursor: z.string().nullable() })
  .meta({ id: 'AssociationList' });
/** The list as JSON, or as CSV with ?format=csv. */
const listOrCsv = (description: string) =>
  okAs(
    {
      'application/json': { schema: associationList },
      'text/csv': csvText,
    },
    description,
  );
const availabilityView = z
  .strictObject({
    available: z.boolean(),
    reason: z.enum(['yours', 'associated', 'claim_pending', 'unknown_subscription']).nullable().meta({
      description:
        'Why not: held by the caller (yours), by another partner (associated), claimed and pending (claim_pending), or, when the directory knows the tenant, not one of its subscriptions of this product (unknown_subscription)',
    }),
    heldByYou: z
      .boolean()
      .meta({ description: "True when it is the caller's own organization that holds it" }),
  })
  .meta({ id: 'Availability' });

/** A CSV export, streamed as it is read. */
function sendCsv(reply: FastifyReply, fileName: string, lines: AsyncIterable<string>) {
  return reply
    .type('text/csv; charset=utf-8')
    .header('Content-Disposition', `attachment; filename="${fileName}"`)
    .send(Readable.from(lines));
}

export function associationsRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/associations',
      {
        schema: {
          tags: ['associations'],
          operationId: 'listAssociations',
          summary: 'Associations in force (includeEnded: also ended ones, R-UNIQ-7); partners see their own',
          response: answers({ 200: listOrCsv('Associations in force') }, 401, 403, 422),
          querystring: z.strictObject({
            tenantId: guid.optional(),
            includeEnded: z.enum(['true', 'false']).optional(),
            format: z.enum(['json', 'csv']).optional(),
            ...paging,
          }),
        },
      },
      async (req, reply) => {
        const organizationId = visibleOrganization(req.actor);
        const tenantId = req.query.tenantId?.toLowerCase();
        const includeEnded = req.query.includeEnded === 'true';
        const page = (cursor: string | undefined, limit = req.query.limit) =>
          pageOf(
            (after, n) =>
              withCaller(deps.db, req.actor, (q) =>
                associationsInForce(q, { organizationId, tenantId, includeEnded, after, limit: n }),
              ),
            (a) => a.since,
            limit,
            cursor,
          );
        if (req.query.format !== 'csv') return page(req.query.cursor);
        return sendCsv(
          reply,
          'associations.csv',
          associationsCsv((cursor) => page(cursor, 200)),
        );
      },
    );

    app.post(
      '/associations/import',
      {
        schema: {
          tags: ['associations'],
          operationId: 'importLegacyAssociations',
          summary: `Platform admin: import legacy associations from CSV (R-UNIQ-4; header mpnId,tenantId,productId,subscriptionId,expiresAt; at most ${legacyImportLimits.maxRows} rows): all rows or none`,
          consumes: ['multipart/form-data'],
          querystring: z.strictObject(importQuery),
          // 409: a request with the same Idempotency-Key is still running.
          response: answers(
            {
              200: ok(importReport, 'A dry run: every problem found, nothing created'),
              201: ok(importReport, 'Every row became a legacy association (created: their ids)'),
            },
            ...bodyErrors,
            403,
            409,
          ),
        },
      },
      async (req, reply) => {
        const actor = req.actor;
        return answerImport(deps, req, reply, legacyImportLimits, req.query.dryRun === 'true', async () => {
          if (!actor.roles.includes('platform_admin'))
            throw forbidden('Only platform admins import legacy associations.');
          return {
            key: {},
            read: readLegacyCsv,
            run: (read, dryRun) =>
              importLegacyAssociations(deps, actor, { rows: read.records, errors: read.errors, dryRun }),
          };
        });
      },
    );

    app.get(
      '/availability',
      {
        schema: {
          tags: ['associations'],
          operationId: 'getAvailability',
          summary:
            'Is a workload or subscription free? Never names the other partner (R-UNIQ-3); a subscription the known tenant lacks is not',
          response: answers({ 200: ok(availabilityView, 'Whether it is free') }, 401, 422),
          querystring: z.strictObject({
            tenantId: guid,
            productId: text(100),
            subscriptionId: text(100).optional(),
          }),
        },
      },
      async (req) => {
        const actor = req.actor;
        const { productId, subscriptionId } = req.query;
        const tenantId = req.query.tenantId.toLowerCase();
        const mine = actor.organizationId;
        // R-ROLE-3 lets a partner learn whether the subscription it typed agrees with the
        // tenant (never which ones it has): one that does not exist is not available.
        if (subscriptionId) {
          const tenant = await loadTenant(deps.db, tenantId);
          if (
            tenant &&
            !tenant.subscriptions.some((s) => s.id === subscriptionId && s.productId === productId)
          )
            return { available: false, reason: 'unknown_subscription' as const, heldByYou: false };
        }
        // R-UNIQ-6: what the caller's organization holds is `yours` (its own legacy association
        // aside: it re-associates that one through a claim, R-UNIQ-4).
        const holders = (await holdersOf(deps.db, tenantId, productId, subscriptionId)).filter(
          (h) => !(h.organization_id === mine && h.consent_state === 'legacy'),
        );
        if (mine !== null && holders.some((h) => h.organization_id === mine)) {
          return { available: false, reason: 'yours' as const, heldByYou: true };
        }
        if (holders.length) return { available: false, reason: 'associated' as const, heldByYou: false };
        const claims = await claimantsOf(deps.db, tenantId, productId, subscriptionId, pendingStatuses);
        if (claims.length) {
          return {
            available: false,
            reason: 'claim_pending' as const,
            heldByYou: mine !== null && claims.every((c) => c.organization_id === mine),
          };
        }
        return { available: true, reason: null, heldByYou: false };
      },
    );

    app.get(
      '/evaluation-feed',
      {
        schema: {
          tags: ['associations'],
          operationId: 'evaluationFeed',
          summary: 'Associations whose consent window completed, for incentive eligibility evaluation',
          response: answers({ 200: listOrCsv('Associations whose consent completed') }, 401, 403, 422),
          querystring: z.strictObject({
            since: z.iso.datetime({ offset: true }).optional(),
            format: z.enum(['json', 'csv']).optional(),
            ...paging,
          }),
        },
      },
      async (req, reply) => {
        const actor = req.actor;
        if (
          !actor.roles.includes('reviewer') &&
          !actor.roles.includes('platform_admin') &&
          !actor.organizationId
        )
          throw forbidden();
        const organizationId = visibleOrganization(actor);
        const since = req.query.since ? new Date(req.query.since) : undefined;
        const page = (cursor: string | undefined, limit = req.query.limit) =>
          pageOf(
            (after, n) =>
              withCaller(deps.db, actor, (q) =>
                completedConsents(q, { organizationId, since, after, limit: n }),
              ),
            (a) => a.consent_completed_at,
            limit,
            cursor,
          );
        if (req.query.format !== 'csv') return page(req.query.cursor);
        return sendCsv(
          reply,
          'evaluation-feed.csv',
          associationsCsv((cursor) => page(cursor, 200)),
        );
      },
    );
  };
}
