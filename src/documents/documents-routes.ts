// PoE documents: upload (multipart, streamed to disk, never whole in memory), list, download.
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { fileTypeFromFile } from 'file-type';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { roleLabel } from '../domain/actor.js';
import { authorizeAddDocument, authorizeDeleteDocument } from '../domain/claim-transitions.js';
import { DomainError, notFound } from '../domain/errors.js';
import { requireActor } from '../http/auth.js';
import { appendHistory, loadClaim } from '../claims/claims-repository.js';
import { addDocument } from './documents-commands.js';
import { readableClaim } from '../claims/claims-queries.js';
import { removeQuietly } from './storage.js';

const allowedTypes = new Set([
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/x-cfb',
  'message/rfc822',
  'image/png',
  'image/jpeg',
  'image/tiff',
  'text/plain',
]);

/** File names: NFC, no path parts, no control characters, bounded length. */
export function normalizeFileName(raw: string): string {
  const base = raw.normalize('NFC').split(/[\\/]/).pop() ?? '';
  const clean = base
    // eslint-disable-next-line no-control-regex -- removing control characters is the point
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .replace(/^\.+/, '')
    .trim();
  if (!clean)
    throw new DomainError('validation_failed', 'The file has no usable name.', [
      { path: 'file', message: 'has no usable file name' },
    ]);
  if (clean.length <= 200) return clean;
  const dot = clean.lastIndexOf('.');
  const ext = dot > 0 && clean.length - dot <= 10 ? clean.slice(dot) : '';
  return clean.slice(0, 200 - ext.length) + ext;
}

/** The type decided by the content; text when it is valid UTF-8 without NUL bytes. */
async function sniff(path: string, size: number): Promise<string | null> {
  const t = await fileTypeFromFile(path);
  if (t) return t.mime;
  if (size === 0 || size > 5 * 1024 * 1024) return null;
  const buf = await readFile(path);
  if (buf.includes(0)) return null;
  try {
    const s = new TextDecoder('utf-8', { fatal: true }).decode(buf);
    // Markup with script is not plain text.
    if (/<\s*(script|html|svg|iframe)\b/i.test(s)) return null;
    if (/^(From |Received:|Message-ID:|MIME-Version:|Subject:|Date:)/im.test(s) && /\r?\n\r?\n/.test(s))
      return 'message/rfc822';
    return 'text/plain';
  } catch {
    return null;
  }
}

function presentDocument(d: {
  id: string;
  file_name: string;
  content_type: string;
  size: number;
  sha256: string;
  created_at: Date;
}) {
  return {
    id: d.id,
    fileName: d.file_name,
    contentType: d.content_type,
    size: Number(d.size),
    sha256: d.sha256,
    createdAt: d.created_at.toISOString(),
  };
}

const params = z.strictObject({ id: z.string().max(100) });
const docParams = z.strictObject({ id: z.string().max(100), documentId: z.string().max(100) });

