// Real files for PoE tests, made here: PDFs (pdf-lib), DOCX (docx), PNG, zips (honest and
// hostile, with a small writer that can lie), and Compound File Binary containers (DOC, MSG,
// XLS and friends) with a chosen directory.
import { deflateRawSync, deflateSync, crc32 } from 'node:zlib';
import CFB from 'cfb';
import { Document, Packer, Paragraph, TextRun } from 'docx';
import { PDFDocument, PDFName, PDFString, StandardFonts } from 'pdf-lib';

export async function makePdf(text: string): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([595, 842]);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  page.drawText(text, { x: 50, y: 780, size: 12, font });
  return Buffer.from(await pdf.save());
}

/** A pdf-lib PDF whose catalog opens with JavaScript: written inside a compressed object stream. */
export async function makePdfWithJavaScript(): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  pdf.addPage([200, 200]);
  const action = pdf.context.obj({ S: 'JavaScript', JS: PDFString.of('app.alert("pwned")') });
  pdf.catalog.set(PDFName.of('OpenAction'), pdf.context.register(action));
  return Buffer.from(await pdf.save({ useObjectStreams: true }));
}

/** An honest PDF with a binary stream whose bytes happen to read "/JavaScript /JS /Launch". */
export async function makePdfWithLookalikeStream(): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  pdf.addPage([200, 200]);
  pdf.context.register(pdf.context.stream(Buffer.from('\x00\x01 /JavaScript /JS /Launch \xff binary'), {}));
  return Buffer.from(await pdf.save({ useObjectStreams: true }));
}

export async function makeDocx(text: string): Promise<Buffer> {
  const doc = new Document({ sections: [{ children: [new Paragraph({ children: [new TextRun(text)] })] }] });
  return Packer.toBuffer(doc);
}

