// The hostile corpus: every upload here is refused with a clear 4xx (problem+json with a
// code and a detail) and leaves nothing behind: no document row, no history event, no
// stored bytes, no temporary file. The over-limit upload sent slowly goes to a real server
// and must be refused after about the limit, with memory flat.
import { request } from 'node:http';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../src/domain/errors.js';
import { inspectFile } from '../src/documents/file-checks.js';
import { removeStaleUploads } from '../src/documents/orphans.js';
import { makeEml, makeJpeg, makeTiff, pdfWithObjectStream, plainPdf } from './poe-deep-fixtures.js';
import { client, dbTargets, m365Claim, seedWorld, testApp, type TestApp, type World } from './harness.js';
import {
  macroMain,
  makeCfb,
  makeDoc,
  makeDocx,
  makeElf,
  makeExe,
  makeMsgFile,
  makeOoxml,
  makePdf,
  makePdfWithJavaScript,
  makePng,
  makeZip,
  multipart,
} from './poe-fixtures.js';

const limit = 1024 * 1024;

interface Hostile {
  what: string;
  status: number;
  code: string;
  /** Sent with the harness client: name, bytes, Content-Type. */
  file?: [string, Buffer | string, string?];
  /** Or a raw body and its Content-Type. */
  raw?: () => { body: Buffer; contentType: string };
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      if (e.isDirectory()) await walk(join(d, e.name));
      else out.push(join(d, e.name));
    }
  };
  await walk(dir);
  return out;
}

/** The same file with every central directory entry claiming `size` compressed bytes. */
function withClaimedEntrySize(zip: Buffer, size: number): Buffer {
  const out = Buffer.from(zip);
  const signature = Buffer.from([0x50, 0x4b, 0x01, 0x02]);
  for (let i = out.indexOf(signature); i >= 0; i = out.indexOf(signature, i + 4))
    out.writeUInt32LE(size, i + 20);
  return out;
}

