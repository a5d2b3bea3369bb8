// The customer directory: what is known of customer tenants (their domains and subscriptions).
// When a tenant is known, a claim's domain and subscriptions must be its own.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import type { Actor } from '../domain/actor.js';
import { forbidden, notFound, validationFailed } from '../domain/errors.js';
import { requireActor } from '../http/auth.js';
import { domainName, guid, text } from '../claims/claims-schemas.js';
import { loadProducts, loadTenant } from '../claims/claims-repository.js';

const tenantParams = z.strictObject({ tenantId: guid });

function requireDirectoryWriter(actor: Actor) {
  if (!actor.roles.includes('platform_admin') && !actor.roles.includes('reviewer')) {
    throw forbidden('Only platform admins and reviewers keep the tenant directory.');
  }
}

function present(t: NonNullable<Awaited<ReturnType<typeof loadTenant>>>) {
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
          tags: ['tenants'],
          summary: 'Platform admin or reviewer: record a customer tenant with its domains and subscriptions',
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
        requireDirectoryWriter(requireActor(req));
        const tenantId = req.params.tenantId.toLowerCase();
        const products = await loadProducts(deps.db);
        const errors = req.body.subscriptions.flatMap((s, i) => {
          const p = products.get(s.productId);
          if (!p) return [{ path: `subscriptions.${i}.productId`, message: 'is not in the catalog' }];
          if (p.scope !== 'subscription')
            return [
              { path: `subscriptions.${i}.productId`, message: 'is a workload, not a subscription product' },
            ];
          return [];
        });
        if (errors.length) throw validationFailed(errors);
        await deps.db.transaction().execute(async (trx) => {
          const others = await trx
            .selectFrom('tenant_subscriptions')
            .select('id')
            .where('tenant_id', '!=', tenantId)
            .where('id', 'in', req.body.subscriptions.length ? req.body.subscriptions.map((s) => s.id) : [''])
            .execute();
          if (others.length) {
            throw validationFailed(
              others.map((o) => ({
                path: `subscriptions.${req.body.subscriptions.findIndex((s) => s.id === o.id)}.id`,
                message: 'belongs to another tenant',
              })),
            );
          }
          const now = deps.clock.now();
          await trx
            .insertInto('tenants')
            .values({ tenant_id: tenantId, updated_at: now })
            .onConflict((oc) => oc.column('tenant_id').doUpdateSet({ updated_at: now }))
            .execute();
          await trx.deleteFrom('tenant_domains').where('tenant_id', '=', tenantId).execute();
          await trx
            .insertInto('tenant_domains')
            .values(
              [...new Set(req.body.domains.map((d) => d.toLowerCase()))].map((domain) => ({
                tenant_id: tenantId,
                domain,
              })),
            )
            .execute();
          // Subscriptions are upserted, never deleted: claims and associations may name them.
          for (const s of req.body.subscriptions) {
            const row = { tenant_id: tenantId, product_id: s.productId, expires_at: s.expiresAt ?? null };
            await trx
              .insertInto('tenant_subscriptions')
              .values({ id: s.id, ...row })
              .onConflict((oc) => oc.column('id').doUpdateSet(row))
              .execute();
          }
        });
        return present((await loadTenant(deps.db, tenantId))!);
      },
    );
    app.get(
      '/tenants/:tenantId',
      { schema: { tags: ['tenants'], summary: 'A known customer tenant', params: tenantParams } },
      async (req) => {
        requireActor(req);
        const t = await loadTenant(deps.db, req.params.tenantId.toLowerCase());
        if (!t) throw notFound('tenant');
        return present(t);
      },
    );
    app.get(
      '/tenants',
      { schema: { tags: ['tenants'], summary: 'Platform admin or reviewer: the known tenants' } },
      async (req) => {
        requireDirectoryWriter(requireActor(req));
        const rows = await deps.db.selectFrom('tenants').select('tenant_id').orderBy('tenant_id').execute();
        const items = [];
        for (const r of rows) {
          const t = await loadTenant(deps.db, r.tenant_id);
          if (t) items.push(present(t));
        }
        return { items, nextCursor: null };
      },
    );
  };
}
