// Typed Kysely queries for the admin audit (migration 0019). Nothing else lives here.
import type { Queryable, Tx } from '../db/transaction.js';
import { json } from '../db/json.js';
import { roleLabel, type Actor } from '../domain/actor.js';
import type { AuditEntity, AuditEntry } from '../domain/admin-audit.js';

/**
 * Appends the entries of one change, in the change's own transaction (so that both commit or
 * neither does). An update that changed no field is no change: it writes nothing.
 */
export async function appendAudit(tx: Tx, actor: Actor, at: Date, entries: AuditEntry[]) {
  const rows = entries
    .filter((e) => e.action !== 'updated' || Object.keys(e.changes).length > 0)
    .map((e) => ({
      at,
      actor_id: actor.id,
      actor_name: actor.name.slice(0, 200),
      actor_role: roleLabel(actor),
      entity: e.entity,
      entity_id: e.entityId,
      action: e.action,
      changes: json(e.changes),
    }));
  if (rows.length) await tx.insertInto('admin_audit').values(rows).execute();
}

export interface AuditFilter {
  entity?: AuditEntity;
  entityId?: string;
  actorId?: string;
}

/** Newest first, `limit` + 1 rows (the extra one tells there is a next page); `before`: an id. */
export function auditEntries(db: Queryable, f: AuditFilter, limit: number, before?: string) {
  let q = db
    .selectFrom('admin_audit')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(limit + 1);
  if (before !== undefined) q = q.where('id', '<', before);
  if (f.entity !== undefined) q = q.where('entity', '=', f.entity);
  if (f.entityId !== undefined) q = q.where('entity_id', '=', f.entityId);
  if (f.actorId !== undefined) q = q.where('actor_id', '=', f.actorId);
  return q.execute();
}
