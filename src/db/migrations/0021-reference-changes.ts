// Issue 14 point 2: the catalog (products) and the business calendar (holidays) are held in
// memory by every process (src/db/reference-cache.ts), so that a claim command does not read
// them on every request. Any change to either table notifies the channel `cpor_reference`
// with the table's name when its transaction commits; every process drops what it holds of
// that table and reads it again on its next use.
import { sql, type Kysely } from 'kysely';

export const referenceChannel = 'cpor_reference';
export const referenceTables = ['products', 'holidays'] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `CREATE FUNCTION cpor_reference_changed() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         PERFORM pg_notify('${referenceChannel}', TG_TABLE_NAME);
         RETURN NULL;
       END $$`,
    )
    .execute(db);
  for (const table of referenceTables) {
    await sql
      .raw(
        `CREATE TRIGGER ${table}_reference_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
         FOR EACH STATEMENT EXECUTE FUNCTION cpor_reference_changed()`,
      )
      .execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of referenceTables)
    await sql.raw(`DROP TRIGGER ${table}_reference_changed ON ${table}`).execute(db);
  await sql.raw('DROP FUNCTION cpor_reference_changed()').execute(db);
}