/** A real RGB PNG of w x h pixels (a gradient), or one whose header claims other dimensions. */
export function makePng(w = 32, h = 16, claim?: { w: number; h: number }): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(claim?.w ?? w, 0);
  ihdr.writeUInt32BE(claim?.h ?? h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const rows: Buffer[] = [];
  for (let y = 0; y < h; y++) {
    const row = Buffer.alloc(1 + w * 3);
    for (let x = 0; x < w; x++) row.set([(x * 8) & 255, (y * 16) & 255, 128], 1 + x * 3);
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export interface ZipInput {
  name: string;
  data: Buffer;
  store?: boolean;
  /** Lies written into the headers. */
  declaredSize?: number;
  flags?: number;
}

/** A zip writer; `overlap` makes every entry after the first point at the first one's bytes. */
export function makeZip(entries: ZipInput[], opts: { overlap?: boolean } = {}): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  let firstOffset = 0;
  entries.forEach((e, i) => {
    const name = Buffer.from(e.name, 'utf8');
    const body = e.store ? e.data : deflateRawSync(e.data);
    const crc = crc32(e.data);
    const size = e.declaredSize ?? e.data.length;
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4);
    lh.writeUInt16LE(e.flags ?? 0, 6);
    lh.writeUInt16LE(e.store ? 0 : 8, 8);
    lh.writeUInt32LE(crc, 14);
    lh.writeUInt32LE(body.length, 18);
    lh.writeUInt32LE(size, 22);
    lh.writeUInt16LE(name.length, 26);
    const at = opts.overlap && i > 0 ? firstOffset : offset;
    if (!(opts.overlap && i > 0)) {
      locals.push(lh, name, body);
      if (i === 0) firstOffset = offset;
      offset += 30 + name.length + body.length;
    }
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE(20, 4);
    ch.writeUInt16LE(20, 6);
    ch.writeUInt16LE(e.flags ?? 0, 8);
    ch.writeUInt16LE(e.store ? 0 : 8, 10);
    ch.writeUInt32LE(crc, 16);
    ch.writeUInt32LE(body.length, 20);
    ch.writeUInt32LE(size, 24);
    ch.writeUInt16LE(name.length, 28);
    ch.writeUInt32LE(at, 42);
    central.push(ch, name);
  });
  const cd = Buffer.concat(central);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

const contentTypes = (main: string, extra = '') =>
  Buffer.from(
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="${main}"/>${extra}</Types>`,
  );

export const wordMain = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml';
export const macroMain = 'application/vnd.ms-word.document.macroEnabled.main+xml';

/** An OOXML-looking package: [Content_Types].xml first (file-type reads it), then the parts. */
export function makeOoxml(parts: ZipInput[], main = wordMain, opts: { overlap?: boolean } = {}): Buffer {
  return makeZip([{ name: '[Content_Types].xml', data: contentTypes(main) }, ...parts], opts);
}

const ENDOFCHAIN = 0xfffffffe;
const FREESECT = 0xffffffff;

/** A Compound File Binary container (v3, 512-byte sectors) with these entries in its directory. */
export function makeCfb(names: string[]): Buffer {
  const entries = [{ name: 'Root Entry', type: 5 }, ...names.map((name) => ({ name, type: 2 }))];
  const dirSectors = Math.ceil(entries.length / 4);
  const header = Buffer.alloc(512);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(header, 0);
  header.writeUInt16LE(0x3e, 0x18);
  header.writeUInt16LE(3, 0x1a);
  header.writeUInt16LE(0xfffe, 0x1c);
  header.writeUInt16LE(9, 0x1e);
  header.writeUInt16LE(6, 0x20);
  header.writeUInt32LE(1, 0x2c); // one FAT sector
  header.writeUInt32LE(1, 0x30); // directory starts at sector 1
  header.writeUInt32LE(4096, 0x38);
  header.writeUInt32LE(ENDOFCHAIN, 0x3c);
  header.writeUInt32LE(ENDOFCHAIN, 0x44);
  for (let i = 0; i < 109; i++) header.writeUInt32LE(i === 0 ? 0 : FREESECT, 0x4c + i * 4);
  const fat = Buffer.alloc(512, 0xff);
  fat.writeUInt32LE(0xfffffffd, 0); // sector 0 is the FAT
  for (let s = 1; s <= dirSectors; s++) fat.writeUInt32LE(s === dirSectors ? ENDOFCHAIN : s + 1, s * 4);
  const dir = Buffer.alloc(dirSectors * 512);
  entries.forEach((e, i) => {
    const off = i * 128;
    const name = Buffer.from(`${e.name}\0`, 'utf16le');
    name.copy(dir, off, 0, Math.min(64, name.length));
    dir.writeUInt16LE(Math.min(64, name.length), off + 0x40);
    dir.writeUInt8(e.type, off + 0x42);
    dir.writeUInt32LE(FREESECT, off + 0x44);
    dir.writeUInt32LE(FREESECT, off + 0x48);
    dir.writeUInt32LE(FREESECT, off + 0x4c);
    dir.writeUInt32LE(ENDOFCHAIN, off + 0x74);
  });
  return Buffer.concat([header, fat, dir]);
}

export const makeDoc = () => makeCfb(['WordDocument', '1Table', '\u0005SummaryInformation']);

export interface MsgAttachment {
  name?: string;
  data?: Buffer;
  /** PidTagAttachMethod: 1 by value (the default), 2-4 by reference, 5 an Outlook item, 6 OLE. */
  method?: number;
  /** A path, for attachments by reference. */
  pathname?: string;
  /** An attached Outlook item (method 5): the message's own entries. */
  message?: MsgInput;
}

export interface MsgInput {
  subject?: string;
  body?: string;
  html?: string;
  attachments?: MsgAttachment[];
  /** PidLidReminderFileParameter: the sound a reminder plays. */
  reminderFile?: string;
}

const PT_LONG = 0x0003;
const PT_UNICODE = 0x001f;
const PT_BINARY = 0x0102;
const PT_OBJECT = 0x000d;

/** [MS-OXMSG] property storage: a header, then one 16-byte entry per property. */
function msgProperties(header: number, props: { id: number; type: number; value: number }[]) {
  const entries = props.map((p) => {
    const b = Buffer.alloc(16);
    b.writeUInt32LE(((p.id << 16) | p.type) >>> 0, 0);
    b.writeUInt32LE(6, 4); // readable, writable
    b.writeUInt32LE(p.value, 8);
    return b;
  });
  return Buffer.concat([Buffer.alloc(header), ...entries]);
}

const hex4 = (n: number) => n.toString(16).toUpperCase().padStart(4, '0');

/** The streams of one message (top level or attached), paths relative to its storage. */
function msgEntries(m: MsgInput, top: boolean): [string, Buffer][] {
  const out: [string, Buffer][] = [];
  const props: { id: number; type: number; value: number }[] = [];
  const variable = (id: number, type: number, data: Buffer, at = '') => {
    out.push([`${at}__substg1.0_${hex4(id)}${hex4(type)}`, data]);
    return { id, type, value: data.length };
  };
  const u16 = (s: string) => Buffer.from(s, 'utf16le');
  if (m.subject !== undefined) props.push(variable(0x0037, PT_UNICODE, u16(m.subject)));
  if (m.body !== undefined) props.push(variable(0x1000, PT_UNICODE, u16(m.body)));
  if (m.html !== undefined) props.push(variable(0x1013, PT_BINARY, Buffer.from(m.html, 'utf8')));
  if (m.reminderFile !== undefined) {
    // A named property: PSETID_Common, LID 0x851F, mapped to property id 0x8000.
    const guid = Buffer.from('0820060000000000c000000000000046', 'hex');
    const entry = Buffer.alloc(8);
    entry.writeUInt32LE(0x851f, 0);
    entry.writeUInt32LE((0 << 16) | (3 << 1), 4);
    out.push(['__nameid_version1.0/__substg1.0_00020102', guid]);
    out.push(['__nameid_version1.0/__substg1.0_00030102', entry]);
    out.push(['__nameid_version1.0/__substg1.0_00040102', Buffer.alloc(0)]);
    props.push(variable(0x8000, PT_UNICODE, u16(m.reminderFile)));
  } else if (top) {
    out.push(['__nameid_version1.0/__substg1.0_00020102', Buffer.alloc(0)]);
    out.push(['__nameid_version1.0/__substg1.0_00030102', Buffer.alloc(0)]);
    out.push(['__nameid_version1.0/__substg1.0_00040102', Buffer.alloc(0)]);
  }
  const attachments = m.attachments ?? [];
  attachments.forEach((a, i) => {
    const at = `__attach_version1.0_#${i.toString(16).toUpperCase().padStart(8, '0')}/`;
    const method = a.method ?? (a.message ? 5 : 1);
    const ap = [{ id: 0x3705, type: PT_LONG, value: method }];
    if (a.name !== undefined) ap.push(variable(0x3707, PT_UNICODE, u16(a.name), at));
    if (a.pathname !== undefined) ap.push(variable(0x370d, PT_UNICODE, u16(a.pathname), at));
    if (a.data !== undefined) ap.push(variable(0x3701, PT_BINARY, a.data, at));
    if (a.message) {
      for (const [p, d] of msgEntries(a.message, false)) out.push([`${at}__substg1.0_3701000D/${p}`, d]);
      ap.push({ id: 0x3701, type: PT_OBJECT, value: 0xffffffff });
    }
    out.push([`${at}__properties_version1.0`, msgProperties(8, ap)]);
  });
  const header = msgProperties(top ? 32 : 24, props);
  header.writeUInt32LE(attachments.length, 12); // next attachment id
  header.writeUInt32LE(attachments.length, 20); // attachment count
  out.push(['__properties_version1.0', header]);
  return out;
}

