// Legacy associations from CSV (domain.md R-UNIQ-4, api.md "Legacy associations"): the
// associations partners held before cpor, imported by the platform admin, all rows or none.
// Each row names a partner location, a tenant, a product (and, for a product associated per
// subscription, the subscription) and the expiry; it must not collide with an association in
// force (R-UNIQ-2) nor with another row of the file. They block other partners' claims like
// any association until they expire (claims/commands/expire-associations.ts ends them); the
// partner holding one re-associates it through a claim, whose approval replaces it
// (claims/commands/persist-outcome.ts).
import { randomUUID } from 'node:crypto';
import type { Deps } from '../deps.js';
import { inTransaction } from '../db/transaction.js';
import type { Actor } from '../domain/actor.js';
import { collides } from '../domain/association-rules.js';
import { forbidden, type FieldErrorCode } from '../domain/errors.js';
import { readCsv, type RowError } from '../lib/csv-import.js';
import { loadProducts, loadTenants, lockAssociations } from '../claims/claims-repository.js';
import {
  heldAssociationsForUpdate,
  insertAssociations,
  organizationsOfMpnIds,
} from './associations-repository.js';

export const legacyImportColumns = ['mpnId', 'tenantId', 'productId', 'subscriptionId', 'expiresAt'] as const;
export const legacyImportLimits = { maxBytes: 10 * 1024 * 1024, maxRows: 10_000, maxErrors: 1000 };

export interface LegacyRow {
  row: number;
  cells: Record<string, string>;
}

