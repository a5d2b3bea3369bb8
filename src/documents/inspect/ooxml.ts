// DOCX, XLSX and PPTX are zips: the central directory is read, then every entry is inflated
// (output counted, never kept whole) so that lying sizes, zip bombs, overlapping entries,
// macros and encryption are found before anyone opens the file; on the way, each part's
// content is judged by ooxml-content.ts, and an Office package inside is written out and
// inspected like an upload (a chart's workbook inside a document).
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { createInflateRaw, crc32, inflateRawSync } from 'node:zlib';
import { DomainError } from '../../domain/errors.js';
import { removeQuietly } from '../../storage/storage.js';
import { checkLimits, readAt, refuse, type InspectContext } from './common.js';
import { checkPartName, isXmlPart, judgeBinaryPart, XmlPartCheck } from './ooxml-content.js';

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

/** The central directory, read with our own bounded reader: sizes are checked before any read. */
async function readZipDirectory(
  fh: FileHandle,
  size: number,
): Promise<{ entries: ZipEntry[]; cdOffset: number }> {
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
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== 0x02014b50) throw damagedZip('bad central directory');
    const nameLength = cd.readUInt16LE(p + 28);
    entries.push({
      flags: cd.readUInt16LE(p + 8),
      method: cd.readUInt16LE(p + 10),
      crc: cd.readUInt32LE(p + 16),
      compressedSize: cd.readUInt32LE(p + 20),
      size: cd.readUInt32LE(p + 24),
      localOffset: cd.readUInt32LE(p + 42),
      name: cd.toString('utf8', p + 46, p + 46 + nameLength),
    });
    p += 46 + nameLength + cd.readUInt16LE(p + 30) + cd.readUInt16LE(p + 32);
  }
  return { entries, cdOffset };
}

/** Where an entry's bytes start, past its local header; checked to lie before the directory. */
async function entryStart(fh: FileHandle, e: ZipEntry, cdOffset: number): Promise<number> {
  const lh = await readAt(fh, e.localOffset, 30);
  if (lh.length < 30 || lh.readUInt32LE(0) !== 0x04034b50) throw damagedZip('bad local header');
  const start = e.localOffset + 30 + lh.readUInt16LE(26) + lh.readUInt16LE(28);
  if (start + e.compressedSize > cdOffset) throw damagedZip('entry out of bounds');
  return start;
}

const contentTypesLimit = 1024 * 1024;

/**
 * What a ZIP is, as Office decides it: by the main part's content type in [Content_Types].xml.
 * Read here rather than by file-type, whose ZIP reader trusts the sizes a file declares (a
 * central directory claiming a 4 GB entry aborted the whole process).
 */
export async function zipType(fh: FileHandle, size: number): Promise<{ mime: string; ext: string }> {
  const { entries, cdOffset } = await readZipDirectory(fh, size);
  const plainZip = { mime: 'application/zip', ext: 'zip' };
  if (entries.some((e) => e.name === 'META-INF/MANIFEST.MF'))
    return { mime: 'application/java-archive', ext: 'jar' };
  if (entries.some((e) => /^classes\d*\.dex$/.test(e.name)))
    return { mime: 'application/vnd.android.package-archive', ext: 'apk' };
  const types = entries.find((e) => e.name === '[Content_Types].xml');
  if (!types) return plainZip;
  if (types.compressedSize > contentTypesLimit || types.size > contentTypesLimit)
    throw damagedZip('[Content_Types].xml is larger than 1 MiB');
  if (types.method !== 0 && types.method !== 8) throw damagedZip(`compression method ${types.method}`);
  const raw = await readAt(fh, await entryStart(fh, types, cdOffset), types.compressedSize);
  let xml: string;
  try {
    xml = (types.method === 0 ? raw : inflateRawSync(raw, { maxOutputLength: contentTypesLimit })).toString(
      'utf8',
    );
  } catch {
    throw damagedZip('[Content_Types].xml does not inflate');
  }
  const main = /ContentType="([^"]+)\.main\+xml"/.exec(xml)?.[1]?.toLowerCase();
  const known: Record<string, { mime: string; ext: string }> = {
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document': {
      mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      ext: 'docx',
    },
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
      mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      ext: 'xlsx',
    },
    'application/vnd.openxmlformats-officedocument.presentationml.presentation': {
      mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
      ext: 'pptx',
    },
  };
  if (!main) return plainZip;
  return known[main] ?? { mime: main, ext: 'zip' };
}