export function documentsRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/claims/:id/documents',
      {
        schema: {
          tags: ['documents'],
          summary: 'Upload a PoE document (multipart field "file")',
          params,
          consumes: ['multipart/form-data'],
        },
      },
      async (req, reply) => {
        const actor = requireActor(req);
        const claim = await loadClaim(deps.db, req.params.id);
        if (!claim) throw notFound();
        authorizeAddDocument(claim, actor);
        if (claim.documentCount >= deps.config.CPOR_MAX_DOCUMENTS_PER_CLAIM) {
          throw new DomainError(
            'too_many_documents',
            `A claim holds at most ${deps.config.CPOR_MAX_DOCUMENTS_PER_CLAIM} documents.`,
          );
        }
        if (!req.isMultipart())
          throw new DomainError(
            'unsupported_media_type',
            'Send the file as multipart/form-data, field "file".',
          );
        const part = await req.file({
          limits: { fileSize: deps.config.CPOR_MAX_UPLOAD_BYTES, files: 1, fields: 0, parts: 2 },
        });
        if (!part || part.fieldname !== 'file') {
          throw new DomainError(
            'validation_failed',
            'The multipart body needs one file in the field "file".',
            [{ path: 'file', message: 'is required' }],
          );
        }
        const fileName = normalizeFileName(part.filename);
        const tmpDir = join(tmpdir(), 'cpor-uploads');
        await mkdir(tmpDir, { recursive: true });
        const tmp = join(tmpDir, randomUUID());
        try {
          const hash = createHash('sha256');
          let size = 0;
          await pipeline(
            part.file,
            new Transform({
              transform(chunk: Buffer, _enc, cb) {
                hash.update(chunk);
                size += chunk.length;
                cb(null, chunk);
              },
            }),
            createWriteStream(tmp),
          );
          if (part.file.truncated) {
            throw new DomainError(
              'payload_too_large',
              `The file is larger than ${deps.config.CPOR_MAX_UPLOAD_BYTES} bytes.`,
            );
          }
          if (size === 0)
            throw new DomainError('validation_failed', 'The file is empty.', [
              { path: 'file', message: 'is empty' },
            ]);
          const contentType = await sniff(tmp, size);
          if (!contentType || !allowedTypes.has(contentType)) {
            throw new DomainError(
              'unsupported_media_type',
              'PoE must be PDF, Word, Excel, PowerPoint, Outlook message, email, PNG, JPEG, TIFF or plain text (judged by content).',
            );
          }
          const doc = await addDocument(deps, actor, claim.id, {
            path: tmp,
            fileName,
            contentType,
            size,
            sha256: hash.digest('hex'),
          });
          reply.status(201);
          return presentDocument(doc);
        } finally {
          await removeQuietly(tmp);
        }
      },
    );

    app.get(
      '/claims/:id/documents',
      { schema: { tags: ['documents'], summary: 'PoE documents of a claim', params } },
      async (req) => {
        await readableClaim(deps, requireActor(req), req.params.id);
        const rows = await deps.db
          .selectFrom('documents')
          .selectAll()
          .where('claim_id', '=', req.params.id)
          .orderBy('created_at')
          .execute();
        return { items: rows.map(presentDocument), nextCursor: null };
      },
    );

    app.get(
      '/claims/:id/documents/:documentId',
      { schema: { tags: ['documents'], summary: 'Download a PoE document', params: docParams } },
      async (req, reply) => {
        await readableClaim(deps, requireActor(req), req.params.id);
        const doc = await deps.db
          .selectFrom('documents')
          .selectAll()
          .where('claim_id', '=', req.params.id)
          .where('id', '=', req.params.documentId)
          .executeTakeFirst();
        if (!doc) throw notFound('document');
        const ascii = doc.file_name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
        void reply
          .header(
            'Content-Disposition',
            `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(doc.file_name)}`,
          )
          .header('X-Content-Type-Options', 'nosniff')
          .header('Accept-Ranges', 'bytes')
          .type(doc.content_type);
        const size = Number(doc.size);
        const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
        if (range && (range[1] || range[2])) {
          const start = range[1] ? Number(range[1]) : Math.max(0, size - Number(range[2]));
          const end = range[1] && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
          if (start > end || start >= size)
            return reply.status(416).header('Content-Range', `bytes */${size}`).send();
          void reply
            .status(206)
            .header('Content-Range', `bytes ${start}-${end}/${size}`)
            .header('Content-Length', end - start + 1);
          return reply.send(await deps.storage.open(doc.storage_key, { start, end }));
        }
        void reply.header('Content-Length', size);
        return reply.send(await deps.storage.open(doc.storage_key));
      },
    );

    app.delete(
      '/claims/:id/documents/:documentId',
      {
        schema: {
          tags: ['documents'],
          summary: 'Delete a document of a draft (R-POE-2 keeps them after submission)',
          params: docParams,
        },
      },
      async (req, reply) => {
        const actor = requireActor(req);
        await deps.db.transaction().execute(async (trx) => {
          const claim = await loadClaim(trx, req.params.id, true);
          if (!claim) throw notFound();
          authorizeDeleteDocument(claim, actor);
          const res = await trx
            .deleteFrom('documents')
            .where('claim_id', '=', claim.id)
            .where('id', '=', req.params.documentId)
            .returning(['file_name'])
            .executeTakeFirst();
          if (!res) throw notFound('document');
          await appendHistory(trx, [
            {
              claimId: claim.id,
              at: deps.clock.now(),
              type: 'document_deleted',
              actorId: actor.id,
              actorName: actor.name,
              actorRole: roleLabel(actor),
              data: { documentId: req.params.documentId, fileName: res.file_name },
            },
          ]);
        });
        return reply.status(204).send();
      },
    );
  };
}
