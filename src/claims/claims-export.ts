// The claims CSV export (api.md "Lists"), for the API and `cpor export claims`: every claim the
// caller may see under the list's filters, read and written a page at a time, so that a
// million claims never sit in memory.
import type { Deps } from '../deps.js';
import type { Actor } from '../domain/actor.js';
import { csvLines } from '../lib/csv.js';
import { everyRow } from '../lib/cursor.js';
import { listClaims, type ClaimFilters } from './claims-queries.js';

const header = [
  'id',
  'name',
  'status',
  'statusReason',
  'outcome',
  'organizationName',
  'mpnId',
  'tenantId',
  'domain',
  'solutionArea',
  'activity',
  'products',
  'dueAt',
  'overdue',
  'createdAt',
  'updatedAt',
];

export function claimsCsv(deps: Deps, actor: Actor, filters: Omit<ClaimFilters, 'limit' | 'cursor'>) {
  const rows = async function* () {
    for await (const c of everyRow((cursor) => listClaims(deps, actor, { ...filters, limit: 200, cursor })))
      yield [
        c.id,
        c.name,
        c.status,
        c.statusReason,
        c.outcome,
        c.organizationName,
        c.mpnId,
        c.customer.tenantId,
        c.customer.domain,
        c.solutionArea,
        c.activity,
        c.products
          .map((p) => (p.subscriptionId ? `${p.productId}:${p.subscriptionId}` : p.productId))
          .join(' '),
        c.dueAt,
        c.overdue,
        c.createdAt,
        c.updatedAt,
      ];
  };
  return csvLines(header, rows());
}
