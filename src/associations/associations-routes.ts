// Associations in force (R-UNIQ-2), availability before submitting (R-UNIQ-3), and the
// evaluation feed of associations whose consent window completed (R-TIME-3).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { forbidden } from '../domain/errors.js';
import { requireActor } from '../http/auth.js';
import { toCsv } from '../http/csv.js';
import { guid, text } from '../claims/claims-schemas.js';
import { visibleOrganization } from '../claims/claims-queries.js';

const pendingStatuses = ['submitted', 'in_review', 'partner_action_required', 'disputed'] as const;

function presentAssociation(a: {
  id: string;
  claim_id: string | null;
  organization_id: string;
  mpn_id: string;
  tenant_id: string;
  product_id: string;
  subscription_id: string | null;
  scope: string;
  since: Date;
  expires_at: Date | null;
  consent_state: string;
  consent_completed_at: Date | null;
  ended_at: Date | null;
  end_reason: string | null;
}) {
  return {
    id: a.id,
    claimId: a.claim_id,
    organizationId: a.organization_id,
    mpnId: a.mpn_id,
    tenantId: a.tenant_id,
    productId: a.product_id,
    subscriptionId: a.subscription_id,
    scope: a.scope,
    since: a.since.toISOString(),
    expiresAt: a.expires_at?.toISOString() ?? null,
    consentState: a.consent_state,
    consentCompletedAt: a.consent_completed_at?.toISOString() ?? null,
    // In force: both null. The evaluation feed keeps associations that ended after their
    // consent completed (superseded, disassociated), so it says when and why.
    endedAt: a.ended_at?.toISOString() ?? null,
    endReason: a.end_reason,
  };
}

const csvHeader = [
  'id',
  'claimId',
  'organizationId',
  'mpnId',
  'tenantId',
  'productId',
  'subscriptionId',
  'scope',
  'since',
  'expiresAt',
  'consentState',
  'consentCompletedAt',
  'endedAt',
  'endReason',
];
const csvRow = (a: ReturnType<typeof presentAssociation>) => csvHeader.map((k) => a[k as keyof typeof a]);

export function associationsRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/associations',
      {
        schema: {
          tags: ['associations'],
          summary: 'Associations in force; partners see their own',
          querystring: z.strictObject({
            tenantId: guid.optional(),
            format: z.enum(['json', 'csv']).optional(),
          }),
        },
      },
      async (req, reply) => {
        const org = visibleOrganization(requireActor(req));
        let q = deps.db
          .selectFrom('associations')
          .selectAll()
          .where('ended_at', 'is', null)
          .orderBy('since', 'desc')
          .orderBy('id');
        if (req.query.tenantId) q = q.where('tenant_id', '=', req.query.tenantId.toLowerCase());
        if (org) q = q.where('organization_id', '=', org);
        const items = (await q.execute()).map(presentAssociation);
        if (req.query.format !== 'csv') return { items, nextCursor: null };
        void reply
          .type('text/csv; charset=utf-8')
          .header('Content-Disposition', 'attachment; filename="associations.csv"');
        return toCsv(csvHeader, items.map(csvRow));
      },
    );

    app.get(
      '/availability',
      {
        schema: {
          tags: ['associations'],
          summary: 'Is a workload or subscription free? Never names the other partner (R-UNIQ-3)',
          querystring: z.strictObject({
            tenantId: guid,
            productId: text(100),
            subscriptionId: text(100).optional(),
          }),
        },
      },
      async (req) => {
        const actor = requireActor(req);
        const { productId, subscriptionId } = req.query;
        const tenantId = req.query.tenantId.toLowerCase();
        const mine = actor.organizationId;
        let held = deps.db
          .selectFrom('associations')
          .select(['organization_id'])
          .where('ended_at', 'is', null)
          .where('tenant_id', '=', tenantId)
          .where('product_id', '=', productId);
        if (subscriptionId)
          held = held.where((eb) =>
            eb.or([eb('subscription_id', 'is', null), eb('subscription_id', '=', subscriptionId)]),
          );
        const holders = await held.execute();
        if (holders.length) {
          return {
            available: false,
            reason: 'associated' as const,
            heldByYou: mine !== null && holders.every((h) => h.organization_id === mine),
          };
        }
        let pending = deps.db
          .selectFrom('claim_products as cp')
          .innerJoin('claims as c', 'c.id', 'cp.claim_id')
          .select('c.organization_id')
          .where('c.tenant_id', '=', tenantId)
          .where('cp.product_id', '=', productId)
          .where('c.status', 'in', [...pendingStatuses]);
        if (subscriptionId)
          pending = pending.where((eb) =>
            eb.or([eb('cp.subscription_id', 'is', null), eb('cp.subscription_id', '=', subscriptionId)]),
          );
        const claims = await pending.execute();
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
          summary: 'Associations whose consent window completed, for incentive eligibility evaluation',
          querystring: z.strictObject({
            since: z.iso.datetime({ offset: true }).optional(),
            format: z.enum(['json', 'csv']).optional(),
          }),
        },
      },
      async (req, reply) => {
        const actor = requireActor(req);
        if (
          !actor.roles.includes('reviewer') &&
          !actor.roles.includes('platform_admin') &&
          !actor.organizationId
        )
          throw forbidden();
        const org = visibleOrganization(actor);
        let q = deps.db
          .selectFrom('associations')
          .selectAll()
          .where('consent_state', '=', 'completed')
          .orderBy('consent_completed_at')
          .orderBy('id');
        if (req.query.since) q = q.where('consent_completed_at', '>', new Date(req.query.since));
        if (org) q = q.where('organization_id', '=', org);
        const items = (await q.execute()).map(presentAssociation);
        if (req.query.format !== 'csv') return { items, nextCursor: null };
        void reply
          .type('text/csv; charset=utf-8')
          .header('Content-Disposition', 'attachment; filename="evaluation-feed.csv"');
        return toCsv(csvHeader, items.map(csvRow));
      },
    );
  };
}
