// The admin audit as the API shows it (api.md: GET /api/v1/admin/audit), platform admins only.
import type { Deps } from '../deps.js';
import { withCaller } from '../db/transaction.js';
import type { Actor } from '../domain/actor.js';
import type { AuditChanges } from '../domain/admin-audit.js';
import { checkIdCursor } from '../lib/cursor.js';
import { requirePlatformAdmin } from '../people/people-commands.js';
import { auditEntries, type AuditFilter } from './audit-repository.js';

export async function adminAudit(
  deps: Deps,
  actor: Actor,
  filter: AuditFilter,
  limit: number,
  cursor?: string,
) {
  requirePlatformAdmin(actor);
  // The cursor is the id of the last entry of the previous page.
  checkIdCursor(cursor);
  const rows = await withCaller(deps.db, actor, (q) => auditEntries(q, filter, limit, cursor));
  const page = rows.slice(0, limit);
  return {
    items: page.map((r) => ({
      id: String(r.id),
      at: r.at.toISOString(),
      actor: { id: r.actor_id, name: r.actor_name, role: r.actor_role },
      entity: r.entity,
      entityId: r.entity_id,
      action: r.action,
      changes: r.changes as AuditChanges,
    })),
    nextCursor: rows.length > limit ? String(page[page.length - 1]?.id) : null,
  };
}
