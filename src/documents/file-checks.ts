// What a PoE file is, decided by its content (never by its name or the client's
// Content-Type), and whether it may be kept. Reads the uploaded temporary file in bounded
// pieces: a whole file is never held in memory (an MSG, at most the upload limit, is the one
// exception). Each format's inspector lives in inspect/; this file decides which one runs,
// and runs the same checks on what is found inside (attachments, embedded packages). Each
// refusal says why, in words a partner can act on. Pure of HTTP: throws
// DomainError('unsupported_media_type' | 'validation_failed').
import { open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import { DomainError } from '../domain/errors.js';
import { inspectCfb } from './inspect/cfb.js';
import {
  acceptedList,
  checkLimits,
  readAt,
  refuse,
  type InspectContext,
  type Nested,
} from './inspect/common.js';
import { inspectJpeg, inspectPng, inspectTiff } from './inspect/images.js';
import { inspectEml, inspectMsg } from './inspect/mail.js';
import { inspectOoxml, zipType } from './inspect/ooxml.js';
import { inspectPdf } from './inspect/pdf.js';
import { inspectText } from './inspect/text.js';

export { checkLimits };

/** The PoE types issue 4 accepts, with the file name extensions that may carry each. */
export const acceptedTypes = {
  'application/pdf': ['pdf'],
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ['docx'],
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ['xlsx'],
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': ['pptx'],
  'application/msword': ['doc'],
  'application/vnd.ms-outlook': ['msg'],
  'message/rfc822': ['eml', 'txt'],
  'image/png': ['png'],
  'image/jpeg': ['jpg', 'jpeg', 'jfif'],
  'image/tiff': ['tif', 'tiff'],
  'text/plain': ['txt', 'text', 'log', 'csv', 'md', 'eml'],
} as const satisfies Record<string, readonly string[]>;
export type AcceptedType = keyof typeof acceptedTypes;

// ---------------------------------------------------------------------------------------
// File names

/** Names Windows refuses or treats as devices. */
const reservedNames = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

const badName = (message: string) =>
  new DomainError('validation_failed', `The file name ${message}.`, [
    { path: 'file.name', message, code: 'invalid_file_name' },
  ]);

/**
 * File names: Unicode NFC, runs of white space made one space, characters Windows refuses
 * (< > : " | ? *) made "_", no leading dots, trailing dots or spaces. Names no honest upload
 * sends are refused rather than repaired: path parts ("../", "/etc", "C:\\"), control
 * characters (NUL included), direction overrides ("exe.pdf" shown as "fdp.exe"), device names
 * (CON, NUL...), more than 255 characters.
 */
export function normalizeFileName(raw: string): string {
  const nfc = raw.normalize('NFC');
  if (/[\\/]/.test(nfc) || /^[A-Za-z]:/.test(nfc) || /^\.\.?$/.test(nfc.trim()))
    throw badName('must not contain a path ("/", "\\", "..", a drive)');
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  if (/[\u0000-\u001f\u007f-\u009f]/.test(nfc)) throw badName('must not contain control characters');
  if (/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/.test(nfc))
    throw badName('must not contain text-direction control characters');
  if (Array.from(nfc).length > checkLimits.fileNameLength)
    throw badName(`is longer than ${checkLimits.fileNameLength} characters`);
  const clean = nfc
    .replace(/\ufeff/g, '')
    .replace(/[<>:"|?*]/g, '_')
    .replace(/\s+/g, ' ')
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '');
  if (!clean) throw badName('is empty');
  if (reservedNames.test(clean)) throw badName('is a reserved device name');
  return clean;
}

/** The name's extension, lower case, or '' when it has none (digits alone are no extension). */
export function extensionOf(name: string): string {
  const m = /\.([A-Za-z0-9]{1,10})$/.exec(name);
  if (!m?.[1] || /^[0-9]+$/.test(m[1])) return '';
  return m[1].toLowerCase();
}

/**
 * The name must not promise another type than the content: "invoice.pdf.exe" holding a PDF
 * is refused, and so is "run.bat" holding text; a name without an extension gets one.
 */
export function nameForType(name: string, type: AcceptedType): string {
  const allowed: readonly string[] = acceptedTypes[type];
  const ext = extensionOf(name);
  if (!ext) return normalizeFileName(`${name}.${allowed[0]}`);
  if (!allowed.includes(ext)) {
    throw refuse(
      `The name ends in ".${ext}" but the content is ${describe(type)}; name it ".${allowed.join('" or ".')}".`,
    );
  }
  return name;
}

function describe(type: AcceptedType): string {
  const names: Record<AcceptedType, string> = {
    'application/pdf': 'a PDF',
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'a Word document (DOCX)',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'an Excel workbook (XLSX)',
    'application/vnd.openxmlformats-officedocument.presentationml.presentation':
      'a PowerPoint presentation (PPTX)',
    'application/msword': 'a Word 97-2003 document (DOC)',
    'application/vnd.ms-outlook': 'an Outlook message (MSG)',
    'message/rfc822': 'an email (EML)',
    'image/png': 'a PNG image',
    'image/jpeg': 'a JPEG image',
    'image/tiff': 'a TIFF image',
    'text/plain': 'plain text',
  };
  return names[type];
}

// ---------------------------------------------------------------------------------------
// Content

/**
 * Decides the type of the file at `path` by its content and checks it; throws when refused.
 * What is found inside it (an email's attachments, a package embedded in a document) is
 * written next to it, in the uploads folder, and checked the same way, one level deeper.
 */
export async function inspectFile(path: string, size: number): Promise<AcceptedType> {
  const ctx: InspectContext = {
    depth: 0,
    scratchDir: dirname(path),
    parts: { count: 0 },
    inspectNested: (part) => inspectNested(ctx, part),
  };
  return inspectIn(path, size, ctx);
}

async function inspectNested(parent: InspectContext, part: Nested): Promise<AcceptedType> {
  const where = part.name ? `${part.where} (${part.name})` : part.where;
  if (parent.depth + 1 > checkLimits.nestingDepth)
    throw refuse(`Files nested more than ${checkLimits.nestingDepth} deep are refused: ${where}.`);
  if (++parent.parts.count > checkLimits.nestedParts)
    throw refuse(
      `Files holding more than ${checkLimits.nestedParts} attachments or embedded files are refused.`,
    );
  const ctx: InspectContext = {
    ...parent,
    depth: parent.depth + 1,
    inspectNested: (inner) => inspectNested(ctx, inner),
  };
  try {
    const type = await inspectIn(part.path, part.size, ctx);
    // The name a mail client or Office would open it by must not promise another type.
    if (part.name) nameForType(normalizeFileName(part.name), type);
    return type;
  } catch (e) {
    if (e instanceof DomainError)
      throw refuse(`${where[0]?.toUpperCase()}${where.slice(1)} is refused: ${e.message}`);
    throw e;
  }
}

async function inspectIn(path: string, size: number, ctx: InspectContext): Promise<AcceptedType> {
  if (size === 0)
    throw new DomainError('validation_failed', 'The file is empty.', [
      { path: 'file', message: 'is empty', code: 'empty' },
    ]);
  const fh = await open(path, 'r');
  let detected: { mime: string; ext: string } | undefined;
  try {
    detected = await sniff(fh, size);
  } catch (e) {
    await fh.close();
    if (e instanceof DomainError) throw e;
    // file-type's parsers throw on some truncated or malformed headers (a cut TIFF, for one).
    throw refuse(`The file is damaged: its format cannot be read. ${acceptedList}.`);
  }
  try {
    if (!detected) return await textOrEmail(path, ctx);
    // Two-letter magic numbers: "BMW contract..." reads as a bitmap, "ID3 notes" as MP3. Real
    // ones are binary and fail the text checks; text that starts so is still text.
    if (weakMagic.has(detected.mime)) {
      try {
        return await textOrEmail(path, ctx);
      } catch {
        throw refuse(`The content is ${detected.mime}. ${acceptedList}.`);
      }
    }
    switch (detected.mime) {
      case 'application/pdf':
        await inspectPdf(fh, size);
        return 'application/pdf';
      case 'application/vnd.openxmlformats-officedocument.wordprocessingml.document':
      case 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet':
      case 'application/vnd.openxmlformats-officedocument.presentationml.presentation':
        await inspectOoxml(fh, path, size, ctx);
        return detected.mime;
      case 'application/x-cfb': {
        const type = await inspectCfb(fh, size);
        if (type === 'application/vnd.ms-outlook') await inspectMsg(path, ctx);
        return type;
      }
      case 'image/png':
        await inspectPng(fh);
        return 'image/png';
      case 'image/jpeg':
        await inspectJpeg(fh, size);
        return 'image/jpeg';
      case 'image/tiff':
        await inspectTiff(fh, size);
        return 'image/tiff';
      case 'message/rfc822':
        return await textOrEmail(path, ctx);
      default:
        break;
    }
    if (/macroenabled/i.test(detected.mime))
      throw refuse(
        'Office files with macros are refused; save the document without macros (DOCX, XLSX, PPTX).',
      );
    if (
      /x-msdownload|x-elf|x-mach|x-executable|x-sharedlib|x-dosexec|java-archive|x-sh\b|wasm/.test(
        detected.mime,
      )
    )
      throw refuse(`Programs are refused (the content is ${detected.mime}). ${acceptedList}.`);
    throw refuse(`The content is ${detected.mime}. ${acceptedList}.`);
  } catch (e) {
    // A reader past the end of a lying structure (RangeError and the like): damaged, not a 500.
    if (e instanceof DomainError) throw e;
    throw refuse(
      `The file is damaged: its ${detected?.ext ?? ''} structure cannot be read. ${acceptedList}.`,
    );
  } finally {
    await fh.close();
  }
}

const weakMagic = new Set(['image/bmp', 'audio/mpeg']);

const sniffBytes = 64 * 1024;
const magic = (head: Buffer, bytes: number[]) => bytes.every((b, i) => head[i] === b);

/**
 * The type the content says. The accepted formats are recognised here by their signatures
 * and ZIPs by our own bounded reader (zipType); file-type only names what is refused, and
 * only ever sees the first 64 KiB: its file reader trusts lengths a file declares, and one
 * such length (a ZIP entry of 4 GB) aborted the server process.
 */
async function sniff(fh: FileHandle, size: number): Promise<{ mime: string; ext: string } | undefined> {
  const head = await readAt(fh, 0, Math.min(size, sniffBytes));
  if (magic(head, [0x25, 0x50, 0x44, 0x46])) return { mime: 'application/pdf', ext: 'pdf' };
  if (magic(head, [0x50, 0x4b, 0x03, 0x04]) || magic(head, [0x50, 0x4b, 0x05, 0x06]))
    return zipType(fh, size);
  if (magic(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))
    return { mime: 'application/x-cfb', ext: 'cfb' };
  if (magic(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { mime: 'image/png', ext: 'png' };
  if (magic(head, [0xff, 0xd8, 0xff]) && head[3] !== 0xf7) return { mime: 'image/jpeg', ext: 'jpg' };
  if (magic(head, [0x49, 0x49, 0x2a, 0x00]) || magic(head, [0x4d, 0x4d, 0x00, 0x2a])) {
    // A raw camera format is named; a TIFF whose first directory lies past the head is still
    // a TIFF, and inspectTiff reads it.
    const found = await fileTypeFromBuffer(head).catch(() => undefined);
    return found && found.mime !== 'image/tiff' ? found : { mime: 'image/tiff', ext: 'tif' };
  }
  return fileTypeFromBuffer(head);
}

/** UTF-8 text, or an email: then its parts are taken apart and checked too. */
async function textOrEmail(path: string, ctx: InspectContext): Promise<AcceptedType> {
  const kind = await inspectText(path);
  if (kind === 'message/rfc822') await inspectEml(path, ctx);
  return kind;
}