async function corpus(): Promise<Hostile[]> {
  const pdf = await makePdf('honest');
  const docXml = Buffer.from(
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>',
  );
  const zeros = Buffer.alloc(20 * 1024 * 1024);
  const refused = 415;
  const invalid = 422;
  return [
    {
      what: 'a Windows program renamed .pdf',
      file: ['invoice.pdf', makeExe(), 'application/pdf'],
      status: refused,
      code: 'unsupported_media_type',
    },
    {
      what: 'an ELF program renamed .txt',
      file: ['notes.txt', makeElf()],
      status: refused,
      code: 'unsupported_media_type',
    },
    {
      what: 'a PDF named .pdf.exe',
      file: ['sow.pdf.exe', pdf],
      status: refused,
      code: 'unsupported_media_type',
    },
    {
      what: 'a PNG named .bat',
      file: ['run.bat', makePng()],
      status: refused,
      code: 'unsupported_media_type',
    },
    {
      what: 'HTML with script, lying Content-Type application/pdf',
      file: [
        'sow.pdf',
        '<!doctype html><html><body><script>alert(document.cookie)</script></body></html>',
        'application/pdf',
      ],
      status: refused,
      code: 'unsupported_media_type',
    },
    {
      what: 'SVG with script named .png',
      file: [
        'logo.png',
        '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>',
        'image/png',
      ],
      status: refused,
      code: 'unsupported_media_type',
    },
    {
      what: 'HTML without a doctype, declared text/plain',
      file: ['notes.txt', 'Hello\n<iframe src="https://evil.example"></iframe>\n', 'text/plain'],
      status: refused,
      code: 'unsupported_media_type',
    },
    {
      what: 'a shell script as .txt',
      file: ['notes.txt', '#!/bin/sh\nrm -rf /\n'],
      status: refused,
      code: 'unsupported_media_type',
    },
    {
      what: 'UTF-16 text (not UTF-8)',
      file: ['notes.txt', Buffer.from('\ufeffhello world', 'utf16le')],
      status: refused,
      code: 'unsupported_media_type',
    },
    {
      what: 'a PDF with JavaScript',
      file: [
        'sow.pdf',
        Buffer.concat([
          pdf.subarray(0, 9),
          Buffer.from('1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n'),
          pdf.subarray(9),
        ]),
      ],
      status: refused,
      code: 'unsupported_media_type',
    },
    {
      what: 'a pdf-lib PDF opening with JavaScript (inside a compressed object stream)',
      file: ['sow.pdf', await makePdfWithJavaScript()],
      status: refused,
      code: 'unsupported_media_type',
    },
    {
      what: 'an email with a script in its HTML part',
      file: [
        'mail.eml',
        'From: a@b.example\r\nSubject: hi\r\nDate: Sun, 1 Mar 2026 10:00:00 +0000\r\n\r\n<html><script>alert(1)</script></html>\r\n',
      ],
      status: refused,
      code: 'unsupported_media_type',
    },
    {
      what: 'a PDF with an escaped /J#61vaScript name',
      file: [
        'sow.pdf',
        Buffer.concat([
          pdf.subarray(0, 9),
          Buffer.from('9 0 obj << /S /J#61vaScript >> endobj\n'),
          pdf.subarray(9),
        ]),
      ],
      status: refused,
      code: 'unsupported_media_type',
    },
    {
      what: 'a zip bomb DOCX (20 MiB of zeros in a few KiB)',
      file: ['bomb.docx', makeOoxml([{ name: 'word/document.xml', data: zeros }])],
      status: refused,
      code: 'unsupported_media_type',
    },
    {
      what: 'a DOCX whose entry lies about its size',
      file: [
        'lie.docx',
        makeOoxml([{ name: 'word/document.xml', data: Buffer.alloc(512 * 1024, 0x41), declaredSize: 100 }]),
      ],
      status: refused,
      code: 'unsupported_media_type',
    },
    {
      what: 'a DOCX with overlapping entries',
      file: [
        'overlap.docx',
        makeOoxml(
          Array.from({ length: 3 }, (_, i) => ({ name: `word/part${i}.xml`, data: docXml })),
          undefined,
          { overlap: true },
        ),
      ],
      status: refused,
      code: 'unsupported_media_type',
    },
    {
      what: 'a DOCX with 6,000 entries',
      file: [
        'many.docx',
        makeOoxml(
          Array.from({ length: 6000 }, (_, i) => ({
            name: `word/m${i}.xml`,
            data: Buffer.from('x'),
            store: true,
          })),
        ),
      ],
      status: refused,
      code: 'unsupported_media_type',
    },
    {
      what: 'a DOCX with a VBA project inside',
      file: [
        'macro.docx',
        makeOoxml([
          { name: 'word/document.xml', data: docXml },
          { name: 'word/vbaProject.bin', data: Buffer.from('VBA') },
        ]),
      ],
      status: refused,
      code: 'unsupported_media_type',
    },
    {
      what: 'a macro-enabled document (DOCM) named .docx',
      file: ['macro.docx', makeOoxml([{ name: 'word/document.xml', data: docXml }], macroMain)],
      status: refused,
      code: 'unsupported_media_type',
    },
    {
      what: 'an encrypted DOCX entry',
      file: ['secret.docx', makeOoxml([{ name: 'word/document.xml', data: docXml, flags: 1 }])],
      status: refused,
      code: 'unsupported_media_type',
    },
    {
      // Once aborted the whole server: file-type's ZIP reader allocated and read the 4 GB the
      // directory claimed, and Node's file read asserted on the length.
      what: 'a DOCX whose central directory claims 4 GB entries',
      file: ['huge.docx', await withClaimedEntrySize(await makeDocx('hello'), 0xfffffff0)],
      status: refused,
      code: 'unsupported_media_type',
    },
    {
      what: 'a Matroska header whose first element claims 2^48 bytes',
      file: [
        'clip.txt',
        Buffer.concat([
          Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x81, 0x42, 0x82]),
          Buffer.from([0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
          Buffer.alloc(64),
        ]),
      ],
      status: refused,
      code: 'unsupported_media_type',
    },
    {
      what: 'a plain zip renamed .docx',
      file: ['archive.docx', makeZip([{ name: 'payload.exe', data: makeExe() }])],
      status: refused,
      code: 'unsupported_media_type',
    },
    {
      what: 'a Word 97 document with macros',
      file: ['old.doc', makeCfb(['WordDocument', '1Table', 'Macros', '_VBA_PROJECT'])],
      status: refused,
      code: 'unsupported_media_type',
    },
    {
      what: 'an encrypted Office file (CFB EncryptedPackage)',
      file: ['enc.docx', makeCfb(['EncryptionInfo', 'EncryptedPackage'])],
      status: refused,
      code: 'unsupported_media_type',
    },
    {
      what: 'an XLS workbook (CFB, not accepted)',
      file: ['book.xls', makeCfb(['Workbook'])],
      status: refused,
      code: 'unsupported_media_type',
    },
    {
      what: 'a PNG pixel flood (100k x 100k)',
      file: ['flood.png', makePng(4, 4, { w: 100_000, h: 100_000 })],
      status: refused,
      code: 'unsupported_media_type',
    },
    {
      what: 'a cut TIFF header (file-type throws on it)',
      file: ['scan.tif', Buffer.from('II*\u0000\u0008\u0000\u0000\u0000', 'latin1')],
      status: refused,
      code: 'unsupported_media_type',
    },
    {
      what: 'a real BMP header (binary) named .txt',
      file: ['notes.txt', Buffer.concat([Buffer.from('BM'), Buffer.alloc(60)])],
      status: refused,
      code: 'unsupported_media_type',
    },
    {
      what: 'an empty file',
      file: ['empty.pdf', Buffer.alloc(0)],
      status: invalid,
      code: 'validation_failed',
    },
    {
      what: 'a file over the limit',
      file: ['big.txt', Buffer.alloc(limit + 1, 0x61)],
      status: 413,
      code: 'payload_too_large',
    },
    {
      what: 'a ../ name',
      file: ['../../etc/passwd.txt', 'root:x:0:0\n'],
      status: invalid,
      code: 'validation_failed',
    },
    {
      what: 'an absolute name',
      file: ['/etc/cron.d/evil.txt', 'x\n'],
      status: invalid,
      code: 'validation_failed',
    },
    {
      what: 'a Windows path name',
      file: ['C:\\Windows\\System32\\evil.txt', 'x\n'],
      status: invalid,
      code: 'validation_failed',
    },
    { what: 'a name that is ..', file: ['..', 'x\n'], status: invalid, code: 'validation_failed' },
    {
      what: 'a NUL in the name',
      file: ['sow.pdf\u0000.txt', 'x\n'],
      status: invalid,
      code: 'validation_failed',
    },
    {
      what: 'control characters in the name',
      file: ['so\u0007w\u001b[31m.txt', 'x\n'],
      status: invalid,
      code: 'validation_failed',
    },
    {
      what: 'a right-to-left override in the name',
      file: ['invoice\u202Etxt.exe', 'x\n'],
      status: invalid,
      code: 'validation_failed',
    },
    {
      what: 'a 10,000-character name',
      file: [`${'a'.repeat(10_000)}.txt`, 'x\n'],
      status: invalid,
      code: 'validation_failed',
    },
    { what: 'a device name', file: ['CON.txt', 'x\n'], status: invalid, code: 'validation_failed' },
    {
      what: 'many files in one request',
      raw: () =>
        multipart(
          Array.from({ length: 5 }, (_, i) => ({
            name: 'file',
            fileName: `f${i}.txt`,
            type: 'text/plain',
            data: `file ${i}\n`,
          })),
        ),
      status: invalid,
      code: 'validation_failed',
    },
    {
      what: 'a file and an extra field',
      raw: () =>
        multipart([
          { name: 'file', fileName: 'a.txt', data: 'a\n' },
          { name: 'comment', data: 'sneaky' },
        ]),
      status: invalid,
      code: 'validation_failed',
    },
    {
      what: 'a field before the file',
      raw: () =>
        multipart([
          { name: 'comment', data: 'first' },
          { name: 'file', fileName: 'a.txt', data: 'a\n' },
        ]),
      status: invalid,
      code: 'validation_failed',
    },
    {
      what: 'the file in another field',
      raw: () => multipart([{ name: 'upload', fileName: 'a.txt', data: 'a\n' }]),
      status: invalid,
      code: 'validation_failed',
    },
    {
      what: 'a truncated multipart body',
      raw: () => {
        const m = multipart([
          { name: 'file', fileName: 'cut.txt', type: 'text/plain', data: 'This statement is cut sh' },
        ]);
        return { ...m, body: m.body.subarray(0, m.body.length - 30) };
      },
      status: invalid,
      code: 'validation_failed',
    },
    {
      what: 'a multipart body with no parts',
      raw: () => ({ body: Buffer.from('--cporB--\r\n'), contentType: 'multipart/form-data; boundary=cporB' }),
      status: invalid,
      code: 'validation_failed',
    },
    {
      what: 'a JSON body instead of multipart',
      raw: () => ({ body: Buffer.from('{"file":"JVBERi0="}'), contentType: 'application/json' }),
      status: refused,
      code: 'unsupported_media_type',
    },
    {
      what: 'a raw PDF body (not multipart)',
      raw: () => ({ body: pdf, contentType: 'application/pdf' }),
      status: refused,
      code: 'unsupported_media_type',
    },
  ];
}

