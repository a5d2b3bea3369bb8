// Issue 13 (admin audit): what platform admins (and users on their own row) change outside
// claims, recorded as claims' history is: organizations, partner locations, users, holidays,
// catalog products and the tenant directory. One row per change, written by the command in
// the transaction of the change (src/audit/audit-repository.ts), so that a change commits
// with its entry or neither commits.
//
// Evidence, as claim_history (migrations 0001, 0008): a trigger refuses UPDATE and DELETE
// whoever asks (the owner included, but for a migration that disables it), the runtime roles
// hold no UPDATE or DELETE, and row-level security lets only staff and the system read it.
// A caller inserts entries in its own name only: a partner's own change of its name or
// language is recorded under its user id, never under another's.
import { sql, type Kysely } from 'kysely';
import { splitStatements } from './0001-initial.js';

const scope = `current_setting('cpor.scope', true)`;
const user = `current_setting('cpor.user_id', true)`;

const schema = `
    CREATE TABLE admin_audit (
      id bigserial PRIMARY KEY,
      at timestamptz NOT NULL,
      actor_id text,
      actor_name text NOT NULL CHECK (length(actor_name) <= 200),
      actor_role text NOT NULL CHECK (length(actor_role) <= 40),
      entity text NOT NULL CHECK (entity IN ('organization', 'location', 'user', 'holiday', 'product', 'tenant')),
      entity_id text NOT NULL CHECK (length(entity_id) <= 200),
      action text NOT NULL CHECK (action IN ('created', 'updated', 'disabled', 'enabled', 'deleted', 'password_reset')),
      changes jsonb NOT NULL
    );
    CREATE INDEX admin_audit_entity ON admin_audit(entity, id);
    CREATE INDEX admin_audit_actor ON admin_audit(actor_id, id);
    CREATE FUNCTION admin_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'admin_audit is append-only';
    END $$;
    CREATE TRIGGER admin_audit_no_change BEFORE UPDATE OR DELETE ON admin_audit
      FOR EACH ROW EXECUTE FUNCTION admin_audit_append_only();
    CREATE TRIGGER admin_audit_no_truncate BEFORE TRUNCATE ON admin_audit
      FOR EACH STATEMENT EXECUTE FUNCTION admin_audit_append_only();
`;

const walls = [
  'REVOKE UPDATE, DELETE, TRUNCATE ON admin_audit FROM cpor_app',
  'REVOKE ALL ON admin_audit FROM cpor_staff',
  'ALTER TABLE admin_audit ENABLE ROW LEVEL SECURITY',
  `CREATE POLICY admin_audit_caller ON admin_audit FOR SELECT TO cpor_app USING (${scope} IN ('staff', 'system'))`,
  `CREATE POLICY admin_audit_append ON admin_audit FOR INSERT TO cpor_app
     WITH CHECK (${scope} IN ('staff', 'system') OR (actor_id IS NOT NULL AND actor_id = ${user}))`,
  'CREATE POLICY admin_audit_staff ON admin_audit TO cpor_staff USING (true)',
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of [...splitStatements(schema), ...walls]) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('DROP TABLE admin_audit').execute(db);
  await sql.raw('DROP FUNCTION admin_audit_append_only()').execute(db);
}