export interface LegacyImportReport {
  rows: number;
  created: string[];
  errors: RowError[];
}

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isoDate = /^\d{4}-\d{2}-\d{2}$/;
const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** `2027-01-31` (the end of that day, UTC) or an instant with its offset; null when neither. */
export function expiryOf(cell: string): Date | null {
  if (isoDate.test(cell)) {
    const d = new Date(`${cell}T00:00:00Z`);
    if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== cell) return null;
    return new Date(d.getTime() + 24 * 3600 * 1000);
  }
  if (!isoInstant.test(cell)) return null;
  const d = new Date(cell);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** Reads the file (422 naming the column for a header that is not the contract's). */
export function readLegacyCsv(text: string) {
  return readCsv(text, {
    columns: legacyImportColumns,
    required: legacyImportColumns,
    maxRows: legacyImportLimits.maxRows,
  });
}

class RolledBack extends Error {
  constructor(readonly report: LegacyImportReport) {
    super('rolled back');
  }
}

export async function importLegacyAssociations(
  deps: Deps,
  actor: Actor,
  job: { rows: LegacyRow[]; errors: RowError[]; dryRun: boolean; progress?: (done: number) => void },
): Promise<LegacyImportReport> {
  if (!actor.roles.includes('platform_admin'))
    throw forbidden('Only platform admins import legacy associations.');
  const total = job.rows.length + new Set(job.errors.map((e) => e.row)).size;
  try {
    return await inTransaction(deps.db, actor, async (tx) => {
      const now = deps.clock.now();
      const cells = job.rows.map((r) => r.cells);
      const [products, organizations, tenants] = await Promise.all([
        loadProducts(tx),
        organizationsOfMpnIds(tx, [...new Set(cells.flatMap((c) => (c.mpnId ? [c.mpnId] : [])))]),
        loadTenants(tx, [...new Set(cells.flatMap((c) => (c.tenantId ? [c.tenantId.toLowerCase()] : [])))]),
      ]);
      const errors = [...job.errors];
      const fail = (row: number, field: string, message: string, code: FieldErrorCode, params = {}) =>
        errors.push({ row, field, message, code, params });
      const accepted: { row: number; tenantId: string; productId: string; subscriptionId: string | null }[] =
        [];
      const rows: Parameters<typeof insertAssociations>[1] = [];
      for (const [i, { row, cells: c }] of job.rows.entries()) {
        const before = errors.length;
        const mpnId = c.mpnId ?? '';
        const organizationId = organizations.get(mpnId);
        if (!mpnId) fail(row, 'mpnId', 'is required', 'required');
        else if (!organizationId) fail(row, 'mpnId', 'is not the MPN ID of a partner location', 'not_found');
        const tenantId = (c.tenantId ?? '').toLowerCase();
        if (!tenantId) fail(row, 'tenantId', 'is required', 'required');
        else if (!guid.test(tenantId))
          fail(row, 'tenantId', 'must be a GUID (directory ID)', 'invalid_format', { format: 'guid' });
        const product = products.get(c.productId ?? '');
        if (!c.productId) fail(row, 'productId', 'is required', 'required');
        else if (!product) fail(row, 'productId', 'is not a product of the catalog', 'not_in_catalog');
        const subscriptionId = c.subscriptionId ?? null;
        if (product?.scope === 'subscription' && !subscriptionId)
          fail(
            row,
            'subscriptionId',
            `is required: ${product.id} is associated per subscription`,
            'required',
          );
        if (product?.scope === 'workload' && subscriptionId)
          fail(
            row,
            'subscriptionId',
            `must be empty: ${product.id} is associated per tenant and workload`,
            'not_a_subscription_product',
          );
        const tenant = tenants.get(tenantId);
        if (tenant && subscriptionId && product) {
          const sub = tenant.subscriptions.find((s) => s.id === subscriptionId);
          if (!sub) fail(row, 'subscriptionId', 'is not a subscription of the tenant', 'not_of_tenant');
          else if (sub.productId !== product.id)
            fail(
              row,
              'subscriptionId',
              `is not a ${product.id} subscription`,
              'subscription_of_other_product',
            );
        }
        const expiresAt = c.expiresAt ? expiryOf(c.expiresAt) : null;
        if (!c.expiresAt) fail(row, 'expiresAt', 'is required', 'required');
        else if (!expiresAt)
          fail(
            row,
            'expiresAt',
            'must be a date (2027-01-31) or an instant with its offset',
            'invalid_format',
            {
              format: 'date',
            },
          );
        else if (expiresAt <= now) fail(row, 'expiresAt', 'has passed', 'too_small');
        if (errors.length > before || !organizationId || !product || !expiresAt) continue;
        // R-UNIQ-2: one association per tenant + workload, per subscription: neither another
        // row of the file nor an association in force.
        const twin = accepted.find((a) => a.tenantId === tenantId && collides(a, product.id, subscriptionId));
        if (twin) {
          fail(
            row,
            subscriptionId ? 'subscriptionId' : 'productId',
            `is already in row ${twin.row}`,
            'duplicate',
            {
              row: twin.row,
            },
          );
          continue;
        }
        await lockAssociations(tx, tenantId, [product.id]);
        if ((await heldAssociationsForUpdate(tx, tenantId, product.id, subscriptionId)).length > 0) {
          fail(row, subscriptionId ? 'subscriptionId' : 'productId', 'is associated already', 'taken');
          continue;
        }
        accepted.push({ row, tenantId, productId: product.id, subscriptionId });
        rows.push({
          id: randomUUID(),
          claim_id: null,
          organization_id: organizationId,
          mpn_id: mpnId,
          tenant_id: tenantId,
          product_id: product.id,
          subscription_id: subscriptionId,
          scope: product.scope,
          since: now,
          expires_at: expiresAt,
          consent_state: 'legacy',
        });
        job.progress?.(i + 1);
      }
      errors.sort((a, b) => a.row - b.row);
      if (errors.length > 0) throw new RolledBack({ rows: total, created: [], errors });
      await insertAssociations(tx, rows);
      if (job.dryRun) throw new RolledBack({ rows: total, created: [], errors: [] });
      return { rows: total, created: rows.map((r) => r.id), errors: [] };
    });
  } catch (e) {
    if (e instanceof RolledBack) return e.report;
    throw e;
  }
}