export async function inspectOoxml(fh: FileHandle, path: string, size: number, ctx: InspectContext) {
  const { entries, cdOffset } = await readZipDirectory(fh, size);
  const names = new Set<string>();
  for (const entry of entries) {
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
    checkPartName(entry.name);
  }
  if (!names.has('[content_types].xml')) throw damagedZip('no [Content_Types].xml');
  const declared = entries.reduce((n, e) => n + e.size, 0);
  if (declared > checkLimits.zipTotalBytes) throw damagedZip('it would inflate past the size limit');

  // Local headers: in bounds, and no two entries share bytes (the "overlapping files" bomb).
  const spans: { start: number; end: number; entry: ZipEntry }[] = [];
  for (const e of entries) {
    const end = (await entryStart(fh, e, cdOffset)) + e.compressedSize;
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
    const sink = isXmlPart(e.name) ? xmlSink(e.name) : binarySink(e.name, ctx);
    try {
      const inflated = await inflateEntry(path, e, end - e.compressedSize, sink);
      if (inflated.size !== e.size) throw damagedZip(`${e.name} is not the size it says`);
      if (inflated.crc !== e.crc) throw damagedZip(`${e.name} fails its checksum`);
      total += inflated.size;
      if (total > checkLimits.zipTotalBytes) throw damagedZip('it inflates past the size limit');
      await sink.end();
    } finally {
      await sink.dispose();
    }
  }
}

interface Sink {
  write(chunk: Buffer): Promise<void> | void;
  /** The entry is whole and its checksum is right: final checks. */
  end(): Promise<void> | void;
  /** Always called: frees what the sink holds. */
  dispose(): Promise<void>;
}

function xmlSink(name: string): Sink {
  const check = new XmlPartCheck(name);
  let empty = true;
  return {
    write: (chunk) => {
      empty &&= chunk.length === 0;
      check.write(chunk);
    },
    end: () => {
      if (!empty) check.end();
    },
    dispose: async () => undefined,
  };
}

/**
 * A part that is not XML: its first bytes decide (ooxml-content.ts). An Office package inside
 * is written to a scratch file and inspected like an upload once it is whole.
 */
function binarySink(name: string, ctx: InspectContext): Sink {
  let head = Buffer.alloc(0);
  let verdict: 'package' | 'keep' | null = null;
  let out: FileHandle | null = null;
  let scratch: string | null = null;
  let size = 0;
  const decide = async () => {
    verdict = judgeBinaryPart(name, head);
    if (verdict !== 'package') return;
    if (ctx.depth + 1 > checkLimits.nestingDepth)
      throw refuse(`Office files nested more than ${checkLimits.nestingDepth} deep are refused (${name}).`);
    if (++ctx.parts.count > checkLimits.nestedParts)
      throw refuse(`More than ${checkLimits.nestedParts} embedded files are refused.`);
    scratch = join(ctx.scratchDir, `${randomUUID()}.upload`);
    out = await open(scratch, 'w');
    await out.write(head);
    size = head.length;
  };
  return {
    async write(chunk) {
      if (verdict === null) {
        head = Buffer.concat([head, chunk]);
        if (head.length >= 64) await decide();
        return;
      }
      if (out) {
        await out.write(chunk);
        size += chunk.length;
      }
    },
    async end() {
      if (verdict === null) await decide();
      if (!out || !scratch) return;
      await out.close();
      out = null;
      await ctx.inspectNested({
        path: scratch,
        size,
        name: name.split('/').pop(),
        where: `the embedded file ${name}`,
      });
    },
    async dispose() {
      await out?.close().catch(() => undefined);
      if (scratch) await removeQuietly(scratch);
    },
  };
}

/** Inflates one entry into `sink`, counting bytes; stops as soon as it passes its declared size. */
async function inflateEntry(
  path: string,
  e: ZipEntry,
  start: number,
  sink: Sink,
): Promise<{ size: number; crc: number }> {
  if (e.compressedSize === 0) return { size: 0, crc: 0 };
  const source = createReadStream(path, { start, end: start + e.compressedSize - 1 });
  let size = 0;
  let crc = 0;
  const over = new Error('over');
  const take = async (chunk: Buffer) => {
    size += chunk.length;
    if (size > e.size) throw over;
    crc = crc32(chunk, crc);
    await sink.write(chunk);
  };
  try {
    if (e.method === 0) {
      for await (const chunk of source as AsyncIterable<Buffer>) await take(chunk);
    } else {
      const inflater = createInflateRaw();
      source.pipe(inflater);
      try {
        for await (const chunk of inflater as AsyncIterable<Buffer>) await take(chunk);
      } finally {
        inflater.destroy();
      }
    }
  } catch (err) {
    source.destroy();
    if (err === over) throw damagedZip(`${e.name} inflates past its declared size`);
    if (err instanceof DomainError) throw err;
    throw damagedZip(`${e.name} does not inflate`);
  }
  return { size, crc };
}
