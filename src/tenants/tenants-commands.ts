// Use case: record a customer tenant with its domains and subscriptions (the directory that
// claims are checked against, R-CONS-3).
import type { Deps } from '../deps.js';
import { inTransaction } from '../db/transaction.js';
import type { Actor } from '../domain/actor.js';
import { forbidden, validationFailed, type FieldError } from '../domain/errors.js';
import { loadProducts, loadTenant } from '../claims/claims-repository.js';
import { appendAudit } from '../audit/audit-repository.js';
import { changesOf } from '../domain/admin-audit.js';
import { saveTenant, subscriptionsOfOtherTenants } from './tenants-repository.js';

export interface TenantInput {
  domains: string[];
  subscriptions: { id: string; productId: string; expiresAt?: string | null }[];
}

/** R-ROLE-3: the directory is kept, and read, by platform admins and reviewers only. */
export function requireDirectoryKeeper(actor: Actor) {
  if (!actor.roles.includes('platform_admin') && !actor.roles.includes('reviewer')) {
    throw forbidden('Only platform admins and reviewers keep the tenant directory.');
  }
}

export async function putTenant(deps: Deps, actor: Actor, tenantId: string, input: TenantInput) {
  requireDirectoryKeeper(actor);
  const id = tenantId.toLowerCase();
  await inTransaction(deps.db, actor, async (tx) => {
    const products = await loadProducts(tx);
    const errors = input.subscriptions.flatMap((s, i): FieldError[] => {
      const p = products.get(s.productId);
      if (!p)
        return [
          { path: `subscriptions.${i}.productId`, message: 'is not in the catalog', code: 'not_in_catalog' },
        ];
      if (p.scope !== 'subscription')
        return [
          {
            path: `subscriptions.${i}.productId`,
            message: 'is a workload, not a subscription product',
            code: 'not_a_subscription_product',
          },
        ];
      return [];
    });
    if (errors.length) throw validationFailed(errors);
    const others = await subscriptionsOfOtherTenants(
      tx,
      id,
      input.subscriptions.map((s) => s.id),
    );
    if (others.length) {
      throw validationFailed(
        others.map((o) => ({
          path: `subscriptions.${input.subscriptions.findIndex((s) => s.id === o)}.id`,
          message: 'belongs to another tenant',
          code: 'taken',
        })),
      );
    }
    const before = await loadTenant(tx, id);
    await saveTenant(
      tx,
      id,
      [...new Set(input.domains.map((d) => d.toLowerCase()))],
      input.subscriptions.map((s) => ({
        id: s.id,
        productId: s.productId,
        expiresAt: s.expiresAt ? new Date(s.expiresAt) : null,
      })),
      deps.clock.now(),
    );
    // Compared in a stable order: the directory keeps no order of domains or subscriptions.
    const shape = (t: Awaited<ReturnType<typeof loadTenant>>) =>
      t && {
        domains: [...t.domains].sort(),
        subscriptions: t.subscriptions
          .map((s) => ({ id: s.id, productId: s.productId, expiresAt: s.expiresAt?.toISOString() ?? null }))
          .sort((a, b) => a.id.localeCompare(b.id)),
      };
    const changes = changesOf(shape(before), shape(await loadTenant(tx, id)), ['domains', 'subscriptions']);
    await appendAudit(tx, actor, deps.clock.now(), [
      { entity: 'tenant', entityId: id, action: before ? 'updated' : 'created', changes },
    ]);
  });
  return id;
}
