// Associations in force (R-UNIQ-2), availability before submitting (R-UNIQ-3), and the
// evaluation feed of associations whose consent window completed (R-TIME-3).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { forbidden } from '../domain/errors.js';
import { toCsv } from '../http/csv.js';
import { guid, text } from '../claims/claims-schemas.js';
import { visibleOrganization } from '../claims/claims-queries.js';
import {
  associationsInForce,
  claimantsOf,
  completedConsents,
  holdersOf,
  type AssociationRow,
} from './associations-repository.js';

const pendingStatuses = ['submitted', 'in_review', 'partner_action_required', 'disputed'] as const;

function presentAssociation(a: AssociationRow) {
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
        const org = visibleOrganization(req.actor);
        const rows = await associationsInForce(deps.db, {
          organizationId: org,
          tenantId: req.query.tenantId?.toLowerCase(),
        });
        const items = rows.map(presentAssociation);
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
        const actor = req.actor;
        const { productId, subscriptionId } = req.query;
        const tenantId = req.query.tenantId.toLowerCase();
        const mine = actor.organizationId;
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
          summary: 'Associations whose consent window completed, for incentive eligibility evaluation',
          querystring: z.strictObject({
            since: z.iso.datetime({ offset: true }).optional(),
            format: z.enum(['json', 'csv']).optional(),
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
        const org = visibleOrganization(actor);
        const rows = await completedConsents(deps.db, {
          organizationId: org,
          since: req.query.since ? new Date(req.query.since) : undefined,
        });
        const items = rows.map(presentAssociation);
        if (req.query.format !== 'csv') return { items, nextCursor: null };
        void reply
          .type('text/csv; charset=utf-8')
          .header('Content-Disposition', 'attachment; filename="evaluation-feed.csv"');
        return toCsv(csvHeader, items.map(csvRow));
      },
    );
  };
}