describe('uploads cut off by a crash', () => {
  it('leave temporary files that the next start removes once they are an hour old', async () => {
    const dir = join(tmpdir(), `cpor-sweep-${process.pid}`);
    await mkdir(dir, { recursive: true });
    const old = join(dir, 'old.upload');
    const fresh = join(dir, 'fresh.upload');
    await writeFile(old, 'half a file');
    await writeFile(fresh, 'being received');
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    await utimes(old, twoHoursAgo, twoHoursAgo);
    expect(await removeStaleUploads(dir, new Date(Date.now() - 3600_000))).toBe(1);
    expect((await readdir(dir)).sort()).toEqual(['fresh.upload']);
    await rm(dir, { recursive: true, force: true });
  });
});

/**
 * One seed of every kind the inspectors parse, the deeper layers included; the same bytes on
 * every run (no creation dates), so a failure is found again with its index.
 */
async function fuzzSeeds(): Promise<[string, Buffer][]> {
  const pdf = plainPdf('', [
    { dict: '/Filter /FlateDecode', data: deflateSync(Buffer.from('BT /F1 9 Tf (seed) Tj ET')) },
  ]);
  const rels = (body: string) =>
    Buffer.from(
      `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${body}</Relationships>`,
    );
  const docx = makeOoxml([
    {
      name: '_rels/.rels',
      data: rels(
        '<Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>',
      ),
    },
    {
      name: 'word/document.xml',
      data: Buffer.from(
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t>fuzz seed</w:t></w:r></w:p></w:body></w:document>',
      ),
    },
    {
      name: 'word/_rels/document.xml.rels',
      data: rels(
        '<Relationship Id="r2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://contoso.example" TargetMode="External"/>',
      ),
    },
    { name: 'word/media/image1.png', data: makePng(4, 4) },
  ]);
  return [
    ['a.pdf', pdf],
    ['b.pdf', pdfWithObjectStream('/S /GoTo /D [3 0 R /Fit]', ['ASCII85Decode', 'LZWDecode'])],
    ['c.pdf', pdfWithObjectStream('/S /GoTo /D [3 0 R /Fit]', ['RunLengthDecode', 'ASCIIHexDecode'])],
    ['a.docx', docx],
    [
      'b.xlsx',
      makeOoxml(
        [
          { name: 'xl/workbook.xml', data: Buffer.from('<workbook><definedNames/></workbook>') },
          {
            name: 'xl/worksheets/sheet1.xml',
            data: Buffer.from(
              '<worksheet><sheetData><row><c><f>SUM(A1:A9)</f></c></row></sheetData></worksheet>',
            ),
          },
          { name: 'xl/embeddings/pic.png', data: makePng(4, 4) },
        ],
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml',
      ),
    ],
    ['a.doc', makeDoc()],
    [
      'a.msg',
      makeMsgFile({ subject: 'Fuzz', html: '<p>hi</p>', attachments: [{ name: 'a.pdf', data: pdf }] }),
    ],
    ['a.eml', makeEml([{ type: 'application/pdf', name: 'a.pdf', data: pdf }])],
    ['a.png', makePng(16, 16)],
    ['a.jpg', makeJpeg(16, 16)],
    [
      'a.tif',
      makeTiff([
        [16, 8],
        [8, 16],
      ]),
    ],
    ['a.txt', Buffer.from('plain text seed\n')],
  ];
}

