// What `cpor generate` writes (src/demo/generate.ts), thousands of rows per statement, on the
// owner's handle. Nothing else lives here.
import { sql } from 'kysely';
import type { Database } from '../db/database.js';
import { inOwnerTransaction, insertJsonRows, type ColumnTypes } from '../db/bulk-insert.js';
import type { DB } from '../db/schema.js';
import { claimColumnTypes } from '../claims/claims-repository.js';

const t = 'text' as const;
const ts = 'timestamptz' as const;
const j = 'jsonb' as const;
const int = 'integer' as const;

/** Each table the generator writes, in the order of their foreign keys, with its columns. */
const tables = {
  organizations: { id: t, name: t, language: t, created_at: ts },
  partner_locations: { mpn_id: t, organization_id: t, name: t, country: t },
  users: {
    id: t,
    email: t,
    name: t,
    password_hash: t,
    organization_id: t,
    roles: j,
    language: t,
    created_at: ts,
  },
  tenants: { tenant_id: t, updated_at: ts },
  tenant_domains: { tenant_id: t, domain: t },
  tenant_subscriptions: { id: t, tenant_id: t, product_id: t, expires_at: ts },
  claims: claimColumnTypes,
  claim_products: { claim_id: t, position: int, product_id: t, subscription_id: t },
  documents: {
    id: t,
    claim_id: t,
    file_name: t,
    content_type: t,
    size: int,
    sha256: t,
    storage_key: t,
    uploaded_by: t,
    created_at: ts,
  },
  claim_history: {
    claim_id: t,
    at: ts,
    type: t,
    actor_id: t,
    actor_name: t,
    actor_role: t,
    data: j,
    seq: int,
    prev_hash: t,
    hash: t,
  },
  deadlines: {
    id: t,
    claim_id: t,
    kind: t,
    due_at: ts,
    created_at: ts,
    fired_at: ts,
    cancelled_at: ts,
    fired_by: t,
    outcome: t,
  },
  associations: {
    id: t,
    claim_id: t,
    organization_id: t,
    mpn_id: t,
    tenant_id: t,
    product_id: t,
    subscription_id: t,
    scope: t,
    since: ts,
    expires_at: ts,
    ended_at: ts,
    end_reason: t,
    consent_state: t,
    consent_completed_at: ts,
  },
} satisfies Partial<Record<keyof DB, ColumnTypes>>;

export type Generated = Record<keyof typeof tables, Record<string, unknown>[]>;

/** Empty lists of rows, one per table. */
export function generatedRows(): Generated {
  const rows: Partial<Generated> = {};
  for (const table of Object.keys(tables) as (keyof typeof tables)[]) rows[table] = [];
  return rows as Generated;
}

/**
 * After a bulk load, what PostgreSQL's manual advises (populate.html): the loaded tables
 * vacuumed and analyzed, so that the planner has statistics and the visibility map and hint
 * bits are set before the first reader (the scheduler drained 100,000 generated windows in
 * 114 s before this, 50 s after it, docs/performance.md). Outside a transaction.
 */
export async function settleGenerated(owner: Database): Promise<void> {
  for (const table of Object.keys(tables)) await sql.raw(`VACUUM (ANALYZE) ${table}`).execute(owner);
}

/** Writes the rows in one transaction, table by table in the order of their foreign keys. */
export function writeGenerated(owner: Database, rows: Generated): Promise<void> {
  // R-EDIT-2's trigger refuses PoE added to a claim in review (migration 0005): as in the
  // claims' lives, their PoE goes in before the review starts.
  const inReview = rows.claims.filter((c) => c.status === 'in_review').map((c) => c.id as string);
  const claims = rows.claims.map((c) => (c.status === 'in_review' ? { ...c, status: 'submitted' } : c));
  return inOwnerTransaction(owner, async (tx) => {
    for (const [table, columns] of Object.entries(tables) as [keyof typeof tables, ColumnTypes][]) {
      const list = table === 'claims' ? claims : rows[table];
      if (list.length > 0) await insertJsonRows(tx, table, columns, list);
      if (table === 'documents' && inReview.length > 0)
        await tx.updateTable('claims').set({ status: 'in_review' }).where('id', 'in', inReview).execute();
    }
  });
}
