// Issue 13, the admin audit: what one change of the programme's administration records
// (migration 0019). Pure: the commands build entries with these, audit-repository.ts writes
// them in the transaction of the change.

export const auditEntities = ['organization', 'location', 'user', 'holiday', 'product', 'tenant'] as const;
export type AuditEntity = (typeof auditEntities)[number];
export const auditActions = [
  'created',
  'updated',
  'disabled',
  'enabled',
  'deleted',
  'password_reset',
] as const;
export type AuditAction = (typeof auditActions)[number];

/** A changed field: its value before and after (null when the entity did not exist / no longer does). */
export type AuditChanges = Record<string, { from: unknown; to: unknown }>;

export interface AuditEntry {
  entity: AuditEntity;
  entityId: string;
  action: AuditAction;
  changes: AuditChanges;
}

/**
 * Fields that are never recorded, whatever a caller names: a password (or its hash) and any
 * secret. changesOf throws on one, so that a mistake shows in a test and never in the table.
 */
const secret = /^(new|current)?_?password$|hash|secret|token/i;

const comparable = (v: unknown): unknown => (v instanceof Date ? v.toISOString() : (v ?? null));

/**
 * The named fields whose values differ between `before` and `after` (null: the entity did not
 * exist, or no longer does), as `{field: {from, to}}`. Dates are written as ISO instants;
 * arrays and objects compare by their JSON.
 */
export function changesOf(
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
  fields: readonly string[],
): AuditChanges {
  const changes: AuditChanges = {};
  for (const field of fields) {
    if (secret.test(field)) throw new Error(`the admin audit never records ${field}`);
    const from = before ? comparable(before[field]) : null;
    const to = after ? comparable(after[field]) : null;
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[field] = { from, to };
  }
  return changes;
}

/** The action of a change of fields: disabling or enabling says so; anything else is an update. */
export function updateAction(changes: AuditChanges): AuditAction {
  const disabled = changes['disabled'];
  if (disabled) return disabled.to === true ? 'disabled' : 'enabled';
  return 'updated';
}
