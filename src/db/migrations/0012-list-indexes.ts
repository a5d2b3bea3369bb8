// Issue 14 point 3: every filter and sort of the claim list (api.md "Claims") is served by an
// index, at a million claims: newest first or by due date, for everyone or one organization,
// narrowed by status, tenant, MPN ID or overdue SLA, keyset-paged on (key, id); `q` (name,
// domain) by trigram indexes (pg_trgm, a contrib extension of PostgreSQL, built into PGlite).
// claims_created (created_at, id) and claims_org_created (organization_id, created_at, id)
// of migration 0001 serve the plain lists; claims_tenant is replaced by its sorted form.
//
// Reviewers, platform admins and the system see every row (scope staff / system), but under
// cpor_app's policies each row still passed through an expression the planner cannot
// estimate, and a search (ILIKE, not leakproof) could not use an index behind a policy at all:
// EXPLAIN showed sequential scans. Their transactions now run as `cpor_staff`, a member of
// cpor_app (its privileges, nothing more) whose own policy on each table is `true`: no
// filter, every index usable. Partners and the customer's link stay cpor_app, behind the
// policies (docs/architecture.md "The database as a second wall").
import { sql, type Kysely } from 'kysely';
import { splitStatements } from './0001-initial.js';

/** The tables under row-level security (migration 0008b; 0013 adds claim_counts). */
export const walledTables = [
  'claims',
  'claim_products',
  'documents',
  'comments',
  'claim_history',
  'deadlines',
  'consent_uses',
  'outbox',
  'associations',
  'webhooks',
  'webhook_deliveries',
  'api_tokens',
  'sessions',
];

// As for cpor_app (0008): roles belong to the server; another database may have made it.
const createRole = `
  DO $$
  BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cpor_staff') THEN
      BEGIN
        CREATE ROLE cpor_staff NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE INHERIT NOBYPASSRLS;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN
        NULL;
      END;
    END IF;
    IF NOT pg_has_role('cpor_staff', 'cpor_app', 'MEMBER') THEN
      BEGIN
        GRANT cpor_app TO cpor_staff;
      EXCEPTION WHEN unique_violation THEN
        NULL;
      END;
    END IF;
    IF NOT pg_has_role(current_user, 'cpor_staff', 'MEMBER') THEN
      BEGIN
        EXECUTE format('GRANT cpor_staff TO %I', current_user);
      EXCEPTION WHEN unique_violation THEN
        NULL;
      END;
    END IF;
  END $$`;

/** The due-date sort's key (claims-repository.ts `dueKey`): no deadline sorts last. */
export const dueKey = `coalesce(due_at, '9999-12-31T00:00:00.000Z'::timestamptz)`;

const schema = `
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE INDEX claims_status_created ON claims(status, created_at DESC, id DESC);
    CREATE INDEX claims_org_status_created ON claims(organization_id, status, created_at DESC, id DESC);
    CREATE INDEX claims_tenant_created ON claims(tenant_id, created_at DESC, id DESC);
    DROP INDEX claims_tenant;
    CREATE INDEX claims_mpn_created ON claims(mpn_id, created_at DESC, id DESC);
    CREATE INDEX claims_due ON claims((${dueKey}), id);
    CREATE INDEX claims_org_due ON claims(organization_id, (${dueKey}), id);
    -- overdue=true: the reviewer SLAs that passed (claims-repository.ts, domain/claim-deadlines.ts slaKinds).
    CREATE INDEX claims_sla_due ON claims(due_at)
      WHERE due_kind IN ('review_start_sla', 'decision_sla', 'dispute_decision_sla');
    CREATE INDEX claims_name_trgm ON claims USING gin (name gin_trgm_ops);
    CREATE INDEX claims_domain_trgm ON claims USING gin (domain gin_trgm_ops);
`;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of splitStatements(schema)) await sql.raw(statement).execute(db);
  await sql.raw(createRole).execute(db);
  for (const table of walledTables)
    await sql.raw(`CREATE POLICY ${table}_staff ON ${table} TO cpor_staff USING (true)`).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // The role stays: other databases of the server may use it.
  for (const table of walledTables) await sql.raw(`DROP POLICY ${table}_staff ON ${table}`).execute(db);
  for (const index of [
    'claims_domain_trgm',
    'claims_name_trgm',
    'claims_sla_due',
    'claims_org_due',
    'claims_due',
    'claims_mpn_created',
    'claims_tenant_created',
    'claims_org_status_created',
    'claims_status_created',
  ])
    await sql.raw(`DROP INDEX ${index}`).execute(db);
  await sql.raw('CREATE INDEX claims_tenant ON claims(tenant_id)').execute(db);
}
