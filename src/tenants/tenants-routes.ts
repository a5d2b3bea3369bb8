// The customer directory: what is known of customer tenants (their domains and subscriptions).
// When a tenant is known, a claim's domain and subscriptions must be its own.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { notFound } from '../domain/errors.js';
import { answers, bodyErrors, ok, pageQuery } from '../http/contract.js';
import { decodeKeyCursor, keyPage } from '../lib/cursor.js';
import type { KnownTenant } from '../domain/claim.js';
import { domainName, guid, text } from '../claims/claims-schemas.js';
import { loadTenant, loadTenants } from '../claims/claims-repository.js';
import { putTenant, requireDirectoryKeeper } from './tenants-commands.js';
import { tenantIds } from './tenants-repository.js';

const tenantParams = z.strictObject({ tenantId: guid });

const tenantView = z
  .strictObject({
    tenantId: z.string(),
    domains: z.array(z.string()),
    subscriptions: z.array(
      z.strictObject({ id: z.string(), productId: z.string(), expiresAt: z.iso.datetime().nullable() }),
    ),
  })
  .meta({ id: 'Tenant' });

const tenantList = z
  .strictObject({ items: z.array(tenantView), nextCursor: z.string().nullable() })
  .meta({ id: 'TenantList' });
const tags = ['tenants'];

function present(t: KnownTenant) {
  return {
    tenantId: t.tenantId,
    domains: t.domains.sort(),
    subscriptions: t.subscriptions.map((s) => ({
      id: s.id,
      productId: s.productId,
      expiresAt: s.expiresAt?.toISOString() ?? null,
    })),
  };
}

export function tenantsRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    app.put(
      '/tenants/:tenantId',
      {
        schema: {
          tags,
          operationId: 'putTenant',
          summary: 'Platform admin or reviewer: record a customer tenant with its domains and subscriptions',
          response: answers({ 200: ok(tenantView, 'The tenant as recorded') }, ...bodyErrors, 403),
          params: tenantParams,
          body: z.strictObject({
            domains: z.array(domainName).min(1).max(100),
            subscriptions: z
              .array(
                z.strictObject({
                  id: text(100),
                  productId: text(100),
                  expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
                }),
              )
              .max(1000)
              .default([]),
          }),
        },
      },
      async (req) => {
        const tenantId = await putTenant(deps, req.actor, req.params.tenantId, req.body);
        return present((await loadTenant(deps.db, tenantId))!);
      },
    );
    app.get(
      '/tenants/:tenantId',
      {
        schema: {
          tags,
          operationId: 'getTenant',
          summary:
            "Platform admin or reviewer: a known customer tenant (R-ROLE-3: not the partners' to read)",
          params: tenantParams,
          response: answers({ 200: ok(tenantView, 'The tenant') }, 401, 403, 404, 422),
        },
      },
      async (req) => {
        // R-ROLE-3: a partner learns from the directory only what its claim needs, through
        // the claim's own checks and availability; never a tenant's domains or subscriptions.
        requireDirectoryKeeper(req.actor);
        const t = await loadTenant(deps.db, req.params.tenantId.toLowerCase());
        if (!t) throw notFound('tenant');
        return present(t);
      },
    );
    app.get(
      '/tenants',
      {
        schema: {
          tags,
          operationId: 'listTenants',
          summary: 'Platform admin or reviewer: the known tenants, by tenant ID',
          querystring: z.strictObject(pageQuery),
          response: answers({ 200: ok(tenantList, 'The known tenants, a page at a time') }, 401, 403, 422),
        },
      },
      async (req) => {
        requireDirectoryKeeper(req.actor);
        const { limit, cursor } = req.query;
        const after = cursor ? decodeKeyCursor(cursor) : undefined;
        const ids = await tenantIds(deps.db, after?.k, limit + 1);
        const page = keyPage(
          ids,
          limit,
          (id) => id,
          (id) => ({ k: id, id }),
        );
        // One read of the page's domains and subscriptions, not three per tenant.
        const known = await loadTenants(deps.db, page.items);
        const items = page.items.flatMap((id) => {
          const t = known.get(id);
          return t ? [present(t)] : [];
        });
        return { items, nextCursor: page.nextCursor };
      },
    );
  };
}
