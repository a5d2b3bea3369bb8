// What every inspector of src/documents/inspect/ shares: the refusal, the list of accepted
// types in words, bounded reads, and the context of a nested inspection (a mail attachment, a
// workbook inside a document), which passes the same checks as an upload.
import type { FileHandle } from 'node:fs/promises';
import { DomainError } from '../../domain/errors.js';

export const refuse = (detail: string) => new DomainError('unsupported_media_type', detail);

export const acceptedList =
  'PoE must be PDF, Word (DOCX, DOC), Excel (XLSX), PowerPoint (PPTX), Outlook message (MSG), email (EML), PNG, JPEG, TIFF or UTF-8 plain text';

/** Limits of the checks; exported so tests can name them. */
export const checkLimits = {
  fileNameLength: 255,
  zipEntries: 5_000,
  /** Total inflated size of an OOXML package. */
  zipTotalBytes: 512 * 1024 * 1024,
  /** Inflated / compressed, judged on entries larger than 1 MiB inflated. */
  zipRatio: 200,
  zipCentralDirectoryBytes: 8 * 1024 * 1024,
  cfbDirectoryEntries: 50_000,
  /** Width x height of a PNG, JPEG or TIFF (each frame or page). */
  imagePixels: 100_000_000,
  /** Pages (IFDs) of a TIFF. */
  tiffPages: 2_000,
  /** A PDF object stream is read whole: larger ones are refused, never skipped. */
  pdfObjectStreamBytes: 16 * 1024 * 1024,
  /** What decoding a PDF's object streams may produce in all. */
  pdfDecodedBytes: 256 * 1024 * 1024,
  /** A mail in a mail in a mail...; an Office file in an Office file. */
  nestingDepth: 3,
  /** Attachments and embedded packages inspected for one upload, at every depth. */
  nestedParts: 200,
  /** An XML tag or a PDF dictionary larger than this is not an honest one. */
  xmlTagBytes: 1024 * 1024,
};

export async function readAt(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(Math.max(0, length));
  if (length <= 0) return buf;
  const { bytesRead } = await fh.read(buf, 0, length, position);
  return buf.subarray(0, bytesRead);
}

/** Cached reads of a file, one window at a time: inspectors never read a file whole. */
export class FileWindow {
  private buf: Buffer = Buffer.alloc(0);
  private start = 0;
  constructor(
    private readonly fh: FileHandle,
    readonly size: number,
    private readonly windowBytes = 1024 * 1024,
  ) {}
  /** Bytes from `pos` to the end of the window: at least `min` (fewer only at the end of the file). */
  async get(pos: number, min: number): Promise<Buffer> {
    const end = Math.min(this.size, pos + min);
    if (pos < this.start || end > this.start + this.buf.length) {
      this.start = pos;
      this.buf = await readAt(this.fh, pos, Math.max(min, this.windowBytes));
    }
    return this.buf.subarray(pos - this.start);
  }
}

/**
 * A part found inside the file (a mail attachment, a package embedded in a document): written
 * to `path` under `scratchDir` by the inspector, then checked like an upload of its own.
 */
export interface Nested {
  path: string;
  size: number;
  /** The part's own file name, when it has one: it must match the content, as an upload's. */
  name?: string;
  /** Where it was found, for the refusal ("attachment 2 of the email"). */
  where: string;
}

export interface InspectContext {
  /** 0 for the upload itself. */
  depth: number;
  /** Where nested parts are written (the uploads folder: the crash sweep removes leftovers). */
  scratchDir: string;
  /** Parts inspected so far for this upload, at every depth. */
  parts: { count: number };
  /** Checks a nested part as an upload; throws its refusal, prefixed with where it was found. */
  inspectNested(part: Nested): Promise<string>;
}
