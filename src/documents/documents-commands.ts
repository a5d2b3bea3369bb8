// PoE use cases: add a checked, hashed file to a claim (stored, recorded and written to
// history together) and delete one from a draft.
import { randomUUID } from 'node:crypto';
import type { Deps } from '../deps.js';
import { withCaller, inTransaction } from '../db/transaction.js';
import { roleLabel, systemActor, type Actor } from '../domain/actor.js';
import { authorizeAddDocument, authorizeDeleteDocument } from '../domain/claim-policy.js';
import { DomainError, notFound } from '../domain/errors.js';
import { appendHistory, loadClaim, moveVersion } from '../claims/claims-repository.js';
import { changedMeanwhile, checkVersion } from '../claims/commands/command-context.js';
import {
  contentReferenced,
  deleteDocumentRow,
  documentWithContent,
  insertDocument as insertDocumentRow,
  lockContent,
} from './documents-repository.js';

export interface CheckedFile {
  path: string;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
}

export function tooManyDocuments(max: number) {
  return new DomainError('too_many_documents', `A claim holds at most ${max} documents.`, [
    { path: 'file', message: `the claim already has ${max} documents`, code: 'too_many', params: { max } },
  ]);
}

/**
 * Adds a document; `ifMatch` is the claim version the caller read (If-Match; unset: any).
 * The claim's version moves with it (its documentCount and allowedActions change).
 */
export async function addDocument(
  deps: Deps,
  actor: Actor,
  claimId: string,
  file: CheckedFile,
  ifMatch?: number,
) {
  // The bytes go to storage before the transaction, so that no claim lock or database
  // connection is held while 25 MB travel to S3 (or are copied and flushed on disk; PGlite
  // has one connection for everyone). Content-addressed puts are idempotent.
  const early = await withCaller(deps.db, actor, (q) => loadClaim(q, claimId));
  if (!early) throw notFound();
  authorizeAddDocument(early, actor, deps.clock.now(), deps.limits);
  checkVersion(early, ifMatch);
  const storageKey = await deps.storage.put(file.path, file.sha256, file.size);
  try {
    return await insertDocument(deps, actor, claimId, file, storageKey, ifMatch);
  } catch (e) {
    // Refused (duplicate, limit, a race): the bytes stay only if a document holds them.
    await freeIfUnreferenced(deps, storageKey);
    throw e;
  }
}

async function insertDocument(
  deps: Deps,
  actor: Actor,
  claimId: string,
  file: CheckedFile,
  storageKey: string,
  ifMatch: number | undefined,
) {
  return inTransaction(deps.db, actor, async (trx) => {
    const claim = await loadClaim(trx, claimId, true);
    if (!claim) throw notFound();
    authorizeAddDocument(claim, actor, deps.clock.now(), deps.limits);
    checkVersion(claim, ifMatch);
    // Checked again under the claim's lock: two uploads racing cannot pass the limit together.
    const max = deps.config.CPOR_MAX_DOCUMENTS_PER_CLAIM;
    if (claim.documentCount >= max) throw tooManyDocuments(max);
    const dup = await documentWithContent(trx, claimId, file.sha256);
    if (dup) {
      throw new DomainError(
        'duplicate_document',
        `This file is already on the claim as "${dup.file_name}".`,
        [
          {
            path: 'file',
            message: `same content as document ${dup.id}`,
            code: 'duplicate',
            params: { name: dup.file_name },
          },
        ],
      );
    }
    await lockContent(trx, file.sha256);
    // A deletion of the same bytes elsewhere may have freed them since the put above; under the
    // lock, nobody can free them again before this row commits. Stored before the row commits:
    // a crash leaves at worst unreferenced bytes, never a row without bytes.
    if (!(await deps.storage.exists(storageKey))) await deps.storage.put(file.path, file.sha256, file.size);
    const now = deps.clock.now();
    const row = {
      id: randomUUID(),
      claim_id: claimId,
      file_name: file.fileName,
      content_type: file.contentType,
      size: file.size,
      sha256: file.sha256,
      storage_key: storageKey,
      uploaded_by: actor.id ?? 'system',
      created_at: now,
    };
    await insertDocumentRow(trx, row);
    if (!(await moveVersion(trx, claimId, claim.version, now))) throw changedMeanwhile();
    await appendHistory(trx, [
      {
        claimId,
        at: now,
        type: 'document_added',
        actorId: actor.id,
        actorName: actor.name,
        actorRole: roleLabel(actor),
        data: {
          documentId: row.id,
          fileName: file.fileName,
          contentType: file.contentType,
          sha256: file.sha256,
          size: file.size,
        },
      },
    ]);
    return row;
  });
}

/** R-POE-2: only a draft's documents may go; the bytes go too when no other document holds them. */
export async function deleteDocument(
  deps: Deps,
  actor: Actor,
  claimId: string,
  documentId: string,
  ifMatch?: number,
) {
  const removed = await inTransaction(deps.db, actor, async (trx) => {
    const claim = await loadClaim(trx, claimId, true);
    if (!claim) throw notFound();
    authorizeDeleteDocument(claim, actor);
    const res = await deleteDocumentRow(trx, claim.id, documentId);
    if (!res) throw notFound('document');
    checkVersion(claim, ifMatch);
    if (!(await moveVersion(trx, claim.id, claim.version, deps.clock.now()))) throw changedMeanwhile();
    await appendHistory(trx, [
      {
        claimId: claim.id,
        at: deps.clock.now(),
        type: 'document_deleted',
        actorId: actor.id,
        actorName: actor.name,
        actorRole: roleLabel(actor),
        data: { documentId, fileName: res.file_name, sha256: res.sha256 },
      },
    ]);
    return res;
  });
  await freeIfUnreferenced(deps, removed.storage_key);
}

/**
 * Removes bytes no document holds, under the hash's lock (the one an upload holds while it
 * checks its bytes are there and inserts its row); true when they were removed. Keys are the
 * content's SHA-256.
 */
export async function removeIfUnreferenced(deps: Deps, storageKey: string): Promise<boolean> {
  return inTransaction(deps.db, systemActor, async (trx) => {
    await lockContent(trx, storageKey);
    if (await contentReferenced(trx, storageKey)) return false;
    await deps.storage.delete(storageKey);
    return true;
  });
}

/**
 * As removeIfUnreferenced, and never fails its caller: storage unreachable leaves
 * unreferenced bytes (which the orphan sweep removes later), not a failed deletion.
 */
async function freeIfUnreferenced(deps: Deps, storageKey: string) {
  await removeIfUnreferenced(deps, storageKey).catch(() => undefined);
}