function seeded(start: number) {
  let seed = start;
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

/** Mode 0: a few bytes changed; 1: cut short; 2: a run of 0xFF inserted. */
function mutate(original: Buffer, mode: number, random: () => number): Buffer {
  const bytes = Buffer.from(original);
  if (mode === 0) {
    for (let k = 0; k < 1 + Math.floor(random() * 8); k++)
      bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
    return bytes;
  }
  if (mode === 1) return bytes.subarray(0, Math.max(1, Math.floor(random() * bytes.length)));
  const at = Math.floor(random() * bytes.length);
  return Buffer.concat([
    bytes.subarray(0, at),
    Buffer.alloc(1 + Math.floor(random() * 64), 0xff),
    bytes.subarray(at),
  ]);
}

const fuzzFiles = Number(process.env.CPOR_FUZZ_FILES ?? 600);

describe('the inspectors on damaged files', () => {
  it(
    'refuse or accept each one, and never throw anything but a refusal (seeded, bounded)',
    { timeout: 60_000 + fuzzFiles * 100 },
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'cpor-fuzz-'));
      try {
        const seeds = await fuzzSeeds();
        const random = seeded(7);
        const rounds = fuzzFiles;
        let accepted = 0;
        let refused = 0;
        let slowest = 0;
        for (let i = 0; i < rounds; i++) {
          const [name, original] = seeds[i % seeds.length] ?? seeds[0]!;
          const path = join(dir, `${i}.upload`);
          const bytes = mutate(original, i % 3, random);
          await writeFile(path, bytes);
          const started = performance.now();
          try {
            await inspectFile(path, bytes.length);
            accepted += 1;
          } catch (e) {
            expect(e, `${i} ${name}: ${String(e)}`).toBeInstanceOf(DomainError);
            refused += 1;
            if (process.env.FUZZ_TRACE) console.log(`trace ${i} ${name} ${String(e).slice(0, 80)}`);
          }
          slowest = Math.max(slowest, performance.now() - started);
          await rm(path);
        }
        // Nested parts written for inspection are gone too.
        expect(await readdir(dir)).toEqual([]);
        console.log(
          `inspector fuzz: ${rounds} damaged files of ${seeds.length} kinds: ${accepted} accepted, ${refused} refused, 0 other errors; slowest ${slowest.toFixed(0)} ms`,
        );
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
});

describe.each(dbTargets())('hostile uploads on %s', (target) => {
  let t: TestApp;
  let w: World;
  let claimId: string;
  beforeAll(async () => {
    t = await testApp(target, { env: { CPOR_MAX_UPLOAD_BYTES: String(limit) } });
    w = await seedWorld(t);
    const res = await client(t.app, w.tokens.partnerA).post('/api/v1/claims', m365Claim());
    claimId = res.json<{ id: string }>().id;
  });
  afterAll(async () => t?.close());

  it('refuses every file of the corpus with a clear 4xx and stores nothing', async () => {
    const partner = client(t.app, w.tokens.partnerA);
    const cases = await corpus();
    expect(cases.length).toBeGreaterThanOrEqual(20);
    const url = `/api/v1/claims/${claimId}/documents`;
    for (const c of cases) {
      if (process.env.DEBUG_CORPUS) console.log('case', c.what);
      let res;
      if (c.file) {
        res = await partner.upload(url, c.file[0], c.file[1], c.file[2]);
      } else if (c.raw) {
        const { body, contentType } = c.raw();
        res = await t.app.inject({
          method: 'POST',
          url,
          headers: { authorization: `Bearer ${w.tokens.partnerA}`, 'content-type': contentType },
          payload: body,
        });
      } else throw new Error(c.what);
      expect({ what: c.what, status: res.statusCode, body: res.body.slice(0, 300) }).toMatchObject({
        what: c.what,
        status: c.status,
      });
      expect(res.headers['content-type'], c.what).toContain('application/problem+json');
      const p = res.json<{ code: string; detail: string }>();
      expect(p.code, c.what).toBe(c.code);
      expect(p.detail.length, c.what).toBeGreaterThan(10);
    }
    const list = await partner.get(url);
    expect(list.json<{ items: unknown[] }>().items).toEqual([]);
    const history = await partner.get(`/api/v1/claims/${claimId}/history`);
    expect(history.json<{ items: { type: string }[] }>().items.map((h) => h.type)).not.toContain(
      'document_added',
    );
    const dir = t.deps.config.CPOR_DATA_DIR;
    expect(await filesUnder(join(dir, 'documents'))).toEqual([]);
    expect(await filesUnder(join(dir, 'uploads'))).toEqual([]);
    // And the claim still takes an honest file.
    const ok = await partner.upload(url, 'honest.pdf', await makePdf('honest'));
    expect(ok.statusCode).toBe(201);
  });

  it('never answers a damaged file with a 5xx (seeded mutations of real files)', async () => {
    const partner = client(t.app, w.tokens.partnerA);
    const fuzzClaim = (await partner.post('/api/v1/claims', m365Claim({ name: 'fuzz' }))).json<{
      id: string;
    }>().id;
    const seeds = await fuzzSeeds();
    const random = seeded(42);
    const statuses = new Map<number, number>();
    const rounds = Number(process.env.CPOR_FUZZ_UPLOADS ?? 120);
    for (let i = 0; i < rounds; i++) {
      const [name, original] = seeds[i % seeds.length] ?? seeds[0]!;
      const mutated = mutate(original, i % 3, random);
      const res = await partner.upload(`/api/v1/claims/${fuzzClaim}/documents`, `${i}-${name}`, mutated);
      expect(res.statusCode, `${i} ${name} ${res.body}`).toBeLessThan(500);
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
      // Accepted ones are removed again so the claim never fills up.
      if (res.statusCode === 201)
        await partner.delete(`/api/v1/claims/${fuzzClaim}/documents/${res.json<{ id: string }>().id}`);
    }
    expect([...statuses.keys()].every((s) => s === 201 || (s >= 400 && s < 500))).toBe(true);
    console.log(
      `upload fuzz (${target}): ${rounds} damaged files of ${seeds.length} kinds over HTTP: ${[...statuses]
        .sort()
        .map(([s, n]) => `${n} x ${s}`)
        .join(', ')}, 0 x 5xx`,
    );
  });

  it('refuses an announced body over the limit before reading it', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/claims/${claimId}/documents`,
      headers: {
        authorization: `Bearer ${w.tokens.partnerA}`,
        'content-type': 'multipart/form-data; boundary=x',
        'content-length': String(limit * 10),
      },
      payload: Buffer.alloc(16),
    });
    expect(res.statusCode).toBe(413);
  });

  it('refuses an over-limit file sent slowly as soon as it passes the limit, memory flat', async () => {
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    expect(address).toContain('127.0.0.1');
    const boundary = 'slowBoundary';
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const total = limit * 20; // 20 MiB offered, 1 MiB allowed
    const heapBefore = process.memoryUsage().heapUsed;
    let peakHeap = heapBefore;
    const result = await new Promise<{ status: number; sentWhenAnswered: number; body: string; ms: number }>(
      (resolve, reject) => {
        const started = Date.now();
        let sent = 0;
        let answeredAt = -1;
        const req = request({
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: `/api/v1/claims/${claimId}/documents`,
          headers: {
            authorization: `Bearer ${w.tokens.partnerA}`,
            'content-type': `multipart/form-data; boundary=${boundary}`,
            'transfer-encoding': 'chunked',
          },
        });
        req.on('response', (res) => {
          answeredAt = sent;
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (body += d));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              sentWhenAnswered: answeredAt,
              body,
              ms: Date.now() - started,
            }),
          );
        });
        req.on('error', (e) => {
          // The server may close the connection while we are still writing.
          if (answeredAt < 0) reject(e);
        });
        req.write(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="huge.txt"\r\n\r\n`,
        );
        const tick = () => {
          if (answeredAt >= 0 || req.destroyed) return;
          if (sent >= total) {
            req.end(`\r\n--${boundary}--\r\n`);
            return;
          }
          const more = req.write(chunk);
          sent += chunk.length;
          peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
          // A slow client that respects backpressure: what it counts as sent left its buffers.
          if (more) setTimeout(tick, 5);
          else req.once('drain', () => setTimeout(tick, 5));
        };
        tick();
      },
    );
    expect(result.status).toBe(413);
    expect(JSON.parse(result.body)).toMatchObject({ code: 'payload_too_large' });
    // Answered soon after the limit (socket buffers hold a few MiB at most), not after the 20 MiB.
    expect(result.sentWhenAnswered).toBeLessThan(limit * 8);
    // The file never sat in memory: the heap grew by far less than what was sent.
    expect(peakHeap - heapBefore).toBeLessThan(16 * 1024 * 1024);
    console.log(
      `slow over-limit upload: refused after ${(result.sentWhenAnswered / 1024).toFixed(0)} KiB sent of ${total / 1024} KiB offered, ${result.ms} ms, heap +${((peakHeap - heapBefore) / 1024 / 1024).toFixed(1)} MiB`,
    );
    expect(await filesUnder(join(t.deps.config.CPOR_DATA_DIR, 'uploads'))).toEqual([]);
  });
});
