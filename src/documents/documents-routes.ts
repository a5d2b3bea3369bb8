// PoE documents over HTTP: upload (multipart, streamed, checked by content), list, download
// (RFC 6266 names, nosniff, ranges), delete (drafts only), the filled-in PoE template and the
// reviewer's checklist. Rules live in domain/claim-transitions.ts (authorize*).
import type { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { informationReasons } from '../domain/claim.js';
import { authorizeAddDocument } from '../domain/claim-policy.js';
import { DomainError, notFound } from '../domain/errors.js';
import { idempotent } from '../http/idempotency.js';
import { answers, bodyErrors, noContent, ok, okAs, pageQuery } from '../http/contract.js';
import { decodeKeyCursor, isInstant, keyPage } from '../lib/cursor.js';
import { claimsMeta, latestHistoryOfTypes, loadClaim, loadProducts } from '../claims/claims-repository.js';
import { documentOf, documentsOf, locationName } from './documents-repository.js';
import { withCaller } from '../db/transaction.js';
import { readableClaim } from '../claims/claims-queries.js';
import { ifMatchVersion } from '../http/preconditions.js';
import { checkVersion } from '../claims/commands/command-context.js';
import { addDocument, deleteDocument, tooManyDocuments } from './documents-commands.js';
import { inspectFile, nameForType, normalizeFileName } from './file-checks.js';
import type { TemplateData } from './poe-template.js';
import { poeTemplateDocx } from './poe-template-docx.js';
import { templateLanguageOf } from './poe-template-labels.js';
import { poeTemplatePdf } from './poe-template-pdf.js';
import { checkAnnouncedLength, receiveOneFile } from './receive-upload.js';
import { orphanGraceMs, removeStaleUploads, uploadDirOf } from './orphans.js';
import { removeQuietly } from '../storage/storage.js';

export { normalizeFileName };

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

/** RFC 6266 / RFC 8187: an ASCII fallback name and the exact UTF-8 name. */
export function contentDisposition(fileName: string, type: 'attachment' | 'inline' = 'attachment'): string {
  const ascii = fileName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '_')
    .replace(/["\\%]/g, '_');
  // encodeURIComponent leaves ' ( ) * ! unescaped; RFC 8187 attr-char does not allow ' ( ) *.
  const exact = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${type}; filename="${ascii}"; filename*=UTF-8''${exact}`;
}

/** One `bytes=` range of a `size`-byte file: null for "send it all", 'unsatisfiable' for 416. */
export function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | null | 'unsatisfiable' {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  // Several ranges, or a unit we do not know: the whole file is a valid answer (RFC 9110 14.2).
  if (!m || (!m[1] && !m[2])) return null;
  let start: number;
  let end: number;
  if (!m[1]) {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'unsatisfiable';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
  }
  if (!Number.isSafeInteger(start) || start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}

const params = z.strictObject({ id: z.string().max(100) });
const docParams = z.strictObject({ id: z.string().max(100), documentId: z.string().max(100) });
const templateQuery = z.strictObject({ format: z.enum(['docx', 'pdf']).default('docx') });
const downloadQuery = z.strictObject({ disposition: z.enum(['attachment', 'inline']).default('attachment') });

const documentView = z
  .strictObject({
    id: z.string(),
    fileName: z.string(),
    contentType: z.string().meta({ description: 'Decided by the content, not the name' }),
    size: z.number().int(),
    sha256: z.string(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Document' });
const documentList = z
  .strictObject({ items: z.array(documentView), nextCursor: z.string().nullable() })
  .meta({ id: 'DocumentList' });
const checklistView = z
  .strictObject({
    items: z.array(
      z.strictObject({
        reason: z.enum(informationReasons),
        passed: z.boolean().nullable().meta({ description: 'null: not judged' }),
      }),
    ),
    recorded: z
      .strictObject({
        at: z.iso.datetime(),
        decision: z.string(),
        reviewer: z.strictObject({ name: z.string(), role: z.string() }),
      })
      .nullable(),
    customerContactVerified: z.boolean().nullable().meta({
      description:
        "R-CONS-3: whether the reviewer confirmed the customer contact with the approval (null: not recorded, as when the directory knows the tenant's domains)",
    }),
  })
  .meta({ id: 'Checklist' });
/** A file's bytes (a stream or a buffer, never serialized). */
const bytes = {
  schema: z.custom<Readable | Uint8Array>(() => true).meta({ type: 'string', format: 'binary' }),
};

/** Types a browser may show inline (the reviewer's preview); everything else is only ever an attachment. */
const inlineTypes = new Set(['application/pdf', 'image/png', 'image/jpeg', 'text/plain']);

export function documentsRoutes(deps: Deps): FastifyPluginAsyncZod {
  const uploadDir = uploadDirOf(deps);
  const max = deps.config.CPOR_MAX_UPLOAD_BYTES;
  const maxDocs = deps.config.CPOR_MAX_DOCUMENTS_PER_CLAIM;

  return async (app) => {
    // Wall-clock time on purpose: file times are the system's, whatever the app's clock says.
    await removeStaleUploads(uploadDir, new Date(Date.now() - orphanGraceMs));
    app.post(
      '/claims/:id/documents',
      {
        schema: {
          tags: ['documents'],
          operationId: 'uploadDocument',
          summary: 'Upload a PoE document (multipart field "file"); the type is decided by the content',
          params,
          consumes: ['multipart/form-data'],
          // 409: a duplicate, too many documents, or the same Idempotency-Key still running;
          // 412: If-Match names a version the claim no longer has.
          response: answers(
            { 201: ok(documentView, "The stored document; the claim's version moved") },
            ...bodyErrors,
            403,
            404,
            409,
            412,
          ),
        },
      },
      async (req, reply) => {
        try {
          return await upload(req, reply, req.params.id);
        } catch (e) {
          // Refused before the body was read to its end: close the connection rather than
          // read (and throw away) the rest of a body that may be large and slow.
          if (!req.raw.complete) void reply.header('connection', 'close');
          throw e;
        }
      },
    );

    async function upload(req: FastifyRequest, reply: FastifyReply, claimId: string) {
      const actor = req.actor;
      checkAnnouncedLength(req, max);
      // Who may add, and whether there is room, are known before a byte of the file is read.
      const claim = await withCaller(deps.db, actor, (q) => loadClaim(q, claimId));
      if (!claim) throw notFound();
      authorizeAddDocument(claim, actor, deps.clock.now(), deps.limits);
      const ifMatch = ifMatchVersion(req);
      checkVersion(claim, ifMatch);
      if (claim.documentCount >= maxDocs) throw tooManyDocuments(maxDocs);
      if (!req.isMultipart())
        throw new DomainError(
          'unsupported_media_type',
          'Send the file as multipart/form-data, field "file".',
        );
      const received = await receiveOneFile(req, max, uploadDir);
      try {
        // Idempotency-Key (api.md): the file's hash and name stand for the multipart body, so a
        // retry of the same upload with the same key gets the first answer, not a 409 duplicate.
        (req as { body: unknown }).body = { fileName: received.fileName, sha256: received.sha256 };
        return await idempotent(
          deps,
          req,
          reply,
          201,
          async () => {
            const fileName = normalizeFileName(received.fileName);
            const contentType = await inspectFile(received.path, received.size);
            const doc = await addDocument(
              deps,
              actor,
              claim.id,
              {
                path: received.path,
                fileName: nameForType(fileName, contentType),
                contentType,
                size: received.size,
                sha256: received.sha256,
              },
              ifMatch,
            );
            return presentDocument(doc);
          },
          async (documentId) => {
            const doc = await withCaller(deps.db, actor, (q) => documentOf(q, claim.id, documentId));
            if (!doc) throw notFound('document');
            return presentDocument(doc);
          },
        );
      } finally {
        await removeQuietly(received.path);
      }
    }

    app.get(
      '/claims/:id/documents',
      {
        schema: {
          tags: ['documents'],
          operationId: 'listDocuments',
          summary: 'PoE documents of a claim',
          params,
          querystring: z.strictObject(pageQuery),
          response: answers(
            { 200: ok(documentList, 'The documents, oldest first, a page at a time') },
            401,
            404,
            422,
          ),
        },
      },
      async (req) => {
        const { limit, cursor } = req.query;
        const after = cursor ? decodeKeyCursor(cursor, isInstant) : undefined;
        const rows = await withCaller(deps.db, req.actor, async (q) => {
          await readableClaim(q, req.actor, req.params.id);
          return documentsOf(q, req.params.id, { after, limit: limit + 1 });
        });
        return keyPage(rows, limit, presentDocument, (r) => ({ k: r.created_at.toISOString(), id: r.id }));
      },
    );

    app.get(
      '/claims/:id/documents/:documentId',
      {
        schema: {
          tags: ['documents'],
          operationId: 'downloadDocument',
          summary: 'Download a PoE document (exact bytes; Range requests supported)',
          params: docParams,
          querystring: downloadQuery,
          response: answers(
            {
              200: okAs({ 'application/octet-stream': bytes }, 'The exact bytes, with their content type'),
              206: okAs({ 'application/octet-stream': bytes }, 'The requested range'),
              304: noContent('Not modified (If-None-Match)'),
              416: okAs({ 'text/plain': { schema: z.string() } }, 'The range is outside the file'),
            },
            401,
            404,
            422,
          ),
        },
      },
      async (req, reply) => {
        const doc = await withCaller(deps.db, req.actor, async (q) => {
          await readableClaim(q, req.actor, req.params.id);
          return documentOf(q, req.params.id, req.params.documentId);
        });
        if (!doc) throw notFound('document');
        const size = Number(doc.size);
        const inline = req.query.disposition === 'inline' && inlineTypes.has(doc.content_type);
        void reply
          .header('Content-Disposition', contentDisposition(doc.file_name, inline ? 'inline' : 'attachment'))
          .header('X-Content-Type-Options', 'nosniff')
          // Even shown inline, a document runs nothing and loads nothing.
          .header(
            'Content-Security-Policy',
            "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'",
          )
          .header('Cache-Control', 'private, no-cache')
          .header('ETag', `"${doc.sha256}"`)
          .header('Accept-Ranges', 'bytes')
          .type(doc.content_type);
        const ifRange = req.headers['if-range'];
        const range = ifRange && ifRange !== `"${doc.sha256}"` ? null : parseRange(req.headers.range, size);
        if (range === 'unsatisfiable') {
          return reply.status(416).header('Content-Range', `bytes */${size}`).type('text/plain').send('');
        }
        if (range) {
          const body = await deps.storage.open(doc.storage_key, range);
          return reply
            .status(206)
            .header('Content-Range', `bytes ${range.start}-${range.end}/${size}`)
            .header('Content-Length', range.end - range.start + 1)
            .send(body);
        }
        if (req.headers['if-none-match'] === `"${doc.sha256}"`) return reply.status(304).send(null);
        const body = await deps.storage.open(doc.storage_key);
        return reply.header('Content-Length', size).send(body);
      },
    );

    app.delete(
      '/claims/:id/documents/:documentId',
      {
        schema: {
          tags: ['documents'],
          operationId: 'deleteDocument',
          summary: 'Delete a document of a draft (R-POE-2 keeps them after submission)',
          params: docParams,
          response: answers(
            { 204: noContent("Deleted; the claim's version moved") },
            401,
            403,
            404,
            409,
            412,
            422,
          ),
        },
      },
      async (req, reply) => {
        await deleteDocument(deps, req.actor, req.params.id, req.params.documentId, ifMatchVersion(req));
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/claims/:id/poe-template',
      {
        schema: {
          tags: ['documents'],
          summary:
            'The PoE template filled in with the claim, in its language (R-POE-1); ?format=pdf for a PDF',
          operationId: 'poeTemplate',
          params,
          querystring: templateQuery,
          response: answers(
            {
              200: okAs(
                {
                  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': bytes,
                  'application/pdf': bytes,
                },
                'The filled-in template (Content-Language: its language)',
              ),
            },
            401,
            404,
            422,
          ),
        },
      },
      async (req, reply) => {
        const data = await templateData(deps, req, req.params.id);
        const base = `poe-${(data.data.claimName ?? data.data.claimId).replace(/[^\p{L}\p{N}._-]+/gu, '-').slice(0, 80)}`;
        void reply.header('X-Content-Type-Options', 'nosniff').header('Cache-Control', 'private, no-store');
        if (req.query.format === 'pdf') {
          const pdf = await poeTemplatePdf(data.data, data.language);
          return reply
            .type('application/pdf')
            .header('Content-Language', pdf.language)
            .header('Content-Disposition', contentDisposition(`${base}.pdf`))
            .send(Buffer.from(pdf.bytes));
        }
        return reply
          .type('application/vnd.openxmlformats-officedocument.wordprocessingml.document')
          .header('Content-Language', data.language)
          .header('Content-Disposition', contentDisposition(`${base}.docx`))
          .send(await poeTemplateDocx(data.data, data.language));
      },
    );

    app.get(
      '/claims/:id/checklist',
      {
        schema: {
          tags: ['documents'],
          summary:
            "The reviewer's PoE checklist (R-PAR-1's five points) as last recorded with a decision; true = the PoE shows it; and R-CONS-3's customer contact confirmation",
          operationId: 'getChecklist',
          params,
          response: answers({ 200: ok(checklistView, 'The checklist') }, 401, 404, 422),
        },
      },
      async (req) => {
        const rows = await withCaller(deps.db, req.actor, async (q) => {
          await readableClaim(q, req.actor, req.params.id);
          return latestHistoryOfTypes(q, req.params.id, [
            'request_information',
            'approve',
            'reject',
            'resolve_dispute',
          ]);
        });
        const last = rows.find((r) => r.data && typeof r.data.checklist === 'object' && r.data.checklist);
        const checklist = (last?.data.checklist ?? {}) as Record<string, boolean>;
        return {
          items: informationReasons.map((reason) => ({
            reason,
            passed: typeof checklist[reason] === 'boolean' ? checklist[reason] : null,
          })),
          recorded: last
            ? {
                at: last.at.toISOString(),
                decision: last.type,
                reviewer: { name: last.actor_name, role: last.actor_role },
              }
            : null,
          customerContactVerified:
            typeof checklist.customer_contact_verified === 'boolean'
              ? checklist.customer_contact_verified
              : null,
        };
      },
    );
  };
}

async function templateData(deps: Deps, req: FastifyRequest, claimId: string) {
  const [claim, [meta], location, products] = await withCaller(deps.db, req.actor, async (q) => {
    const c = await readableClaim(q, req.actor, claimId);
    return [
      c,
      ...(await Promise.all([
        claimsMeta(q, [c.id]),
        c.mpnId ? locationName(q, c.mpnId) : undefined,
        loadProducts(q),
      ])),
    ] as const;
  });
  if (!meta) throw notFound();
  const data: TemplateData = {
    claimId: claim.id,
    claimName: claim.name,
    partnerName: meta.name,
    mpnId: claim.mpnId,
    locationName: location?.name ?? null,
    customerDomain: claim.domain,
    tenantId: claim.tenantId,
    solutionArea: claim.solutionArea,
    activity: claim.activity,
    products: claim.products.map((p) => ({
      name: products.get(p.productId)?.name ?? p.productId,
      subscriptionId: p.subscriptionId,
    })),
    customerContact: claim.customerContact,
    technicalContact: claim.technicalContact,
    partnerContact: claim.partnerContact,
    revenue: claim.revenue,
    createdAt: meta.created_at,
    submittedAt: claim.submittedAt,
    generatedAt: deps.clock.now(),
  };
  return { data, language: templateLanguageOf(meta.language) };
}
