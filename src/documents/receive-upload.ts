// Receives exactly one file from a multipart body, streamed to a temporary file while its
// SHA-256 and size are computed: memory stays flat whatever the size. Refuses, as soon as it
// can tell: a body announced larger than the limit (before reading it), a file passing the
// limit (at the first byte over it), other fields, a second file, a body cut short.
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../domain/errors.js';
import { removeQuietly } from '../storage/storage.js';

export interface ReceivedFile {
  path: string;
  /** As the client sent it; not yet normalized. */
  fileName: string;
  size: number;
  sha256: string;
}

/** Room for the multipart headers and boundaries around the file. */
const multipartOverhead = 64 * 1024;

export const tooLarge = (max: number) =>
  new DomainError('payload_too_large', `The file is larger than ${max} bytes (CPOR_MAX_UPLOAD_BYTES).`);

const oneFile = (detail: string) =>
  new DomainError('validation_failed', detail, [
    {
      path: 'file',
      message: 'send exactly one file, in the multipart field "file"',
      code: 'malformed_upload',
    },
  ]);

const cutShort = () =>
  new DomainError(
    'validation_failed',
    'The multipart body is malformed or was cut short; nothing was stored.',
    [{ path: 'file', message: 'incomplete upload', code: 'malformed_upload' }],
  );

/** @fastify/multipart and busboy errors -> domain errors with a clear message. */
function mapError(e: unknown, max: number): unknown {
  if (e instanceof DomainError) return e;
  const code = (e as { code?: string }).code ?? '';
  if (code === 'FST_REQ_FILE_TOO_LARGE') return tooLarge(max);
  if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT') return oneFile('Send one file per request.');
  if (code === 'FST_FIELDS_LIMIT' || code === 'FST_PROTO_VIOLATION')
    return oneFile('The multipart body may hold only the file, in the field "file".');
  if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE')
    return new DomainError('unsupported_media_type', 'Send the file as multipart/form-data, field "file".');
  return cutShort();
}

/** Throws 413 before a byte is read when Content-Length already says the body is too large. */
export function checkAnnouncedLength(req: FastifyRequest, max: number) {
  const announced = Number(req.headers['content-length'] ?? 0);
  if (announced > max + multipartOverhead) throw tooLarge(max);
}

export async function receiveOneFile(req: FastifyRequest, max: number, dir: string): Promise<ReceivedFile> {
  await mkdir(dir, { recursive: true });
  // busboy reports a body that ends before its closing boundary as a normal end; the last
  // bytes of the body tell the truth.
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(req.headers['content-type'] ?? '');
  const closing = Buffer.from(`--${boundary?.[1] ?? boundary?.[2] ?? ''}--`);
  let tail = Buffer.alloc(0);
  req.raw.on('data', (chunk: Buffer) => {
    tail = Buffer.concat([tail, chunk]).subarray(-(closing.length + 64));
  });
  // A body that ends (or a client that goes away) without the closing boundary leaves the
  // file stream open for ever: this ends the wait.
  const bodyEnded = new Promise<never>((_, reject) => {
    req.raw.once('end', () => {
      if (!tail.includes(closing)) reject(cutShort());
    });
    req.raw.once('close', () => {
      if (!req.raw.complete || !tail.includes(closing)) reject(cutShort());
    });
  });
  bodyEnded.catch(() => undefined);
  const iterable = req.parts({
    // The name as sent: normalizeFileName refuses paths instead of quietly cutting them.
    preservePath: true,
    limits: { fileSize: max, files: 1, fields: 0, parts: 1, headerPairs: 16, fieldNameSize: 64 },
  });
  const parts = iterable[Symbol.asyncIterator]();
  let first: Awaited<ReturnType<typeof parts.next>>;
  try {
    first = await parts.next();
  } catch (e) {
    throw mapError(e, max);
  }
  if (first.done || first.value.type !== 'file' || first.value.fieldname !== 'file') {
    if (!first.done && first.value.type === 'file') first.value.file.resume();
    throw oneFile('The multipart body needs one file in the field "file".');
  }
  const part = first.value;
  const path = join(dir, `${randomUUID()}.upload`);
  const hash = createHash('sha256');
  let size = 0;
  const out = createWriteStream(path);
  try {
    // busboy only marks an oversized file and goes on reading the body to its end; the
    // 'limit' event is the first moment we know, so the upload is refused right there.
    const overLimit = new Promise<never>((_, reject) => {
      part.file.once('limit', () => reject(tooLarge(max)));
    });
    const writing = pipeline(
      part.file,
      new Transform({
        transform(chunk: Buffer, _enc, cb) {
          hash.update(chunk);
          size += chunk.length;
          cb(null, chunk);
        },
      }),
      out,
    );
    writing.catch(() => undefined);
    await Promise.race([writing, overLimit, bodyEnded]);
    if (part.file.truncated) throw tooLarge(max);
    // The rest of the body: nothing may follow the file but the closing boundary.
    const next = await parts.next();
    if (!next.done) throw oneFile('Send one file per request.');
    if (!boundary || !tail.includes(closing)) throw cutShort();
    // Flushed to disk before anyone renames or uploads it.
    const fh = await open(path, 'r+');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
    return { path, fileName: part.filename ?? '', size, sha256: hash.digest('hex') };
  } catch (e) {
    part.file.destroy();
    // The writer is closed before its file is removed, so it cannot create it again after.
    out.destroy();
    if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()));
    await removeQuietly(path);
    throw mapError(e, max);
  }
}

/**
 * A bulk import's CSV file (api.md "Bulk import"): received as one file of at most `max` bytes
 * (413 naming `file` beyond it), read as UTF-8 text (422 otherwise), its temporary copy removed.
 */
export async function receiveCsvText(
  req: FastifyRequest,
  max: number,
  dir: string,
): Promise<{ text: string; sha256: string }> {
  const over = () =>
    new DomainError('payload_too_large', `The file is larger than ${max} bytes, the limit of an import.`, [
      { path: 'file', message: `is larger than ${max} bytes`, code: 'too_large', params: { max } },
    ]);
  if (Number(req.headers['content-length'] ?? 0) > max + multipartOverhead) throw over();
  if (!req.isMultipart())
    throw new DomainError(
      'unsupported_media_type',
      'Send the CSV file as multipart/form-data, field "file".',
    );
  let received: ReceivedFile;
  try {
    received = await receiveOneFile(req, max, dir);
  } catch (e) {
    throw e instanceof DomainError && e.code === 'payload_too_large' ? over() : e;
  }
  try {
    const bytes = await readFile(received.path);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new DomainError('validation_failed', 'The file is not UTF-8 text.', [
        { path: 'file', message: 'is not UTF-8 text (save the CSV as UTF-8)', code: 'not_utf8' },
      ]);
    }
    return { text, sha256: received.sha256 };
  } finally {
    await removeQuietly(received.path);
  }
}
