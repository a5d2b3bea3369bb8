// Bulk import of claims over HTTP (api.md "Bulk import"): the template, and the import of a
// CSV file (multipart field `file`), all rows or none, with a dry run. Rules live in
// claims-import.ts (the columns) and commands/import-claims.ts (who, and the drafts).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { DomainError } from '../domain/errors.js';
import { TooManyRows, type RowError } from '../lib/csv-import.js';
import { answers, bodyErrors, fieldErrorCode, fieldErrorParams, ok, okAs } from '../http/contract.js';
import { idempotent } from '../http/idempotency.js';
import { receiveCsvText } from '../documents/receive-upload.js';
import { uploadDirOf } from '../documents/orphans.js';
import { claimImportLimits, claimImportTemplate, readClaimsCsv } from './claims-import.js';
import { importClaims, importingOrganization } from './commands/import-claims.js';

/** The answer of an import, a dry run or not (api.md: `{created, errors}`). */
export const importReport = z
  .strictObject({
    rows: z.number().int().meta({ description: 'Rows of the file, the header aside' }),
    created: z.array(z.string()).meta({ description: 'The ids of what was created (none in a dry run)' }),
    errors: z
      .array(
        z.strictObject({
          row: z.number().int().meta({ description: 'The row in the file; the header is row 1' }),
          field: z.string().meta({ description: 'The column, or `file`' }),
          message: z.string(),
          code: fieldErrorCode,
          params: fieldErrorParams,
        }),
      )
      .meta({ description: 'Every problem found; empty when the file can be imported' }),
  })
  .meta({ id: 'ImportReport' });

export const importQuery = {
  dryRun: z.enum(['true', 'false']).optional().meta({ description: 'true: check every row, create nothing' }),
};

/** A file with more rows than an import takes: 422 naming `file`. */
export const tooManyRows = (max: number) =>
  new DomainError('validation_failed', `The file has more than ${max} rows; split it.`, [
    { path: 'file', message: `has more than ${max} rows`, code: 'too_many', params: { max } },
  ]);

/** An import refused because of its rows: 422, each error naming its row and column. */
export function rowsRefused(errors: RowError[], max: number) {
  const shown = errors.slice(0, max);
  return new DomainError(
    'validation_failed',
    `${new Set(errors.map((e) => e.row)).size} rows have errors; nothing was imported${
      errors.length > max ? ` (the first ${max} errors are listed)` : ''
    }.`,
    shown.map((e) => ({
      path: `rows.${e.row}.${e.field}`,
      message: e.message,
      code: e.code,
      params: e.params ?? {},
      row: e.row,
      field: e.field,
    })),
  );
}

export function claimsImportRoutes(deps: Deps): FastifyPluginAsyncZod {
  const { maxBytes, maxRows } = claimImportLimits;
  return async (app) => {
    app.get(
      '/claims/import-template',
      {
        schema: {
          tags: ['claims'],
          operationId: 'claimImportTemplate',
          summary: 'The CSV header of a claims import and an example row',
          response: answers(
            { 200: okAs({ 'text/csv': { schema: z.string() } }, 'The header and one example row') },
            401,
          ),
        },
      },
      async (_req, reply) =>
        reply
          .type('text/csv; charset=utf-8')
          .header('Content-Disposition', 'attachment; filename="claims-import.csv"')
          .send(claimImportTemplate()),
    );

    app.post(
      '/claims/import',
      {
        schema: {
          tags: ['claims'],
          operationId: 'importClaims',
          summary: `Import drafts from CSV (multipart field "file"; at most ${maxRows} rows, ${maxBytes} bytes): all rows or none`,
          consumes: ['multipart/form-data'],
          querystring: z.strictObject({
            ...importQuery,
            organizationId: z
              .string()
              .max(100)
              .optional()
              .meta({ description: 'Platform admins: the organization (partners: their own, the default)' }),
          }),
          // 409: a request with the same Idempotency-Key is still running.
          response: answers(
            {
              200: ok(importReport, 'A dry run: every problem found, nothing created'),
              201: ok(importReport, 'Every row became a draft'),
            },
            ...bodyErrors,
            403,
            409,
          ),
        },
      },
      async (req, reply) => {
        const actor = req.actor;
        return answerImport(deps, req, reply, claimImportLimits, req.query.dryRun === 'true', async () => {
          const organizationId = await importingOrganization(deps, actor, req.query.organizationId);
          return {
            key: { organizationId },
            read: readClaimsCsv,
            run: (read, dryRun) =>
              importClaims(deps, actor, { organizationId, rows: read.rows, errors: read.errors, dryRun }),
          };
        });
      },
    );
  };
}

/**
 * The steps of every CSV import (claims, legacy associations): who may (`prepare`, before a
 * byte of the file is read), the file (limits), its rows, then a dry run (200) or the import
 * under its Idempotency-Key (201; 422 naming each refused row and column).
 */
export async function answerImport<T>(
  deps: Deps,
  req: FastifyRequest,
  reply: FastifyReply,
  limits: { maxBytes: number; maxRows: number; maxErrors: number },
  dryRun: boolean,
  prepare: () => Promise<{
    /** What, besides the file's hash, stands for the request under an Idempotency-Key. */
    key: Record<string, unknown>;
    read: (text: string) => T;
    run: (read: T, dryRun: boolean) => Promise<ImportReport>;
  }>,
) {
  try {
    const job = await prepare();
    const file = await receiveCsvText(req, limits.maxBytes, uploadDirOf(deps));
    let read: T;
    try {
      read = job.read(file.text);
    } catch (e) {
      throw e instanceof TooManyRows ? tooManyRows(limits.maxRows) : e;
    }
    if (dryRun) {
      const report = await job.run(read, true);
      reply.status(200);
      return { ...report, errors: report.errors.slice(0, limits.maxErrors) };
    }
    // Idempotency-Key: the file's hash stands for the multipart body.
    (req as { body: unknown }).body = { sha256: file.sha256, ...job.key };
    return await idempotent(
      deps,
      req,
      reply,
      201,
      async () => {
        const report = await job.run(read, false);
        if (report.errors.length) throw rowsRefused(report.errors, limits.maxErrors);
        return report;
      },
      undefined,
      // The report is written with the rows: a retry after a crash gets it back.
      { answerIsTheWrite: true },
    );
  } catch (e) {
    // Refused before the body was read to its end: close rather than read the rest.
    if (!req.raw.complete) void reply.header('connection', 'close');
    throw e;
  }
}

interface ImportReport {
  rows: number;
  created: string[];
  errors: RowError[];
}