/** An Outlook message (.msg) as Outlook writes one: a CFB container of MAPI property streams. */
export function makeMsgFile(m: MsgInput): Buffer {
  const cfb = CFB.utils.cfb_new();
  for (const [path, data] of msgEntries(m, true)) CFB.utils.cfb_add(cfb, `/${path}`, data);
  return Buffer.from(CFB.write(cfb, { type: 'buffer' }) as Uint8Array);
}

export const makeMsg = () =>
  makeMsgFile({ subject: 'Approval', body: 'We approve the claim of Contoso Partners.' });

/** A minimal Windows program: MZ header pointing at a PE header. */
export function makeExe(): Buffer {
  const b = Buffer.alloc(512);
  b.write('MZ', 0, 'latin1');
  b.writeUInt32LE(0x80, 0x3c);
  b.write('PE\0\0', 0x80, 'latin1');
  b.writeUInt16LE(0x14c, 0x84);
  return b;
}

export const makeElf = () =>
  Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(120)]);

export const emlWithHtml = [
  'From: Chris Customer <chris@contoso.example>',
  'To: Paula Partner <paula@a.example>',
  'Subject: Approval',
  'Date: Sun, 1 Mar 2026 10:00:00 +0000',
  'MIME-Version: 1.0',
  'Content-Type: multipart/alternative; boundary="b1"',
  '',
  '--b1',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'Approved.',
  '--b1',
  'Content-Type: text/html; charset=utf-8',
  '',
  '<html><body><p style="color:#333">Approved.</p></body></html>',
  '--b1--',
  '',
].join('\r\n');

export const eml = [
  'From: Chris Customer <chris@contoso.example>',
  'To: Paula Partner <paula@a.example>',
  'Subject: Statement of work signed',
  'Date: Sun, 1 Mar 2026 10:00:00 +0000',
  'Message-ID: <sow-1@contoso.example>',
  'MIME-Version: 1.0',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'We confirm Contoso Partners migrated our mail to Exchange Online.',
  '',
].join('\r\n');

/** A multipart body by hand, for the cases the harness's client cannot send. */
export function multipart(
  parts: { name: string; fileName?: string; type?: string; data: Buffer | string; rawDisposition?: string }[],
  boundary = 'cporBoundary7MA4YWxk',
) {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disp =
      p.rawDisposition ??
      `form-data; name="${p.name}"${p.fileName !== undefined ? `; filename="${p.fileName}"` : ''}`;
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: ${disp}\r\n${p.type ? `Content-Type: ${p.type}\r\n` : ''}\r\n`,
        'utf8',
      ),
      Buffer.isBuffer(p.data) ? p.data : Buffer.from(p.data),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}
