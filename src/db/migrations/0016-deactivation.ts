// Issue 13 point 10: organizations and partner locations are deactivated, never deleted
// (docs/decisions.md "Disabled organizations and locations"). `disabled_at` set: a disabled
// location cannot be chosen for a claim any more (a new claim, or a claim's MPN ID changed,
// R-FIELD-1 / R-EDIT-2), and a disabled organization's users cannot sign in nor make claims.
// The claims and associations that already name them stay as they are.
//
// The database holds the wall: a trigger refuses a claim written with a disabled location or
// for a disabled organization, whatever the application does. It is the owner's (SECURITY
// DEFINER), so the organizations' and locations' rows it reads are never hidden from it.
import { sql, type Kysely } from 'kysely';

const statements = [
  'ALTER TABLE organizations ADD COLUMN disabled_at timestamptz',
  'ALTER TABLE partner_locations ADD COLUMN disabled_at timestamptz',
  `CREATE FUNCTION claims_location_enabled() RETURNS trigger LANGUAGE plpgsql
   SECURITY DEFINER SET search_path = pg_catalog, public AS $$
   BEGIN
     IF TG_OP = 'INSERT' AND EXISTS (SELECT 1 FROM organizations
         WHERE id = NEW.organization_id AND disabled_at IS NOT NULL) THEN
       RAISE EXCEPTION 'organization % is disabled', NEW.organization_id
         USING ERRCODE = 'check_violation', CONSTRAINT = 'claims_organization_enabled';
     END IF;
     IF NEW.mpn_id IS NOT NULL AND (TG_OP = 'INSERT' OR NEW.mpn_id IS DISTINCT FROM OLD.mpn_id)
       AND EXISTS (SELECT 1 FROM partner_locations l JOIN organizations o ON o.id = l.organization_id
         WHERE l.mpn_id = NEW.mpn_id AND (l.disabled_at IS NOT NULL OR o.disabled_at IS NOT NULL)) THEN
       RAISE EXCEPTION 'partner location % is disabled', NEW.mpn_id
         USING ERRCODE = 'check_violation', CONSTRAINT = 'claims_location_enabled';
     END IF;
     RETURN NEW;
   END $$`,
  `CREATE TRIGGER claims_location_enabled BEFORE INSERT OR UPDATE OF mpn_id ON claims
   FOR EACH ROW EXECUTE FUNCTION claims_location_enabled()`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('DROP TRIGGER claims_location_enabled ON claims').execute(db);
  await sql.raw('DROP FUNCTION claims_location_enabled()').execute(db);
  await sql.raw('ALTER TABLE partner_locations DROP COLUMN disabled_at').execute(db);
  await sql.raw('ALTER TABLE organizations DROP COLUMN disabled_at').execute(db);
}
