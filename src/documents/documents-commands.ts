// Adds a checked, hashed file to a claim: stored, recorded and written to history together.
import { randomUUID } from 'node:crypto';
import type { Deps } from '../deps.js';
import { roleLabel, type Actor } from '../domain/actor.js';
import { authorizeAddDocument } from '../domain/claim-transitions.js';
import { DomainError, notFound } from '../domain/errors.js';
import { appendHistory, loadClaim } from '../claims/claims-repository.js';

export interface CheckedFile {
  path: string;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
}

export async function addDocument(deps: Deps, actor: Actor, claimId: string, file: CheckedFile) {
  return deps.db.transaction().execute(async (trx) => {
    const claim = await loadClaim(trx, claimId, true);
    if (!claim) throw notFound();
    authorizeAddDocument(claim, actor);
    const dup = await trx
      .selectFrom('documents')
      .selectAll()
      .where('claim_id', '=', claimId)
      .where('sha256', '=', file.sha256)
      .executeTakeFirst();
    if (dup) {
      throw new DomainError(
        'duplicate_document',
        `This file is already on the claim as "${dup.file_name}".`,
        [{ path: 'file', message: `same content as document ${dup.id}` }],
      );
    }
    // Stored before the row commits: a crash leaves at worst an unreferenced file, never a row without bytes.
    const storageKey = await deps.storage.put(file.path, file.sha256);
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
    await trx.insertInto('documents').values(row).execute();
    await appendHistory(trx, [
      {
        claimId,
        at: now,
        type: 'document_added',
        actorId: actor.id,
        actorName: actor.name,
        actorRole: roleLabel(actor),
        data: { documentId: row.id, fileName: file.fileName, sha256: file.sha256, size: file.size },
      },
    ]);
    return row;
  });
}
