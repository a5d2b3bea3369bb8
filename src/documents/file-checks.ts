// What a PoE file is, decided by its content (never by its name or the client's
// Content-Type), and whether it may be kept. Reads the uploaded temporary file in bounded
// pieces: a whole file is never held in memory. Each refusal says why, in words a partner
// can act on. Pure of HTTP: throws DomainError('unsupported_media_type' | 'validation_failed').
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { constants as zlibConstants, createInflateRaw, crc32, inflateSync } from 'node:zlib';
import { fileTypeFromFile } from 'file-type';
import { DomainError } from '../domain/errors.js';

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
  pngPixels: 100_000_000,
};

const refuse = (detail: string) => new DomainError('unsupported_media_type', detail);

const acceptedList =
  'PoE must be PDF, Word (DOCX, DOC), Excel (XLSX), PowerPoint (PPTX), Outlook message (MSG), email (EML), PNG, JPEG, TIFF or UTF-8 plain text';

// ---------------------------------------------------------------------------------------
// File names

/** Names Windows refuses or treats as devices. */
const reservedNames = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

const badName = (message: string) =>
  new DomainError('validation_failed', `The file name ${message}.`, [{ path: 'file.name', message }]);

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

/** Decides the type of the file at `path` by its content and checks it; throws when refused. */
export async function inspectFile(path: string, size: number): Promise<AcceptedType> {
  if (size === 0)
    throw new DomainError('validation_failed', 'The file is empty.', [{ path: 'file', message: 'is empty' }]);
  let detected: Awaited<ReturnType<typeof fileTypeFromFile>>;
  try {
    detected = await fileTypeFromFile(path);
  } catch {
    // file-type's parsers throw on some truncated or malformed headers (a cut TIFF, for one).
    throw refuse(`The file is damaged: its format cannot be read. ${acceptedList}.`);
  }
  const fh = await open(path, 'r');
  try {
    if (!detected) return await inspectText(path);
    // Two-letter magic numbers: "BMW contract..." reads as a bitmap, "ID3 notes" as MP3. Real
    // ones are binary and fail the text checks; text that starts so is still text.
    if (weakMagic.has(detected.mime)) {
      try {
        return await inspectText(path);
      } catch {
        throw refuse(`The content is ${detected.mime}. ${acceptedList}.`);
      }
    }
    switch (detected.mime) {
      case 'application/pdf':
        await inspectPdf(path);
        return 'application/pdf';
      case 'application/vnd.openxmlformats-officedocument.wordprocessingml.document':
      case 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet':
      case 'application/vnd.openxmlformats-officedocument.presentationml.presentation':
        await inspectZip(fh, path, size);
        return detected.mime;
      case 'application/x-cfb':
        return await inspectCfb(fh, size);
      case 'image/png':
        await inspectPng(fh);
        return 'image/png';
      case 'image/jpeg':
      case 'image/tiff':
        return detected.mime;
      case 'message/rfc822':
        return await inspectText(path);
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

// Text and email ------------------------------------------------------------------------

/** Markup a browser or viewer would render or run; never plain text. */
const markup =
  /<\s*(script|html|svg|iframe|object|embed|body|head|meta|link|style|form|frameset|applet|math|xml|!doctype)\b|<\?xml|javascript\s*:|vbscript\s*:/i;
/**
 * An email's HTML part is ordinary (mail clients render it without scripts, and a download is
 * message/rfc822, never HTML): only what runs code is refused there.
 */
const emailMarkup = /<\s*(script|iframe|object|embed|applet)\b|javascript\s*:|vbscript\s*:/i;
const emailHeader = /^(from|to|subject|date|message-id|received|mime-version|return-path|reply-to|cc):[ \t]/i;

async function inspectText(path: string): Promise<AcceptedType> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let tail = '';
  let first = true;
  let email = false;
  const stream = createReadStream(path, { highWaterMark: 64 * 1024 });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let s: string;
    try {
      s = decoder.decode(chunk, { stream: true });
    } catch {
      stream.destroy();
      throw refuse(`The content is binary or not UTF-8 text. ${acceptedList}.`);
    }
    if (first) {
      s = s.replace(/^\ufeff/, '');
      first = false;
      email = looksLikeEmail(s.slice(0, 4096));
      if (s.startsWith('#!')) {
        stream.destroy();
        throw refuse('Scripts are refused.');
      }
    }
    // eslint-disable-next-line no-control-regex -- binary content hides as "text" with control bytes
    if (/[\u0000-\u0008\u000b\u000e-\u001a\u001c-\u001f\u007f]/.test(s)) {
      stream.destroy();
      throw refuse(`The content has control characters: it is not plain text. ${acceptedList}.`);
    }
    // Markup split across two chunks is still found: the last 64 characters carry over.
    const window = tail + s;
    if ((email ? emailMarkup : markup).test(window)) {
      stream.destroy();
      throw refuse('HTML, SVG, XML and script content is refused; send a PDF of it instead.');
    }
    tail = window.slice(-64);
  }
  try {
    decoder.decode();
  } catch {
    throw refuse(`The content is not UTF-8 text (it ends mid-character). ${acceptedList}.`);
  }
  return email ? 'message/rfc822' : 'text/plain';
}

/** An email: it starts with header lines, names a sender or a subject, and a blank line ends them. */
function looksLikeEmail(head: string): boolean {
  const end = head.search(/\r?\n\r?\n/);
  if (end <= 0) return false;
  const lines = head.slice(0, end).split(/\r?\n/);
  if (!lines.every((l) => /^[\x21-\x39\x3b-\x7e]+:/.test(l) || /^[ \t]/.test(l))) return false;
  const known = lines.filter((l) => emailHeader.test(l)).length;
  return known >= 2;
}

// PDF -----------------------------------------------------------------------------------

/** PDF names that run code, launch programs or carry other files inside. */
const pdfActiveNames = new Set([
  'JavaScript',
  'JS',
  'Launch',
  'EmbeddedFile',
  'EmbeddedFiles',
  'RichMedia',
  'XFA',
  'ImportData',
  'SubmitForm',
  'GoToE',
]);

/** A PDF name token, "#xx" escapes decoded (/J#61vaScript is /JavaScript), that runs something. */
function activePdfName(text: string): string | null {
  // Only tokens followed by a delimiter: one cut at the end of a chunk is seen whole next time.
  for (const m of text.matchAll(/\/([A-Za-z0-9#]{2,32})(?=[^A-Za-z0-9#])/g)) {
    const name = (m[1] ?? '').replace(/#([0-9A-Fa-f]{2})/g, (_s, h: string) =>
      String.fromCharCode(parseInt(h, 16)),
    );
    if (pdfActiveNames.has(name)) return name;
  }
  return null;
}

/**
 * Scans the PDF's objects for active content, streamed in pieces. Stream data (images, page
 * content) is skipped: random bytes there would look like names. Compressed object streams
 * (/Type /ObjStm, where PDF 1.5+ writers put most dictionaries) are inflated and scanned, with
 * the total inflated size bounded.
 */
async function inspectPdf(path: string) {
  const carryLength = 1024;
  const objStmLimit = 16 * 1024 * 1024;
  let inflateBudget = 256 * 1024 * 1024;
  const streamStart = /(?<!end)stream(?:\r\n|\n|\r)/g;
  let carry = '';
  let inStream = false;
  let objStm: string[] | null = null;
  let objStmLength = 0;
  const active = (name: string | null) => {
    if (name) throw refuse(`PDFs with active content (/${name}) are refused; print it to a plain PDF.`);
  };
  const scanObjStm = (data: string) => {
    let out: Buffer;
    try {
      out = inflateSync(Buffer.from(data.replace(/[\r\n]+$/, ''), 'latin1'), {
        finishFlush: zlibConstants.Z_SYNC_FLUSH,
        maxOutputLength: Math.max(1, inflateBudget),
      });
    } catch (e) {
      if (e instanceof RangeError || (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
        throw refuse('The PDF inflates past the size limit (a compression bomb).');
      return; // not Flate data after all: nothing more to learn from it
    }
    inflateBudget -= out.length;
    active(activePdfName(`${out.toString('latin1')} `));
  };
  const take = (text: string) => {
    let pos = 0;
    for (;;) {
      if (inStream) {
        const end = text.indexOf('endstream', pos);
        const upto = end < 0 ? Math.max(pos, text.length - 9) : end;
        if (objStm) {
          objStm.push(text.slice(pos, upto));
          objStmLength += upto - pos;
          if (objStmLength > objStmLimit) objStm = null; // too large to be an object stream worth reading
        }
        if (end < 0) {
          carry = text.slice(upto);
          return;
        }
        if (objStm) scanObjStm(objStm.join(''));
        objStm = null;
        inStream = false;
        pos = end + 9;
        continue;
      }
      streamStart.lastIndex = pos;
      const m = streamStart.exec(text);
      active(activePdfName(text.slice(pos, m ? m.index : text.length)));
      if (!m) {
        carry = text.slice(Math.max(pos, text.length - carryLength));
        return;
      }
      const dict = text.slice(Math.max(pos, m.index - carryLength), m.index);
      objStm = /\/Type\s*\/ObjStm/.test(dict) && /\/FlateDecode/.test(dict) ? [] : null;
      objStmLength = 0;
      inStream = true;
      pos = m.index + m[0].length;
    }
  };
  const stream = createReadStream(path, { highWaterMark: 256 * 1024, encoding: 'latin1' });
  try {
    for await (const chunk of stream as AsyncIterable<string>) take(carry + chunk);
    take(`${carry} \n`);
  } finally {
    stream.destroy();
  }
}

// OOXML (zip) ---------------------------------------------------------------------------

async function readAt(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  const { bytesRead } = await fh.read(buf, 0, length, position);
  return buf.subarray(0, bytesRead);
}

interface ZipEntry {
  name: string;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

const damagedZip = (why: string) => refuse(`The Office file is damaged or hostile (${why}).`);

/**
 * DOCX, XLSX and PPTX are zips: the central directory is read, then every entry is inflated
 * (output counted and thrown away) so that lying sizes, zip bombs, overlapping entries and
 * macros are found before anyone opens the file.
 */
async function inspectZip(fh: FileHandle, path: string, size: number) {
  const tailLength = Math.min(size, 22 + 0xffff);
  const tail = await readAt(fh, size - tailLength, tailLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw damagedZip('no end of central directory');
  const count = tail.readUInt16LE(eocd + 10);
  const cdSize = tail.readUInt32LE(eocd + 12);
  const cdOffset = tail.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff)
    throw damagedZip('ZIP64 is not expected in a PoE document');
  if (count > checkLimits.zipEntries) throw damagedZip(`${count} entries, at most ${checkLimits.zipEntries}`);
  if (cdSize > checkLimits.zipCentralDirectoryBytes) throw damagedZip('central directory too large');
  const eocdPosition = size - tailLength + eocd;
  if (cdOffset + cdSize > eocdPosition) throw damagedZip('central directory out of bounds');
  const cd = await readAt(fh, cdOffset, cdSize);
  const entries: ZipEntry[] = [];
  const names = new Set<string>();
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== 0x02014b50) throw damagedZip('bad central directory');
    const nameLength = cd.readUInt16LE(p + 28);
    const entry: ZipEntry = {
      flags: cd.readUInt16LE(p + 8),
      method: cd.readUInt16LE(p + 10),
      crc: cd.readUInt32LE(p + 16),
      compressedSize: cd.readUInt32LE(p + 20),
      size: cd.readUInt32LE(p + 24),
      localOffset: cd.readUInt32LE(p + 42),
      name: cd.toString('utf8', p + 46, p + 46 + nameLength),
    };
    p += 46 + nameLength + cd.readUInt16LE(p + 30) + cd.readUInt16LE(p + 32);
    const lower = entry.name.toLowerCase();
    if (names.has(lower)) throw damagedZip(`two entries named ${entry.name}`);
    names.add(lower);
    if (entry.flags & 0x1)
      throw refuse('Encrypted Office files are refused: reviewers must be able to read the PoE.');
    if (entry.method !== 0 && entry.method !== 8) throw damagedZip(`compression method ${entry.method}`);
    if (/(^|\/)vbaproject\.bin$|(^|\/)vbadata\.xml$/.test(lower))
      throw refuse(
        'Office files with macros are refused; save the document without macros (DOCX, XLSX, PPTX).',
      );
    if (/(^|\/)activex\//.test(lower)) throw refuse('Office files with ActiveX controls are refused.');
    entries.push(entry);
  }
  if (!names.has('[content_types].xml')) throw damagedZip('no [Content_Types].xml');
  const declared = entries.reduce((n, e) => n + e.size, 0);
  if (declared > checkLimits.zipTotalBytes) throw damagedZip('it would inflate past the size limit');

  // Local headers: in bounds, and no two entries share bytes (the "overlapping files" bomb).
  const spans: { start: number; end: number; entry: ZipEntry }[] = [];
  for (const e of entries) {
    const lh = await readAt(fh, e.localOffset, 30);
    if (lh.length < 30 || lh.readUInt32LE(0) !== 0x04034b50) throw damagedZip('bad local header');
    const start = e.localOffset + 30 + lh.readUInt16LE(26) + lh.readUInt16LE(28);
    const end = start + e.compressedSize;
    if (end > cdOffset) throw damagedZip('entry out of bounds');
    spans.push({ start: e.localOffset, end, entry: e });
    if (e.method === 0 && e.compressedSize !== e.size) throw damagedZip('stored entry with two sizes');
  }
  spans.sort((a, b) => a.start - b.start);
  for (let i = 1; i < spans.length; i++) {
    const prev = spans[i - 1];
    const cur = spans[i];
    if (prev && cur && cur.start < prev.end) throw damagedZip('overlapping entries');
  }

  let total = 0;
  for (const { entry: e, end } of spans) {
    if (e.size > 1024 * 1024 && e.size / Math.max(1, e.compressedSize) > checkLimits.zipRatio)
      throw damagedZip(`${e.name} inflates ${Math.round(e.size / Math.max(1, e.compressedSize))} times`);
    const start = end - e.compressedSize;
    const inflated = await inflateEntry(path, e, start);
    if (inflated.size !== e.size) throw damagedZip(`${e.name} is not the size it says`);
    if (inflated.crc !== e.crc) throw damagedZip(`${e.name} fails its checksum`);
    total += inflated.size;
    if (total > checkLimits.zipTotalBytes) throw damagedZip('it inflates past the size limit');
  }
}

/** Inflates one entry, counting bytes; stops as soon as it passes its declared size. */
async function inflateEntry(
  path: string,
  e: ZipEntry,
  start: number,
): Promise<{ size: number; crc: number }> {
  if (e.compressedSize === 0) return { size: 0, crc: 0 };
  const source = createReadStream(path, { start, end: start + e.compressedSize - 1 });
  let size = 0;
  let crc = 0;
  const over = new Error('over');
  const counter = (chunk: Buffer) => {
    size += chunk.length;
    if (size > e.size) throw over;
    crc = crc32(chunk, crc);
  };
  try {
    if (e.method === 0) {
      for await (const chunk of source as AsyncIterable<Buffer>) counter(chunk);
    } else {
      const inflater = createInflateRaw();
      source.pipe(inflater);
      for await (const chunk of inflater as AsyncIterable<Buffer>) counter(chunk);
    }
  } catch (err) {
    source.destroy();
    if (err === over) throw damagedZip(`${e.name} inflates past its declared size`);
    throw damagedZip(`${e.name} does not inflate`);
  }
  return { size, crc };
}

// CFB (DOC and MSG) ---------------------------------------------------------------------

/**
 * DOC and MSG are both Compound File Binary containers; file-type cannot tell them apart.
 * The directory's stream names can: "WordDocument" is Word, "__properties_version1.0" and
 * "__substg1.0_*" streams are Outlook. Macros ("Macros", "_VBA_PROJECT") and encrypted
 * OOXML ("EncryptedPackage") are refused.
 */
async function inspectCfb(fh: FileHandle, size: number): Promise<AcceptedType> {
  const names = await cfbNames(fh, size);
  const has = (n: string) => names.has(n.toLowerCase());
  if (has('EncryptedPackage') || has('EncryptionInfo'))
    throw refuse('Encrypted Office files are refused: reviewers must be able to read the PoE.');
  const macros = has('Macros') || has('_VBA_PROJECT_CUR') || has('_VBA_PROJECT') || has('VBA');
  if (has('WordDocument')) {
    if (macros) throw refuse('Word documents with macros are refused; save the document without macros.');
    if (has('\u0001Ole10Native')) throw refuse('Word documents with embedded packages are refused.');
    return 'application/msword';
  }
  if (has('__properties_version1.0') && [...names].some((n) => n.startsWith('__substg1.0_')))
    return 'application/vnd.ms-outlook';
  if (has('Workbook') || has('Book'))
    throw refuse('Excel 97-2003 workbooks (XLS) are not accepted; save the workbook as XLSX.');
  if (has('PowerPoint Document'))
    throw refuse('PowerPoint 97-2003 files (PPT) are not accepted; save the presentation as PPTX.');
  throw refuse(
    `The content is an OLE container that is neither a Word document nor an Outlook message. ${acceptedList}.`,
  );
}

const ENDOFCHAIN = 0xfffffffe;
const FREESECT = 0xffffffff;

async function cfbNames(fh: FileHandle, size: number): Promise<Set<string>> {
  const bad = (why: string) => refuse(`The Office file is damaged (${why}).`);
  const header = await readAt(fh, 0, 512);
  if (header.length < 512) throw bad('short header');
  const shift = header.readUInt16LE(0x1e);
  if (shift !== 9 && shift !== 12) throw bad('sector size');
  const sectorSize = 1 << shift;
  const sectors = Math.ceil(Math.max(0, size - sectorSize) / sectorSize);
  const perSector = sectorSize / 4;
  const fatCount = header.readUInt32LE(0x2c);
  if (fatCount > sectors) throw bad('FAT larger than the file');
  const sectorAt = (n: number) => readAt(fh, (n + 1) * sectorSize, sectorSize);

  // The FAT's own sectors: 109 in the header, the rest in the DIFAT chain.
  const fatSectors: number[] = [];
  for (let i = 0; i < 109 && fatSectors.length < fatCount; i++) {
    const s = header.readUInt32LE(0x4c + i * 4);
    if (s === FREESECT) break;
    fatSectors.push(s);
  }
  let difat = header.readUInt32LE(0x44);
  for (let guard = 0; fatSectors.length < fatCount && difat < sectors; guard++) {
    if (guard > sectors) throw bad('DIFAT loop');
    const buf = await sectorAt(difat);
    for (let i = 0; i < perSector - 1 && fatSectors.length < fatCount; i++)
      fatSectors.push(buf.readUInt32LE(i * 4));
    difat = buf.readUInt32LE((perSector - 1) * 4);
  }
  const fat: number[] = [];
  for (const s of fatSectors) {
    if (s >= sectors) throw bad('FAT sector out of bounds');
    const buf = await sectorAt(s);
    for (let i = 0; i < perSector; i++) fat.push(buf.readUInt32LE(i * 4));
  }

  const names = new Set<string>();
  let sector = header.readUInt32LE(0x30);
  const seen = new Set<number>();
  let entries = 0;
  while (sector !== ENDOFCHAIN) {
    if (sector >= sectors || seen.has(sector)) throw bad('directory chain');
    seen.add(sector);
    const buf = await sectorAt(sector);
    for (let off = 0; off + 128 <= buf.length; off += 128) {
      if (++entries > checkLimits.cfbDirectoryEntries) throw bad('too many directory entries');
      const type = buf.readUInt8(off + 0x42);
      const length = buf.readUInt16LE(off + 0x40);
      if (type === 0 || length < 2 || length > 64) continue;
      names.add(buf.toString('utf16le', off, off + length - 2).toLowerCase());
    }
    sector = fat[sector] ?? ENDOFCHAIN;
  }
  return names;
}

// PNG -----------------------------------------------------------------------------------

/** A "pixel flood" PNG (tiny file, billions of pixels) would take a reviewer's viewer down. */
async function inspectPng(fh: FileHandle) {
  const h = await readAt(fh, 0, 24);
  if (h.length < 24 || h.toString('latin1', 12, 16) !== 'IHDR') throw refuse('The PNG is damaged (no IHDR).');
  const w = h.readUInt32BE(16);
  const hgt = h.readUInt32BE(20);
  if (w === 0 || hgt === 0 || w * hgt > checkLimits.pngPixels)
    throw refuse(`The PNG claims ${w} x ${hgt} pixels; at most ${checkLimits.pngPixels / 1e6} megapixels.`);
}
