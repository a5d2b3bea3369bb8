// Typed Kysely queries for PoE documents. Nothing else lives here.
import { sql, type Insertable, type Selectable } from 'kysely';
import type { DocumentsTable } from '../db/schema.js';
import type { Queryable, Tx } from '../db/transaction.js';
import type { RowsAfter } from '../lib/cursor.js';

export type DocumentRow = Selectable<DocumentsTable>;

/**
 * Bytes are content-addressed and may be shared by several claims' documents. Adding a
 * document and freeing unreferenced bytes both hold this lock on the hash, so a deletion
 * never removes bytes that an upload has just stored and is about to reference.
 */
export async function lockContent(tx: Tx, sha256: string) {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`cpor-document:${sha256}`}))`.execute(tx);
}

/** The claim's document with these bytes, if any (the same file twice is refused). */
export function documentWithContent(db: Queryable, claimId: string, sha256: string) {
  return db
    .selectFrom('documents')
    .selectAll()
    .where('claim_id', '=', claimId)
    .where('sha256', '=', sha256)
    .executeTakeFirst();
}

export async function insertDocument(db: Queryable, row: Insertable<DocumentsTable>) {
  await db.insertInto('documents').values(row).execute();
}

/** Deletes one document of a claim; what it held, or undefined when there was none. */
export function deleteDocumentRow(db: Queryable, claimId: string, documentId: string) {
  return db
    .deleteFrom('documents')
    .where('claim_id', '=', claimId)
    .where('id', '=', documentId)
    .returning(['file_name', 'sha256', 'storage_key'])
    .executeTakeFirst();
}

/** Whether any document still holds these bytes. */
export async function contentReferenced(db: Queryable, storageKey: string): Promise<boolean> {
  const row = await db
    .selectFrom('documents')
    .select('id')
    .where('storage_key', '=', storageKey)
    .executeTakeFirst();
  return row !== undefined;
}

/** Which of these storage keys some document references. */
export async function referencedKeys(db: Queryable, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db
    .selectFrom('documents')
    .select('storage_key')
    .distinct()
    .where('storage_key', 'in', keys)
    .execute();
  return new Set(rows.map((r) => r.storage_key));
}

/** A claim's documents, oldest first; a page after (instant, id) when asked. */
export function documentsOf(db: Queryable, claimId: string, page?: RowsAfter): Promise<DocumentRow[]> {
  let q = db
    .selectFrom('documents')
    .selectAll()
    .where('claim_id', '=', claimId)
    .orderBy('created_at')
    .orderBy('id');
  const after = page?.after;
  if (after)
    q = q.where((eb) => eb(eb.refTuple('created_at', 'id'), '>', eb.tuple(new Date(after.k), after.id)));
  if (page) q = q.limit(page.limit);
  return q.execute();
}

export function documentOf(db: Queryable, claimId: string, documentId: string) {
  return db
    .selectFrom('documents')
    .selectAll()
    .where('claim_id', '=', claimId)
    .where('id', '=', documentId)
    .executeTakeFirst();
}

/** When each claim's latest PoE was added (R-UNIQ-5 compares them). */
export async function latestDocumentDates(db: Queryable, claimIds: string[]) {
  if (claimIds.length === 0) return [];
  return db
    .selectFrom('documents')
    .select(['claim_id', db.fn.max('created_at').as('latest')])
    .where('claim_id', 'in', claimIds)
    .groupBy('claim_id')
    .execute();
}

/** What the PoE template shows of the partner location named by the claim. */
export function locationName(db: Queryable, mpnId: string) {
  return db.selectFrom('partner_locations').select(['name']).where('mpn_id', '=', mpnId).executeTakeFirst();
}
