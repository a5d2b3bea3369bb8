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
import { withCaller } from '../db/transaction.js';
import { associationsInForce, completedConsents } from './associations-repository.js';
import { associationsCsv, availabilityOf, pageOf } from './associations-queries.js';
import { answerImport, importQuery, importReport } from '../claims/claims-import-routes.js';
import { importLegacyAssociations, legacyImportLimits, readLegacyCsv } from './associations-import.js';

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
const availabilityList = z
  .strictObject({
    items: z.array(z.strictObject({ productId: z.string(), ...availabilityView.shape })),
  })
  .meta({ id: 'AvailabilityList' });

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
      async (req) =>
        availabilityOf(deps, req.actor, req.query.tenantId, req.query.productId, req.query.subscriptionId),
    );

    app.get(
      '/availability/products',
      {
        schema: {
          tags: ['associations'],
          operationId: 'getProductsAvailability',
          summary:
            "Each of these products' availability for one tenant, in one request (the wizard's products step); per workload, as GET /availability without a subscription",
          response: answers({ 200: ok(availabilityList, 'Each product, in the order asked') }, 401, 422),
          querystring: z.strictObject({
            tenantId: guid,
            productIds: z
              .string()
              .max(2000)
              .regex(
                /^[a-z0-9_]{1,100}(,[a-z0-9_]{1,100}){0,49}$/,
                'must be 1 to 50 product ids, comma-separated',
              )
              .meta({ description: 'Product ids, comma-separated (at most 50)' }),
          }),
        },
      },
      async (req) => {
        const ids = [...new Set(req.query.productIds.split(','))];
        const items = [];
        for (const productId of ids)
          items.push({
            productId,
            ...(await availabilityOf(deps, req.actor, req.query.tenantId, productId)),
          });
        return { items };
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
